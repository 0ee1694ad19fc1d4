"""What the portal asks of a search engine, whichever product answers."""

from abc import ABC, abstractmethod

from elasticsearch.dsl.response import Response

#: Largest bulk request body sent, in bytes of JSON (the engines accept up to 100 MB).
MAX_BULK_BYTES = 20 * 1024 * 1024


#: Root causes by which an engine refuses a request it will not run, whatever status it gives it
#: (OpenSearch answers 500 with "too_many_clauses" to a query past its clause limit): the
#: request's fault, not the engine's, so they must not send every reader to the database.
REQUEST_FAULTS = frozenset(
    {
        "too_many_clauses",
        "too_many_nested_clauses",
        "query_shard_exception",
        "parsing_exception",
        "x_content_parse_exception",
        "illegal_argument_exception",
    }
)


class EngineUnavailable(Exception):
    """The engine could not be reached, timed out, answered 5xx or 429, or has no such index."""


class IndexMissing(EngineUnavailable):
    """The engine answered, but the index (or alias) asked for does not exist."""


class EngineTimedOut(EngineUnavailable):
    """The engine did not answer within the request's timeout."""


def _answered(reply, engine):
    """``reply`` (one search of an ``_msearch``) when it is an answer, else raised as an error."""
    if "error" not in reply:
        return reply
    status = reply.get("status", 0)
    if status == 404:
        raise IndexMissing(f"{engine}: {reply['error']}")
    if status == 429 or status >= 500:
        raise EngineUnavailable(f"{engine}: {reply['error']}")
    raise RuntimeError(f"{engine} refused a search: {reply['error']}")


class SearchEngine(ABC):
    """One cluster, reached through its official Python client.

    Request bodies are plain dicts built with elasticsearch-dsl (``Search.to_dict()``,
    ``Index.to_dict()``); replies come back as elasticsearch-dsl ``Response`` objects or dicts.
    Every method raises ``EngineUnavailable`` when the cluster cannot answer.
    """

    #: "opensearch" or "elasticsearch"
    product = ""

    def __init__(self, client, version):
        self.client = client
        self.version = version

    def __str__(self):
        return f"{self.product} {self.version}"

    def search(self, search, index, timeout=None):
        """Run an elasticsearch-dsl ``Search`` on ``index``; returns its ``Response``.

        ``timeout`` (seconds) replaces the client's own for this request.
        """
        raw = self._call(self._search, index, search.to_dict(), timeout)
        return Response(search, raw)

    def msearch(self, searches, index, timeout=None):
        """Run elasticsearch-dsl ``Search``es on ``index`` in one request (``_msearch``); returns
        their ``Response``s in order. A search the engine could not answer raises as ``search``
        would (``IndexMissing``, ``EngineUnavailable``) or, refused, ``RuntimeError``."""
        body = [line for search in searches for line in ({}, search.to_dict())]
        raw = self._call(self._msearch, index, body, timeout)
        return [
            Response(search, _answered(reply, self))
            for search, reply in zip(searches, raw["responses"], strict=True)
        ]

    def bulk(self, actions, refresh=False):
        """Index or delete ``actions`` (the clients' bulk-helper actions: ``{"_op_type": "index"
        or "delete", "_index", "_id", "_source"}``) with the client's ``streaming_bulk`` helper,
        in requests of at most ``MAX_BULK_BYTES``; returns ``{"errors": bool, "items": [the
        engine's reply per action]}``.

        A few pages with very long attachments would otherwise make one request of hundreds of
        megabytes, beyond the engines' ``http.max_content_length`` (100 MB by default).
        """
        results = self._call(
            lambda: list(
                self.streaming_bulk(
                    self.client,
                    actions,
                    max_chunk_bytes=MAX_BULK_BYTES,
                    raise_on_error=False,
                    refresh=self.refresh_parameter(refresh),
                )
            )
        )
        return {
            "errors": any(not ok for ok, _item in results),
            "items": [item for _ok, item in results],
        }

    def _call(self, method, *args):
        try:
            return method(*args)
        except self.client_errors as error:
            if self.status_of(error) == 404:
                raise IndexMissing(f"{self}: {error}") from error
            if isinstance(error, self.timeout_errors):
                raise EngineTimedOut(f"{self}: {error}") from error
            if self.is_unavailable(error) and not self._request_fault(error):
                raise EngineUnavailable(f"{self}: {error}") from error
            raise

    def _request_fault(self, error):
        """True when every root cause of ``error`` is one of ``REQUEST_FAULTS``."""
        reply = self.reply_of(error)
        details = reply.get("error") if isinstance(reply, dict) else None
        causes = details.get("root_cause") if isinstance(details, dict) else None
        types = {cause.get("type") for cause in causes or () if isinstance(cause, dict)}
        return bool(types) and types <= REQUEST_FAULTS

    #: Exception classes of the client that ``is_unavailable`` inspects, and those of a timeout.
    client_errors = ()
    timeout_errors = ()

    @abstractmethod
    def is_unavailable(self, error):
        """True for connection failures, timeouts and 5xx replies; False for request errors."""

    @abstractmethod
    def status_of(self, error):
        """The HTTP status of a client error, 0 when there was no reply."""

    @abstractmethod
    def reply_of(self, error):
        """The JSON body the engine replied with to a client error, or None."""

    @abstractmethod
    def _search(self, index, body, timeout): ...

    @abstractmethod
    def _msearch(self, index, body, timeout):
        """The engine's reply to an ``_msearch`` of ``body`` (header and body lines) as a dict."""

    #: The client's ``streaming_bulk`` helper (a staticmethod of each adapter).
    streaming_bulk = None

    def refresh_parameter(self, refresh):
        """``refresh`` as the client's bulk call takes it."""
        return refresh

    @abstractmethod
    def indices(self):
        """The client's indices namespace (create, delete, exists, refresh, aliases...)."""

    def create_index(self, name, body):
        return self._call(lambda: self.indices().create(index=name, body=body))

    def delete_index(self, name):
        return self._call(lambda: self.indices().delete(index=name, ignore_unavailable=True))

    def index_exists(self, name):
        return self._call(lambda: self.indices().exists(index=name))

    def refresh(self, name):
        return self._call(lambda: self.indices().refresh(index=name))

    def indices_behind(self, alias):
        """Names of the indices ``alias`` points to (empty when it does not exist)."""

        def get():
            if not self.indices().exists_alias(name=alias):
                return []
            return sorted(self.indices().get_alias(name=alias))

        return self._call(get)

    def indices_matching(self, pattern):
        return self._call(
            lambda: sorted(self.indices().get(index=pattern, ignore_unavailable=True))
        )

    def update_aliases(self, actions):
        """Apply alias ``actions`` atomically (one ``_aliases`` request)."""
        return self._call(lambda: self.indices().update_aliases(body={"actions": actions}))

    def mapping(self, name):
        """The mapping of index (or single-index alias) ``name`` as the engine reports it:
        ``{"properties": {...}}``."""
        reply = dict(self._call(lambda: self.indices().get_mapping(index=name)))
        (index,) = reply.values()
        return index["mappings"]

    def count(self, index):
        return self._call(lambda: self.client.count(index=index)["count"])
