from django.core.management.base import BaseCommand

from lessons.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email the owners and section moderators of the actions coming due and overdue (run "
        "daily, e.g. from cron; each reminder goes once per due date)."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent['due']} actions reminded as due, {sent['overdue']} as overdue.")
