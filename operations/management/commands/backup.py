from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Back up the database, the media files and what a rebuild of the search index needs "
        "into a new folder under --output (BACKUP_DIR), then keep only the newest --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BACKUP_DIR))
        parser.add_argument("--keep", type=int, default=settings.BACKUP_KEEP)

    def handle(self, *args, output, keep, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            folder = create_backup(output)
        except BackupError as error:
            raise CommandError(f"No backup made: {error}") from error
        size = sum(path.stat().st_size for path in folder.iterdir())
        self.stdout.write(f"Backup written: {folder} ({size / 1e6:.1f} MB)")
        for old in prune_backups(output, keep):
            self.stdout.write(f"Deleted the older backup {old}")
