from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError
from operations.restore_drill import restore_drill


class Command(BaseCommand):
    help = (
        "Restore a backup into a scratch database and folder, check that its content equals "
        "what was backed up (rows and checksums, media hashes) and that the search index "
        "rebuilds from it without drift; nothing live is touched. Exits non-zero on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="a backup folder (default: the newest)")

    def handle(self, *args, folder=None, **options):
        folder = Path(folder) if folder else self.newest()
        try:
            problems = restore_drill(folder, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(f"Restore drill failed: {error}") from error
        if problems:
            raise CommandError("Restore drill failed:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"Restore drill passed: {folder}"))

    def newest(self):
        backups = sorted(Path(settings.BACKUP_DIR).glob("compass-*T*Z"))
        if not backups:
            raise CommandError(f"No backup in {settings.BACKUP_DIR}.")
        return backups[-1]
