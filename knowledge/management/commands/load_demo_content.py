from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knowledge.importing import import_knowledge_file
from knowledge.models import KnowledgePage

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "knowledge.jsonl"


class Command(BaseCommand):
    help = "Import the demo knowledge items when the portal has none yet."

    def handle(self, *args, **options):
        if KnowledgePage.objects.exists():
            self.stdout.write("Knowledge pages exist already; demo content not loaded.")
            return
        report = import_knowledge_file(DEMO_FILE, DEMO_FILE.parent / "attachments")
        for number, reason in report.failures:
            self.stderr.write(f"line {number}: {reason}")
        if report.failures:
            raise CommandError(f"{len(report.failures)} demo lines failed")
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {report.created} items."))
