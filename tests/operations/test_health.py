"""``/health/`` says the process answers; ``/ready/`` whether the portal can serve and what lags
behind it (engine, index updates, background tasks, scheduler), in JSON with the right status."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from operations.models import JobRun
from search.models import SearchOutboxEntry
from tests.sockets import HungServer, refused_port

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler_ran():
    JobRun.objects.create(job="publish_scheduled", started_at=timezone.now(), succeeded=True)


def test_health_answers_without_asking_anything_else(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_is_ok_when_everything_answers_and_is_drained(client, settings, scheduler_ran):
    settings.SEARCH_URL = ""
    response = client.get("/ready/")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["checks"]["database"] == {"status": "ok"}
    assert report["checks"]["search_engine"] == {"status": "ok", "engine": "not configured"}
    assert report["checks"]["search_outbox"] == {"status": "ok", "waiting": 0, "oldest_seconds": 0}
    assert report["checks"]["scheduler"]["status"] == "ok"
    assert report["checks"]["cache"] == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_scheduler_that_never_ran_or_stopped_makes_the_portal_degraded(client, settings):
    settings.SEARCH_URL = ""
    report = client.get("/ready/").json()
    assert report["status"] == "degraded"
    assert report["checks"]["scheduler"] == {"status": "degraded", "last_run": None}

    JobRun.objects.create(
        job="publish_scheduled", started_at=timezone.now() - timedelta(minutes=10), succeeded=True
    )
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["scheduler"]["status"] == "degraded"
    assert response.json()["checks"]["scheduler"]["age_seconds"] >= 600


def test_index_updates_nobody_drains_make_the_portal_degraded(client, settings, scheduler_ran):
    settings.SEARCH_URL = ""
    SearchOutboxEntry.objects.create(page_id=1)
    assert client.get("/ready/").json()["checks"]["search_outbox"]["status"] == "ok"

    # Postponed after a failed attempt: not late until it is due.
    SearchOutboxEntry.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert client.get("/ready/").json()["checks"]["search_outbox"]["waiting"] == 0

    SearchOutboxEntry.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=20))
    report = client.get("/ready/").json()
    assert report["status"] == "degraded"
    outbox = report["checks"]["search_outbox"]
    assert outbox["status"] == "degraded"
    assert outbox["waiting"] == 1
    assert outbox["oldest_seconds"] >= 1200


def test_ready_reports_the_engine_cluster(client, search_engine, scheduler_ran):
    report = client.get("/ready/").json()
    engine = report["checks"]["search_engine"]
    assert engine["status"] == "ok"
    assert engine["cluster"] in {"green", "yellow"}
    assert engine["nodes"] >= 1
    assert report["status"] == "ok"


@pytest.mark.parametrize("engine", ["hung", "refusing"])
def test_an_engine_that_hangs_or_refuses_makes_the_portal_degraded_not_unready(
    client, settings, scheduler_ran, engine
):
    hung = HungServer() if engine == "hung" else None
    settings.SEARCH_URL = hung.url if hung else f"http://127.0.0.1:{refused_port()}"
    started = time.monotonic()
    try:
        response = client.get("/ready/")
    finally:
        if hung:
            hung.close()
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["search_engine"] == {
        "status": "degraded",
        "engine": "unavailable",
    }


def test_health_checks_answer_whatever_host_the_probe_names(client, settings, scheduler_ran):
    settings.ALLOWED_HOSTS = ["knowledge.example.org"]
    settings.SEARCH_URL = ""
    assert client.get("/health/", HTTP_HOST="127.0.0.1:8000").json() == {"status": "ok"}
    assert client.get("/ready/", HTTP_HOST="10.0.0.5").json()["status"] == "ok"
    assert client.get("/en/", HTTP_HOST="127.0.0.1:8000").status_code == 400


ASK = (
    "import django; django.setup(); from django.test import Client; "
    "c = Client(HTTP_HOST='knowledge.example.org', HTTP_X_FORWARDED_PROTO='https'); "
    "[print(r.status_code, r.content.decode()) for r in (c.get('/health/'), c.get('/ready/'))]"
)


def test_ready_answers_503_and_health_200_when_the_database_is_unreachable():
    """Under the production settings, where each request runs in a database transaction."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "knowledge.example.org",
        "REDIS_URL": "",
        "LOG_FORMAT": "text",
        "DATABASE_URL": f"postgres://compass@127.0.0.1:{refused_port()}/compass",
    }
    result = subprocess.run(  # noqa: S603 (fixed interpreter and arguments)
        [sys.executable, "-c", ASK],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    health, ready = result.stdout.splitlines()
    assert health == '200 {"status": "ok"}'
    assert ready.startswith('503 {"status": "unavailable"')
    assert '"database": {"status": "unavailable"}' in ready


def test_a_scheduled_job_whose_last_run_failed_makes_the_portal_degraded(client, settings):
    settings.SEARCH_URL = ""
    now = timezone.now()
    for minutes, job, succeeded in [
        (5, "backup", True),
        (3, "backup", False),
        (1, "digests", True),
    ]:
        started = now - timedelta(minutes=minutes)
        JobRun.objects.create(job=job, started_at=started, finished_at=started, succeeded=succeeded)
    scheduler = client.get("/ready/").json()["checks"]["scheduler"]
    assert (scheduler["status"], scheduler["failed_jobs"]) == ("degraded", ["backup"])

    JobRun.objects.create(job="backup", started_at=now, finished_at=now, succeeded=True)
    scheduler = client.get("/ready/").json()["checks"]["scheduler"]
    assert (scheduler["status"], scheduler["failed_jobs"]) == ("ok", [])


def test_a_cache_that_does_not_answer_makes_the_portal_degraded(client, settings, scheduler_ran):
    settings.SEARCH_URL = ""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{refused_port()}/0",
        },
    }
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == {"status": "degraded"}
