from django.core.management.base import BaseCommand

from knowledge.site_setup import set_up_portal


class Command(BaseCommand):
    help = "Create the locales, countries, themes and each language's page tree (idempotent)."

    def handle(self, *args, **options):
        home = set_up_portal()
        self.stdout.write(self.style.SUCCESS(f"Portal ready: {home.title} and its translations."))
