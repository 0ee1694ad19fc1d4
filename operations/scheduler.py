"""The scheduler: the portal's periodic jobs run at their times by one long-running process
(``manage.py run_scheduler``), each run recorded as a ``JobRun``.

The jobs and their times are the setting ``SCHEDULED_JOBS``: ``{name: (crontab, command)}``, the
crontab in the five fields of cron(5) in UTC, the command a management command and its
arguments. One process runs them all (APScheduler, in threads): a job still running when its
next time comes is not started twice, a run late by up to ``MISFIRE_SECONDS`` (the process was
busy) still happens, and times that passed while the process was down are not made up (the job
runs at its next time). Run exactly one scheduler per deployment.
"""

import io
import logging
from datetime import UTC, timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from operations.models import JobRun

logger = logging.getLogger(__name__)

#: A run late by up to this many seconds (the process was busy) still happens.
MISFIRE_SECONDS = 600
#: Runs older than this are deleted as the job runs again (a minute's job makes 1,440 a day).
KEEP_RUNS = timedelta(days=7)
#: Characters of a job's output kept with its run.
OUTPUT_CHARS = 2000


def scheduled_jobs():
    """``{name: (CronTrigger, command)}`` from ``SCHEDULED_JOBS``; raises ``ValueError`` for a
    crontab that is not five valid cron fields."""
    return {
        name: (CronTrigger.from_crontab(crontab, timezone=UTC), command)
        for name, (crontab, command) in settings.SCHEDULED_JOBS.items()
    }


def run_job(name):
    """Run the scheduled job ``name`` once and record it; returns its ``JobRun``.

    A job that raises is recorded as failed with its error (and logged); it never stops the
    scheduler. Raises ``KeyError`` for a name not in ``SCHEDULED_JOBS``.
    """
    command = settings.SCHEDULED_JOBS[name][1]
    run = JobRun.objects.create(job=name, started_at=timezone.now())
    output = io.StringIO()
    try:
        call_command(*command, stdout=output, stderr=output)
    except Exception as error:  # noqa: BLE001 - any failure is the job's, recorded and logged
        logger.exception("Scheduled job %s failed", name)
        run.succeeded, text = False, f"{output.getvalue()}{type(error).__name__}: {error}"
    else:
        run.succeeded, text = True, output.getvalue()
    run.finished_at = timezone.now()
    run.output = text[-OUTPUT_CHARS:]
    run.save(update_fields=["finished_at", "succeeded", "output"])
    JobRun.objects.filter(job=name, started_at__lt=run.started_at - KEEP_RUNS).delete()
    return run


def _run_in_thread(name):
    try:
        run_job(name)
    finally:
        # Each job runs in a thread of the scheduler's pool, with connections of its own.
        connections.close_all()


def scheduler():
    """A ``BlockingScheduler`` with every job of ``SCHEDULED_JOBS`` added (not started)."""
    blocking = BlockingScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_SECONDS},
    )
    for name, (trigger, _command) in scheduled_jobs().items():
        blocking.add_job(_run_in_thread, trigger, args=[name], id=name, name=name)
    return blocking
