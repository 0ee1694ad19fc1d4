"""The requests the portal sends the engine, recorded, and sent again without the portal.

``RecordingEngine`` wraps a ``SearchEngine``: the portal's code calls it as it would the engine,
and it notes every request at the adapter's lowest level (``EngineRequest``: the endpoint and the
exact body the client was given) and the engine's ``took`` of each answer. ``portal_requests``
records what one page of the portal sends for a query; ``EngineRequest.send`` replays a request
straight through the client (``bench.search``'s raw side); ``bench.engine_cost`` reads the
``took``s.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from search import circuit
from search.engines.base import SearchEngine


@dataclass(frozen=True)
class EngineRequest:
    """One request as the adapter handed it to the client: ``endpoint`` (``"search"`` or
    ``"msearch"``), the ``index`` (or alias) and the ``body`` (a dict; for ``msearch`` the list
    of header and body lines)."""

    endpoint: str
    index: str
    body: object

    def send(self, engine, timeout=None):
        """Send it again through ``engine``'s client (no elasticsearch-dsl, no portal code);
        returns the client's raw reply."""
        send = engine._search if self.endpoint == "search" else engine._msearch
        return send(self.index, self.body, timeout)


class RecordingEngine:
    """``engine`` (a ``SearchEngine``), noting each request it sends (``requests``) and the
    engine's ``took`` (ms) of each answer (``tooks``; an ``_msearch``'s searches summed: they
    may run side by side). ``timeout`` (seconds), when given, replaces every caller's own.

    Searches go through ``SearchEngine``'s own ``search`` and ``msearch``, so the bodies
    recorded are those the portal's engine would send, built by the same code."""

    def __init__(self, engine, timeout=None):
        self.engine, self.timeout = engine, timeout
        self.requests, self.tooks = [], []

    def __str__(self):
        return str(self.engine)

    def search(self, search, index, timeout=None):
        """``SearchEngine.search`` through this recorder (so ``_search`` records the body)."""
        return SearchEngine.search(self, search, index, self.timeout or timeout)

    def msearch(self, searches, index, timeout=None):
        """``SearchEngine.msearch`` through this recorder (so ``_msearch`` records the body)."""
        return SearchEngine.msearch(self, searches, index, self.timeout or timeout)

    def _call(self, method, *args):
        return self.engine._call(method, *args)

    def _search(self, index, body, timeout):
        self.requests.append(EngineRequest("search", index, body))
        reply = self.engine._search(index, body, timeout)
        self.tooks.append(reply["took"])
        return reply

    def _msearch(self, index, body, timeout):
        self.requests.append(EngineRequest("msearch", index, body))
        reply = self.engine._msearch(index, body, timeout)
        self.tooks.append(sum(answer.get("took", 0) for answer in reply["responses"]))
        return reply

    def __getattr__(self, name):
        return getattr(self.engine, name)


@contextmanager
def recording(engine):
    """Within the block, the portal's searches (``search.circuit.engine_or_database``, through
    which every reader's search reaches the engine) go through a ``RecordingEngine`` of
    ``engine``, which the block receives."""
    recorder = RecordingEngine(engine)
    with mock.patch.object(circuit, "get_engine", lambda connect_timeout=None: recorder):
        yield recorder


def portal_requests(engine, client, path, degraded=None):
    """``[EngineRequest]``: what the portal sends ``engine`` to answer ``path`` (requested
    through ``client``, a Django test client). Raises ``RuntimeError`` when the page fails, says
    ``degraded`` (bytes: the database answered instead) or the engine was not asked."""
    with recording(engine) as recorder:
        response = client.get(path)
    failed = response.status_code != 200 or (degraded and degraded in response.content)
    if failed or not recorder.requests:
        raise RuntimeError(f"{path}: status {response.status_code}, not answered by the engine")
    return recorder.requests
