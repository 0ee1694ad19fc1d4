from django.core.management.base import BaseCommand, CommandError

from lessons.importing import import_register_file


class Command(BaseCommand):
    help = (
        "Bring an existing lessons register into the portal from a JSON Lines file: each line "
        "an entry's status and actions (see docs/import-format.md, 'Lesson register'). Bad "
        "lines are reported with their line number; the others are imported. Import the items "
        "first (import_knowledge)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, one entry of the register per line")

    def handle(self, *args, file, verbosity=1, **options):
        try:
            report = import_register_file(file)
        except OSError as error:
            raise CommandError(f"Cannot read {error.filename}: {error.strerror}") from error
        for number, problem in report.failures:
            self.stderr.write(f"line {number}: {problem}")
        summary = (
            f"{report.updated} lessons updated, {report.actions} actions written, "
            f"{len(report.failures)} failed"
        )
        if report.failures:
            raise CommandError(summary)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary))
