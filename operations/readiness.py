"""What ``/ready/`` reports: whether this web process can serve readers, and what lags behind.

Each check returns ``{"status": "ok" | "degraded" | "unavailable", ...figures}``. Only the
database makes the portal unavailable (nothing can be served without it); an engine that is down
or red, an outbox or task queue that nobody drains, a scheduler that stopped or whose job failed,
or a cache that does not answer leave the portal serving (searches answer from the database;
index updates, email and scheduled publication wait; pages are rendered each time) and make it
degraded, for monitoring to alert on.
"""

import logging

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from operations.models import JobRun
from operations.page_cache import CACHE_FAILURES
from search.client import engine_configured, get_engine
from search.engines import EngineUnavailable
from search.models import SearchOutboxEntry

logger = logging.getLogger(__name__)

#: Seconds the engine has to answer the readiness check.
ENGINE_SECONDS = 2
#: Age in seconds of the oldest waiting index update or background task that means no worker is
#: draining them (the outbox worker polls every few seconds; retries back off up to 5 minutes).
QUEUE_LATE_SECONDS = 600
#: Age in seconds of the scheduler's newest run that means it stopped (its shortest job runs
#: every minute).
SCHEDULER_LATE_SECONDS = 180

OK, DEGRADED, UNAVAILABLE = "ok", "degraded", "unavailable"


def readiness():
    """``{"status": ..., "checks": {name: check}}``: the worst status of the checks."""
    checks = {"database": database()}
    if checks["database"]["status"] == OK:
        try:
            checks |= {
                "search_outbox": queue(_due(SearchOutboxEntry.objects), "next_attempt_at"),
                "tasks": queue(DBTaskResult.objects.ready(), "enqueued_at"),
                "scheduler": scheduler(),
            }
        except DatabaseError:
            logger.exception("Readiness: the portal's tables cannot be read (not migrated?)")
            checks["database"] = {"status": UNAVAILABLE, "tables": "unreadable"}
        checks["search_engine"] = search_engine()
    checks["cache"] = shared_cache()
    statuses = {check["status"] for check in checks.values()}
    status = UNAVAILABLE if UNAVAILABLE in statuses else DEGRADED if DEGRADED in statuses else OK
    return {"status": status, "checks": checks}


def database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means the database cannot serve
        logger.exception("Readiness: the database did not answer")
        return {"status": UNAVAILABLE}
    return {"status": OK}


def search_engine():
    """The cluster's health, or ``not configured`` (the database search answers, by design)."""
    if not engine_configured():
        return {"status": OK, "engine": "not configured"}
    try:
        health = get_engine(connect_timeout=ENGINE_SECONDS).cluster_health(ENGINE_SECONDS)
    except (EngineUnavailable, ValueError) as error:
        logger.warning("Readiness: the search engine did not answer: %s", error)
        return {"status": DEGRADED, "engine": "unavailable"}
    status = DEGRADED if health["status"] == "red" else OK
    return {"status": status, "cluster": health["status"], "nodes": health["nodes"]}


def shared_cache():
    """Whether the caches answer (rate limits and the engine's circuit in ``default``, public
    pages in ``pages``): without them every limit and stored page is gone, not the portal."""
    try:
        for alias in ("default", "pages"):
            caches[alias].get("readiness-probe")
    except CACHE_FAILURES:
        logger.warning("Readiness: a cache did not answer", exc_info=True)
        return {"status": DEGRADED}
    return {"status": OK}


def _due(entries):
    return entries.filter(next_attempt_at__lte=timezone.now())


def queue(entries, since_field):
    """How many ``entries`` wait and the seconds the oldest has waited since ``since_field``
    (when it was queued, or became due again after a failed attempt)."""
    oldest = entries.order_by(since_field).values_list(since_field, flat=True).first()
    age = round((timezone.now() - oldest).total_seconds()) if oldest else 0
    status = DEGRADED if age > QUEUE_LATE_SECONDS else OK
    return {"status": status, "waiting": entries.count(), "oldest_seconds": age}


def scheduler():
    """The newest run of any scheduled job and its age in seconds, and the jobs whose last run
    failed (a nightly backup that fails every night is not ready for anything)."""
    newest = JobRun.objects.order_by("-started_at").first()
    if newest is None:
        return {"status": DEGRADED, "last_run": None}
    age = round((timezone.now() - newest.started_at).total_seconds())
    failed = sorted(job for job, succeeded in _last_outcomes() if succeeded is False)
    status = DEGRADED if age > SCHEDULER_LATE_SECONDS or failed else OK
    return {
        "status": status,
        "last_run": newest.started_at.isoformat(),
        "age_seconds": age,
        "failed_jobs": failed,
    }


def _last_outcomes():
    """``(job, succeeded)`` of each job's newest finished run."""
    finished = JobRun.objects.exclude(succeeded=None)
    newest = finished.filter(job=OuterRef("job")).order_by("-started_at").values("pk")[:1]
    return finished.filter(pk=Subquery(newest)).values_list("job", "succeeded")
