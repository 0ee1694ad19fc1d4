"""The scheduler runs the periodic jobs of SCHEDULED_JOBS and records each run; a failing job is
recorded with its error and stops nothing."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from operations.models import JobRun
from operations.scheduler import run_job, scheduler

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_a_job_run_is_recorded_with_what_it_printed(settings):
    settings.SCHEDULED_JOBS = {"reminders": ("0 7 * * *", ["send_action_reminders"])}
    run = run_job("reminders")
    stored = JobRun.objects.get()
    assert stored == run
    assert (stored.job, stored.succeeded) == ("reminders", True)
    assert stored.finished_at >= stored.started_at
    assert stored.output == "0 actions reminded as due, 0 as overdue.\n"


def test_a_failing_job_is_recorded_as_failed_with_its_error(settings):
    settings.SEARCH_URL = ""
    settings.SCHEDULED_JOBS = {"drift": ("30 3 * * *", ["search_index", "check"])}
    run = run_job("drift")
    assert run.succeeded is False
    assert "CommandError: SEARCH_URL is not set" in JobRun.objects.get().output


def test_every_configured_job_is_scheduled_at_its_time(settings):
    jobs = {job.id: job for job in scheduler().get_jobs()}
    assert set(jobs) == set(settings.SCHEDULED_JOBS)
    assert str(jobs["daily_digests"].trigger) == (
        "cron[month='*', day='*', day_of_week='*', hour='6', minute='0']"
    )


def test_the_command_lists_jobs_and_runs_one_now(settings, capsys):
    call_command("run_scheduler", "--list")
    listed = capsys.readouterr().out
    assert "weekly_digests: send_digests --frequency weekly (next " in listed

    with pytest.raises(CommandError, match="No scheduled job named 'nightly'"):
        call_command("run_scheduler", "--now", "nightly")
    call_command("run_scheduler", "--now", "action_reminders")
    assert JobRun.objects.get().job == "action_reminders"


def test_the_scheduler_process_stops_cleanly_on_sigterm(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    process = subprocess.Popen(  # noqa: S603 (fixed interpreter and arguments)
        [sys.executable, "manage.py", "run_scheduler"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().startswith("Scheduler started with ")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
