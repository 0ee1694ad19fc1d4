import json

from django.core.management.base import BaseCommand

from operations.backups import content_summary, missing_or_changed_files


class Command(BaseCommand):
    help = (
        "Print, as JSON, the rows and a checksum of every content table, and the documents and "
        "images whose file is missing or changed under MEDIA_ROOT (the restore drill compares it)."
    )

    def handle(self, *args, **options):
        summary = {"content": content_summary(), "files": missing_or_changed_files()}
        self.stdout.write(json.dumps(summary, indent=1))
