"""OpenSearch 2/3 through opensearch-py."""

import functools

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError
from opensearchpy.helpers import streaming_bulk

from .base import SearchEngine


class _Within:
    """A client (or one of its namespaces) whose every call waits at most ``timeout`` seconds:
    opensearch-py takes ``request_timeout`` on each call and has no ``options()``."""

    def __init__(self, target, timeout):
        self._target, self._timeout = target, timeout

    def __getattr__(self, name):
        found = getattr(self._target, name)
        if callable(found):
            return functools.partial(found, request_timeout=self._timeout)
        return _Within(found, self._timeout)


class OpenSearchEngine(SearchEngine):
    product = "opensearch"
    client_errors = (TransportError,)
    timeout_errors = (ConnectionTimeout,)

    @classmethod
    def from_url(cls, urls, version, *, timeout, verify_certs, ca_certs, writes):
        """The adapter for the nodes at ``urls`` (a list): a request that cannot reach one node
        is tried on each of the others (``max_retries``) before it fails."""

        def client(seconds):
            return OpenSearch(
                hosts=urls,
                timeout=seconds,
                verify_certs=verify_certs,
                ca_certs=ca_certs,
                max_retries=len(urls) - 1,
            )

        return cls(client(timeout), version, write_client=client(writes.timeout), writes=writes)

    def is_unavailable(self, error):
        if isinstance(error, OpenSearchConnectionError):
            return True
        status = self.status_of(error)
        return status >= 500 or status == 429

    def status_of(self, error):
        return error.status_code if isinstance(error.status_code, int) else 0

    def reply_of(self, error):
        return error.info if isinstance(getattr(error, "info", None), dict) else None

    def within(self, client, timeout):
        return _Within(client, timeout)

    def _search(self, index, body, timeout):
        options = {"request_timeout": timeout} if timeout else {}
        return self.client.search(index=index, body=body, **options)

    def _msearch(self, index, body, timeout):
        options = {"request_timeout": timeout} if timeout else {}
        return self.client.msearch(index=index, body=body, **options)

    streaming_bulk = staticmethod(streaming_bulk)

    def refresh_parameter(self, refresh):
        return "true" if refresh else "false"
