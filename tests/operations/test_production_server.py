"""The production layout's web process: gunicorn with the production settings and the portal's
gunicorn.conf.py, on a real socket. Health probes get answers over plain HTTP; everything else is
sent to HTTPS, and what came through the proxy's HTTPS carries HSTS."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.sockets import refused_port

PROJECT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """gunicorn (one worker) on a free port, with an empty SQLite database: the web process as
    a fresh deployment starts it, before ``migrate``. Yields its address and its log file."""
    port = refused_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "s" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SEARCH_URL": "",
        "REDIS_URL": "",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    log = tmp_path_factory.mktemp("log") / "stderr.log"
    server = subprocess.Popen(  # noqa: S603 (fixed executable and arguments)
        [GUNICORN, "portal.wsgi", "--config", "gunicorn.conf.py"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", log
    server.terminate()
    server.wait(timeout=30)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, headers=None):
    """(status, headers, body) of a GET, redirects not followed."""
    opener = urllib.request.build_opener(NoRedirects)
    try:
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_health_answers_over_plain_http(production_server):
    status, headers, body = fetch(f"{production_server[0]}/health/")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_ready_says_unavailable_before_the_database_is_migrated(production_server):
    status, _headers, body = fetch(f"{production_server[0]}/ready/")
    assert status == 503
    report = json.loads(body)
    assert report["status"] == "unavailable"
    assert report["checks"]["database"] == {"status": "unavailable", "tables": "unreadable"}


def test_pages_are_sent_to_https(production_server):
    status, headers, _body = fetch(f"{production_server[0]}/en/")
    assert status == 301
    assert headers["Location"].startswith("https://127.0.0.1:")


def test_what_the_proxy_received_over_https_carries_hsts(production_server):
    status, headers, body = fetch(
        f"{production_server[0]}/robots.txt", headers={"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert b"Sitemap: https://127.0.0.1:" in body
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_log_is_one_json_object_per_line(production_server):
    address, log = production_server
    fetch(f"{address}/ready/")
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    failure = next(r for r in records if r["logger"] == "operations.readiness")
    assert failure["level"] == "ERROR"
    assert failure["message"] == "Readiness: the portal's tables cannot be read (not migrated?)"
    assert "no such table" in failure["exc_info"]
