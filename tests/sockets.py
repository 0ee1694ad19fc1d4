"""Real local sockets that stand in for a service that is down: one that refuses connections, one
that accepts them and never answers, and a proxy that can be switched from forwarding to hanging.

Tests use them instead of mocks, so the portal meets the same network behaviour it meets in
production (a refused connection, a read that times out).
"""

import contextlib
import json
import select
import socket
import threading
import time


def refused_port():
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HungServer:
    """Listens on a local port, accepts every connection and never sends a byte.

    ``connections`` counts the connections accepted so far.
    """

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._open = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(connection)
            self.accepted(connection)

    def accepted(self, connection):
        """What to do with a new connection: nothing, it just waits."""

    def _drop_open(self):
        """Close the open connections, so the client has to open new ones."""
        for connection in self._open:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
                connection.close()
        self._open = []

    def close(self):
        self.listener.close()
        self._drop_open()


class SwitchableProxy(HungServer):
    """A TCP proxy to ``target`` (host, port) that forwards until ``hang()`` is called; from then
    on it accepts new connections and never answers them, like an engine stuck in garbage
    collection. ``forward()`` switches it back. ``connections`` counts accepted connections and
    ``requests`` the HTTP requests forwarded;
    ``hang_after(n)`` forwards ``n`` more HTTP requests, then hangs mid-conversation; ``delay``
    (seconds) holds back each answer, like an engine that is slow but not stuck."""

    def __init__(self, target):
        self.target = target
        self.hanging = False
        self.requests_left = None
        self.delay = 0
        self.requests = 0
        super().__init__()

    def hang(self):
        self.hanging = True
        self._drop_open()

    def forward(self):
        self.hanging = False
        self.requests_left = None

    def hang_after(self, requests):
        self.requests_left = requests

    def accepted(self, connection):
        if not self.hanging:
            threading.Thread(target=self._relay, args=(connection,), daemon=True).start()

    def _relay(self, client):
        with contextlib.suppress(OSError), socket.create_connection(self.target) as upstream:
            self._open.append(upstream)
            pipes = [
                threading.Thread(target=self._requests, args=(client, upstream), daemon=True),
                threading.Thread(target=self._answers, args=(upstream, client), daemon=True),
            ]
            for pipe in pipes:
                pipe.start()
            for pipe in pipes:
                pipe.join()

    def _requests(self, client, upstream):
        """Forward what the client sends, counting requests, until told to hang."""
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                started = data.count(b" HTTP/1.1\r\n")
                if self._hangs_now(started):
                    return  # swallow the request: the client waits for an answer that never comes
                self.requests += started
                upstream.sendall(data)

    def _hangs_now(self, started):
        """Count ``started`` new requests against ``hang_after``; True once the proxy hangs."""
        if self.requests_left is not None:
            self.requests_left -= started
            if self.requests_left < 0:
                self.hanging = True
        return self.hanging

    def _answers(self, upstream, client):
        """Forward what the engine answers, each piece after ``delay`` seconds."""
        with contextlib.suppress(OSError):
            while data := upstream.recv(65536):
                time.sleep(self.delay)
                client.sendall(data)
        with contextlib.suppress(OSError):
            client.shutdown(socket.SHUT_WR)


class ScriptedProxy(SwitchableProxy):
    """A ``SwitchableProxy`` that answers the next requests whose request line ("PUT /name")
    contains a given part itself, as a struggling engine would (``hang()`` and ``hang_after()``
    still apply to every request): ``script("/_bulk", [429, 503, "hang"])`` answers the next
    request to a ``_bulk`` path with 429, the one after with 503, swallows the third (the client
    times out), then forwards again; a ``Hold`` holds a request
    until it is released or the client gives up, like an engine busy merging. ``answered`` lists
    what it did, e.g. ``[("/_bulk", 429), ...]`` (a ``Hold`` is listed as itself)."""

    def __init__(self, target):
        self.scripts = {}
        self.answered = []
        super().__init__(target)

    def script(self, path_part, outcomes):
        self.scripts[path_part.encode()] = list(outcomes)

    def _requests(self, client, upstream):
        buffer = b""
        with contextlib.suppress(OSError):
            while True:
                request, buffer = _read_message(client, buffer)
                if request is None or self._hangs_now(1):
                    return
                outcome = self._outcome(request)
                if outcome is None:
                    self.requests += 1
                    upstream.sendall(request)
                elif outcome == "hang":
                    return
                elif isinstance(outcome, Hold):
                    self.requests += 1
                    if not outcome.hold(client, request, upstream, self.target):
                        return
                elif isinstance(outcome, Reply):
                    client.sendall(outcome.message())
                else:
                    client.sendall(_status_reply(outcome))

    def _outcome(self, request):
        line = request.split(b"\r\n", 1)[0]
        for part, outcomes in self.scripts.items():
            if part in line and outcomes:
                outcome = outcomes.pop(0)
                self.answered.append((part.decode(), outcome))
                return outcome
        return None


class Reply:
    """A ``ScriptedProxy`` outcome: an answer of the proxy's own, ``body`` (a dict) as JSON with
    ``status``, e.g. a cluster that reports other plugins than the engine behind it runs."""

    def __init__(self, body, status=200):
        self.body, self.status = body, status

    def message(self):
        body = json.dumps(self.body).encode()
        head = (
            f"HTTP/1.1 {self.status} OK\r\n"
            "content-type: application/json; charset=UTF-8\r\n"
            f"content-length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    def __repr__(self):
        return f"Reply({self.status})"


class Hold:
    """A ``ScriptedProxy`` outcome: the request is held until ``release()`` (or ``until``, an
    ``Event``, is set) or until the client gives up (closes its connection), whichever comes
    first, then forwarded to the engine. No clock decides: the test says when.

    ``holding`` is set once the request is held; ``client_gave_up`` tells which came first. A
    request the client gave up on is still carried out, like an engine that finishes work nobody
    waits for any more; ``applied`` is set once the engine has answered it (another ``Hold`` can
    wait for it: ``Hold(until=first.applied)``).
    """

    def __init__(self, until=None):
        self.until = until or threading.Event()
        self.holding = threading.Event()
        self.applied = threading.Event()
        self.client_gave_up = False

    def release(self):
        """Let the held request go on to the engine (if its client is still waiting)."""
        self.until.set()

    def hold(self, client, request, upstream, target):
        """Hold ``request``, then forward it; False when the client is gone."""
        self.holding.set()
        while not self.until.wait(0.01):
            if _closed(client):
                self.client_gave_up = True
                _exchange(target, request)
                self.applied.set()
                return False
        upstream.sendall(request)  # the answer goes back to the client, who waits for it
        return True

    def __repr__(self):
        return "Hold(client_gave_up=True)" if self.client_gave_up else "Hold()"


def _closed(connection):
    """True when the other end closed ``connection`` (it reads as the end of the stream)."""
    readable, _writable, _errors = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _exchange(target, request):
    """Send ``request`` to ``target`` on a connection of its own and read the whole answer."""
    with socket.create_connection(target) as upstream:
        upstream.sendall(request)
        _read_message(upstream, b"")


def _read_message(connection, buffer):
    """``(one whole HTTP message (a request or an answer with a content-length), what was read
    after it)``; ``(None, b"")`` at the end."""
    while b"\r\n\r\n" not in buffer:
        data = connection.recv(65536)
        if not data:
            return None, b""
        buffer += data
    head, _separator, rest = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        data = connection.recv(65536)
        if not data:
            return None, b""
        rest += data
    return head + b"\r\n\r\n" + rest[:length], rest[length:]


def _status_reply(status):
    reasons = {429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
    body = (
        b'{"error":{"root_cause":[{"type":"es_rejected_execution_exception"}],'
        b'"type":"es_rejected_execution_exception","reason":"busy"},"status":%d}' % status
    )
    head = (
        f"HTTP/1.1 {status} {reasons.get(status, 'Error')}\r\n"
        "content-type: application/json; charset=UTF-8\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body
