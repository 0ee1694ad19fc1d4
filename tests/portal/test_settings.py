"""Production settings read deployment values from the environment and refuse to start without a key."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LOAD_SETTINGS = "import django; django.setup(); from django.conf import settings; print(settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'])"


def run_with(env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    return subprocess.run(  # noqa: S603  (fixed interpreter and arguments)
        [sys.executable, "-c", LOAD_SETTINGS],
        cwd=PROJECT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment." in result.stderr


def test_production_reads_hosts_and_database_from_the_environment():
    result = run_with(
        {
            "SECRET_KEY": "k" * 50,
            "ALLOWED_HOSTS": "knowledge.example.org, www.knowledge.example.org",
            "DATABASE_URL": "postgres://user:pw@db.example.org:5432/compass",
        }
    )
    assert result.returncode == 0, result.stderr
    assert (
        "['knowledge.example.org', 'www.knowledge.example.org'] django.db.backends.postgresql"
        in result.stdout
    )


COUNT_ALLOWED = """
import django
django.setup()
from django.test import RequestFactory
from api.throttling import ApiRateThrottle
request = RequestFactory().get("/api/v1/", REMOTE_ADDR="198.51.100.4")
print(sum(ApiRateThrottle().allow_request(request, None) for _ in range(3)))
"""


def test_production_workers_count_a_clients_requests_together(tmp_path):
    """Two web worker processes share one rate-limit count (they tripled it with per-process
    caches)."""
    env = {
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "API_RATE": "4/hour",  # a window the slowest machine stays well within
    }
    clean = {k: v for k, v in os.environ.items() if k not in env}
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")

    def python(*args):
        return subprocess.run(  # noqa: S603  (fixed interpreter and arguments)
            [sys.executable, *args], cwd=PROJECT, env=clean, capture_output=True, text=True
        )

    assert python("manage.py", "createcachetable").returncode == 0
    first, second = python("-c", COUNT_ALLOWED), python("-c", COUNT_ALLOWED)
    assert (first.stdout.strip(), second.stdout.strip()) == ("3", "1"), first.stderr
