import signal

from apscheduler.events import EVENT_SCHEDULER_STARTED
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.scheduler import run_job, scheduled_jobs, scheduler


class Command(BaseCommand):
    help = (
        "Run the portal's periodic jobs (SCHEDULED_JOBS) at their times until stopped; "
        "--list prints them with their next times, --now JOB runs one job once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="print the jobs and exit")
        parser.add_argument("--now", metavar="JOB", help="run this job once and exit")

    def handle(self, *args, list=False, now=None, **options):
        if now:
            return self.run_now(now)
        if list:
            return self.list_jobs()
        blocking = scheduler()
        blocking.add_listener(lambda _event: self.started(blocking), EVENT_SCHEDULER_STARTED)
        # SIGTERM (systemd, Docker, honcho) lets a running job finish before the process ends.
        signal.signal(signal.SIGTERM, lambda *_: blocking.shutdown(wait=True))
        try:
            blocking.start()
        except KeyboardInterrupt:
            blocking.shutdown(wait=True)

    def started(self, blocking):
        self.stdout.write(f"Scheduler started with {len(blocking.get_jobs())} jobs.")
        self.stdout.flush()

    def list_jobs(self):
        for name, (trigger, command) in scheduled_jobs().items():
            following = trigger.get_next_fire_time(None, timezone.now())
            self.stdout.write(f"{name}: {' '.join(command)} (next {following:%Y-%m-%d %H:%M} UTC)")

    def run_now(self, name):
        try:
            run = run_job(name)
        except KeyError:
            raise CommandError(f"No scheduled job named {name!r} (see --list).") from None
        self.stdout.write(run.output)
        if not run.succeeded:
            raise CommandError(f"The job {name} failed.")
