from django.core.management.base import BaseCommand, CommandError

from knowledge.importing import import_knowledge_file
from portal.progress import progress


class Command(BaseCommand):
    help = (
        "Create or update knowledge pages from a JSON Lines file (see docs/import-format.md). "
        "Bad lines are reported with their line number; the others are imported. An unreadable "
        "PDF attachment is reported as a warning on its line, and its page imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, one knowledge item per line")
        parser.add_argument(
            "--attachments", help="folder holding the attachment files (default: the file's folder)"
        )

    def handle(self, *args, verbosity=1, **options):
        try:
            total = _count_lines(options["file"])
            with progress(
                "Import", total=total, verbosity=verbosity, stream=self.stderr, unit="line"
            ) as state:
                report = import_knowledge_file(
                    options["file"], options["attachments"], on_progress=state.advance
                )
        except OSError as error:
            raise CommandError(f"Cannot read {error.filename}: {error.strerror}") from error
        problems = report.failures + [
            (number, f"warning: {warning}") for number, warning in report.warnings
        ]
        for number, problem in sorted(problems, key=lambda numbered: numbered[0]):
            self.stderr.write(f"line {number}: {problem}")
        summary = (
            f"{report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.failures)} failed"
        )
        if report.warnings:
            summary += f", {len(report.warnings)} unreadable attachment(s)"
        if report.failures or report.warnings:
            raise CommandError(summary)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary))


def _count_lines(path):
    """The number of lines of the file at ``path`` (a last line without a newline counts)."""
    count, last = 0, b"\n"
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")
