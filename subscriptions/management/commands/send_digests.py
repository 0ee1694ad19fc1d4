from django.core.management.base import BaseCommand
from django.utils import timezone

from subscriptions.digests import purge_unconfirmed, send_digests
from subscriptions.models import Subscription


class Command(BaseCommand):
    help = (
        "Email confirmed subscribers the items published since their last digest (run daily for "
        "--frequency daily, weekly for --frequency weekly, e.g. from cron), and delete addresses "
        "left unconfirmed for a week."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[Subscription.DAILY, Subscription.WEEKLY],
            required=True,
            help="which subscribers to serve",
        )

    def handle(self, *args, **options):
        now = timezone.now()
        purged = purge_unconfirmed(now)
        sent, checked = send_digests(options["frequency"], now)
        self.stdout.write(
            f"{sent} digests sent to {checked} {options['frequency']} subscribers; "
            f"{purged} unconfirmed addresses deleted."
        )
