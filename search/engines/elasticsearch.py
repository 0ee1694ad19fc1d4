"""Elasticsearch 8/9 through the official elasticsearch client (8.x, which speaks to 9 as well)."""

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, Elasticsearch
from elasticsearch.helpers import streaming_bulk

from .base import SearchEngine


class ElasticsearchEngine(SearchEngine):
    product = "elasticsearch"
    client_errors = (TransportError, ApiError)
    timeout_errors = (ConnectionTimeout,)

    @classmethod
    def from_url(cls, urls, version, *, timeout, verify_certs, ca_certs, writes):
        """The adapter for the nodes at ``urls`` (a list): a request that cannot reach one node
        is tried on each of the others (``max_retries``) before it fails."""
        client = Elasticsearch(
            urls,
            request_timeout=timeout,
            verify_certs=verify_certs,
            ca_certs=ca_certs,
            max_retries=len(urls) - 1,
        )
        write_client = client.options(request_timeout=writes.timeout)
        return cls(client, version, write_client=write_client, writes=writes)

    def is_unavailable(self, error):
        if isinstance(error, (TransportConnectionError, ConnectionTimeout)):
            return True
        if isinstance(error, ApiError):
            return error.meta.status >= 500 or error.meta.status == 429
        return isinstance(error, TransportError)

    def status_of(self, error):
        return error.meta.status if isinstance(error, ApiError) else 0

    def reply_of(self, error):
        return error.body if isinstance(error, ApiError) else None

    def within(self, client, timeout):
        return client.options(request_timeout=timeout)

    def _search(self, index, body, timeout):
        client = self.client.options(request_timeout=timeout) if timeout else self.client
        return client.search(index=index, body=body).body

    def _msearch(self, index, body, timeout):
        client = self.client.options(request_timeout=timeout) if timeout else self.client
        return client.msearch(index=index, searches=body).body

    streaming_bulk = staticmethod(streaming_bulk)
