"""What the portal asks of a search engine, whichever product answers."""

import logging
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass

from elasticsearch.dsl.response import Response

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class WritePolicy:
    """How writes (bulk indexing, index creation, settings, refreshes, alias swaps) wait and retry.

    ``timeout`` (seconds) bounds each write request, longer than a search's: a bulk of 500
    reports may take seconds on a busy cluster. A write refused with 429 or 5xx, timed out or
    not connected is tried again ``retries`` times, after ``first_delay`` seconds, doubling up to
    ``max_delay`` (``SEARCH_BULK_TIMEOUT``, ``SEARCH_BULK_RETRIES``, ``SEARCH_BULK_BACKOFF``).
    """

    timeout: float = 60.0
    retries: int = 5
    first_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, attempt):
        """Seconds to wait before retry number ``attempt`` (1, 2, ...)."""
        return min(self.first_delay * 2 ** (attempt - 1), self.max_delay)


@dataclass(frozen=True)
class BulkFailure:
    """One action the engine did not apply: the document's id (a page id), the index, the
    operation ("index" or "delete"), the HTTP status (or "N/A" with no reply) and why."""

    id: str
    index: str
    op: str
    status: object
    reason: str

    @property
    def page_id(self):
        return int(self.id)

    def __str__(self):
        return f"page {self.id}: {self.reason}"


def _failure(item):
    """A ``BulkFailure`` from a bulk helper's reply for one failed action."""
    ((op, result),) = item.items()
    error = result.get("error", "")
    if isinstance(error, dict):
        cause = error.get("caused_by", {})
        error = f"{error.get('type')}: {error.get('reason')}" + (
            f" ({cause.get('reason')})" if cause.get("reason") else ""
        )
    return BulkFailure(
        id=str(result.get("_id")),
        index=result.get("_index", ""),
        op=op,
        status=result.get("status", "N/A"),
        reason=str(error)[:1000],
    )


def _retryable(status):
    """Worth sending again: refused for load (429), a server error, or no reply at all."""
    return not isinstance(status, int) or status == 429 or status >= 500


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

    def __init__(self, client, version, write_client=None, writes=None):
        self.client = client
        self.write_client = write_client or client
        self.version = version
        self.writes = writes or WritePolicy()

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
        engine's reply per action], "failures": [BulkFailure]}``.

        Actions refused for load (429), by a server error, or in a request that timed out or
        found no engine are sent again with back-off (``self.writes``); the others, and those
        still failing after the last retry, are the ``failures``: one refused document never
        stops the rest. Deleting a document that is not there is no failure. Raises
        ``EngineUnavailable`` (or ``EngineTimedOut``) when the engine took none of them.

        A few pages with very long attachments would otherwise make one request of hundreds of
        megabytes, beyond the engines' ``http.max_content_length`` (100 MB by default).
        """
        actions = list(actions)
        replies = [None] * len(actions)
        pending, error = list(range(len(actions))), None
        for attempt in range(self.writes.retries + 1):
            if attempt:
                logger.warning(
                    "Retrying %d bulk actions in %.1f s (attempt %d): %s",
                    len(pending),
                    self.writes.delay(attempt),
                    attempt + 1,
                    error or _failure(replies[pending[0]][1]),
                )
                time.sleep(self.writes.delay(attempt))
            results, error = self._stream_bulk([actions[i] for i in pending], refresh)
            for position, (ok, item) in zip(pending, results, strict=False):
                replies[position] = (ok, item)
            unanswered = pending[len(results) :]
            for position in unanswered:
                replies[position] = (False, self._unanswered(actions[position], error))
            pending = unanswered + [
                position
                for position, (ok, item) in zip(pending, results, strict=False)
                if not ok and _retryable(_failure(item).status)
            ]
            if not pending:
                break
        return self._bulk_reply(replies, error)

    def _stream_bulk(self, actions, refresh):
        """``([(ok, item)] for the actions answered, the error that stopped the rest or None)``."""
        results = []
        try:
            for result in self.streaming_bulk(
                self.write_client,
                actions,
                max_chunk_bytes=MAX_BULK_BYTES,
                raise_on_error=False,
                raise_on_exception=False,
                refresh=self.refresh_parameter(refresh),
            ):
                results.append(result)
        except self.client_errors as error:
            if not self.is_unavailable(error) or self._request_fault(error):
                raise
            return results, error
        return results, None

    def _unanswered(self, action, error):
        return {
            action.get("_op_type", "index"): {
                "_id": action.get("_id"),
                "_index": action.get("_index"),
                "status": self.status_of(error) or "N/A",
                "error": str(error),
            }
        }

    def _bulk_reply(self, replies, error):
        failures = [
            _failure(item)
            for ok, item in replies
            if not ok and not ("delete" in item and item["delete"].get("status") == 404)
        ]
        if (
            replies
            and len(failures) == len(replies)
            and all(_retryable(failure.status) for failure in failures)
        ):
            reason = error or failures[0].reason
            if isinstance(error, self.timeout_errors):
                raise EngineTimedOut(f"{self}: {reason}")
            raise EngineUnavailable(f"{self}: {reason}")
        return {
            "errors": any(not ok for ok, _item in replies),
            "items": [item for _ok, item in replies],
            "failures": failures,
        }

    def _write(self, method):
        """``method()``, a write, retried with back-off (``self.writes``) while the engine is
        unavailable (429, 5xx, timed out, not connected); a missing index is not retried."""
        for attempt in range(self.writes.retries + 1):
            try:
                return self._call(method)
            except IndexMissing:
                raise
            except EngineUnavailable as error:
                if attempt == self.writes.retries:
                    raise
                logger.warning(
                    "Retrying a write in %.1f s: %s", self.writes.delay(attempt + 1), error
                )
                time.sleep(self.writes.delay(attempt + 1))
        return None

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

    def indices(self, write=False, timeout=None):
        """The client's indices namespace (create, delete, exists, refresh, aliases...); with
        ``write``, the one whose requests wait ``self.writes.timeout``; with ``timeout``
        (seconds), one whose requests wait that long instead."""
        client = self.write_client if write else self.client
        return self.within(client, timeout).indices if timeout else client.indices

    @abstractmethod
    def within(self, client, timeout):
        """``client`` as one whose requests wait at most ``timeout`` seconds."""

    def create_index(self, name, body):
        """Create index ``name``; a retry that finds it made by the attempt that timed out is
        done, not an error."""
        attempts = []

        def create():
            attempts.append(1)
            try:
                return self.indices(write=True).create(index=name, body=body)
            except self.client_errors as error:
                if len(attempts) > 1 and "resource_already_exists" in str(error):
                    return None
                raise

        return self._write(create)

    def delete_index(self, name):
        return self._write(
            lambda: self.indices(write=True).delete(index=name, ignore_unavailable=True)
        )

    def index_exists(self, name):
        return self._call(lambda: self.indices().exists(index=name))

    def refresh(self, name):
        return self._write(lambda: self.indices(write=True).refresh(index=name))

    def index_settings(self, name, timeout=None):
        """``{"number_of_shards", "number_of_replicas", "refresh_interval"}`` of index ``name``
        (strings, as the engine reports them; ``refresh_interval`` None when never set) and the
        index's ``_meta`` mapping entry as ``"meta"``; read within ``timeout`` seconds when
        given, else the client's."""

        def get():
            reply = dict(self.indices(timeout=timeout).get(index=name))
            (index,) = reply.values()
            return index

        index = self._call(get)
        settings = index["settings"]["index"]
        return {
            "number_of_shards": settings.get("number_of_shards"),
            "number_of_replicas": settings.get("number_of_replicas"),
            "refresh_interval": settings.get("refresh_interval"),
            "creation_date": settings.get("creation_date"),
            "meta": index.get("mappings", {}).get("_meta", {}),
        }

    def put_settings(self, name, settings):
        """Change dynamic ``settings`` (e.g. ``{"number_of_replicas": 1}``) of index ``name``."""
        return self._write(
            lambda: self.indices(write=True).put_settings(index=name, body={"index": settings})
        )

    def put_meta(self, name, meta):
        """Replace the ``_meta`` entry of index ``name``'s mapping with ``meta``."""
        return self._write(
            lambda: self.indices(write=True).put_mapping(index=name, body={"_meta": meta})
        )

    def add_fields(self, name, properties):
        """Add the fields ``properties`` (``{field: mapping}``) to index ``name``'s mapping: the
        engines accept new fields on a live index, not changes to existing ones."""
        return self._write(
            lambda: self.indices(write=True).put_mapping(
                index=name, body={"properties": properties}
            )
        )

    def indices_behind(self, alias, timeout=None):
        """Names of the indices ``alias`` points to (empty when it does not exist), read within
        ``timeout`` seconds when given, else the client's."""
        indices = self.indices(timeout=timeout)

        def get():
            if not indices.exists_alias(name=alias):
                return []
            return sorted(indices.get_alias(name=alias))

        return self._call(get)

    def indices_matching(self, pattern):
        return self._call(
            lambda: sorted(self.indices().get(index=pattern, ignore_unavailable=True))
        )

    def update_aliases(self, actions):
        """Apply alias ``actions`` atomically (one ``_aliases`` request)."""
        return self._write(
            lambda: self.indices(write=True).update_aliases(body={"actions": actions})
        )

    #: The class of OpenSearch's k-NN plugin, as every node reports it (``_nodes/plugins``).
    KNN_PLUGIN = "org.opensearch.knn.plugin.KNNPlugin"

    def offers_knn(self):
        """True when every node of the cluster runs OpenSearch's k-NN plugin (``knn_vector``
        fields and ``knn`` queries: ``search.engine_vectors``); False on Elasticsearch, whose
        ``dense_vector`` the portal does not use yet."""
        if self.product != "opensearch":
            return False

        def get():
            return self.client.nodes.info(metric="plugins")

        nodes = self._call(get)["nodes"].values()
        return bool(nodes) and all(
            any(plugin.get("classname") == self.KNN_PLUGIN for plugin in node.get("plugins", []))
            for node in nodes
        )

    def mapping(self, name):
        """The mapping of index (or single-index alias) ``name`` as the engine reports it:
        ``{"properties": {...}}``."""
        reply = dict(self._call(lambda: self.indices().get_mapping(index=name)))
        (index,) = reply.values()
        return index["mappings"]

    def count(self, index):
        return self._call(lambda: self.client.count(index=index)["count"])

    def cluster_health(self, timeout):
        """The cluster's ``_cluster/health`` as ``{"status": "green"|"yellow"|"red", "nodes": n}``,
        read within ``timeout`` seconds."""
        reply = self._call(lambda: self.within(self.client, timeout).cluster.health())
        return {"status": reply["status"], "nodes": reply["number_of_nodes"]}
