from django.core.management.base import BaseCommand, CommandError

from knowledge.importing import import_knowledge_file


class Command(BaseCommand):
    help = (
        "Create or update knowledge pages from a JSON Lines file (see docs/import-format.md). "
        "Bad lines are reported with their line number; the others are imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, one knowledge item per line")
        parser.add_argument(
            "--attachments", help="folder holding the attachment files (default: the file's folder)"
        )

    def handle(self, *args, **options):
        try:
            report = import_knowledge_file(options["file"], options["attachments"])
        except OSError as error:
            raise CommandError(f"Cannot read {error.filename}: {error.strerror}") from error
        for number, reason in report.failures:
            self.stderr.write(f"line {number}: {reason}")
        summary = (
            f"{report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.failures)} failed"
        )
        if report.failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
