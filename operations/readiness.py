"""What ``/ready/`` reports: whether this web process can serve readers, and what lags behind.

Each check returns ``{"status": "ok" | "degraded" | "unavailable", ...figures}``. Only the
database makes the portal unavailable (nothing can be served without it); an engine that is down
or red, an outbox or task queue that nobody drains, or a scheduler that stopped leave the portal
serving (searches answer from the database; index updates, email and scheduled publication wait)
and make it degraded, for monitoring to alert on.
"""

import logging

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from operations.models import JobRun
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
                "search_outbox": queue(SearchOutboxEntry.objects.all(), "created_at"),
                "tasks": queue(DBTaskResult.objects.ready(), "enqueued_at"),
                "scheduler": scheduler(),
            }
        except DatabaseError:
            logger.exception("Readiness: the portal's tables cannot be read (not migrated?)")
            checks["database"] = {"status": UNAVAILABLE, "tables": "unreadable"}
        checks["search_engine"] = search_engine()
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


def queue(entries, created_field):
    """How many ``entries`` wait and the age in seconds of the oldest."""
    oldest = entries.order_by(created_field).values_list(created_field, flat=True).first()
    age = round((timezone.now() - oldest).total_seconds()) if oldest else 0
    status = DEGRADED if age > QUEUE_LATE_SECONDS else OK
    return {"status": status, "waiting": entries.count(), "oldest_seconds": age}


def scheduler():
    """The newest run of any scheduled job and its age in seconds."""
    newest = JobRun.objects.order_by("-started_at").first()
    if newest is None:
        return {"status": DEGRADED, "last_run": None}
    age = round((timezone.now() - newest.started_at).total_seconds())
    status = DEGRADED if age > SCHEDULER_LATE_SECONDS else OK
    return {"status": status, "last_run": newest.started_at.isoformat(), "age_seconds": age}
