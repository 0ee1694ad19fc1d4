"""Backups of what the portal cannot rebuild, and the drill that proves one can be restored.

A backup is a folder ``compass-<UTC time>/`` holding the database (PostgreSQL: ``pg_dump``'s
custom format; SQLite: a copy made with SQLite's online backup API), the media files (documents,
images, offline packs) as ``media.tar.gz``, and ``manifest.json``: each file's SHA-256, the
content's summary (``content_summary``: rows and a checksum per table), the migrations applied
and the search settings a rebuild of the index needs. The search index, the passage vectors and
the caches are not backed up: they are rebuilt from the database (README, "Deploying").
"""

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from wagtail.utils.file import hash_filelike

#: Apps whose tables hold what readers and editors made (everything else is rebuilt or transient:
#: sessions, caches, task results, the search outbox and vectors, login attempts, job runs).
CONTENT_APPS = (
    "auth",
    "wagtailcore",
    "wagtaildocs",
    "wagtailimages",
    "wagtailredirects",
    "taggit",
    "knowledge",
    "lessons",
    "vocabulary",
    "subscriptions",
    "oai",
    "otp_totp",
    "otp_static",
)
#: Derived rows that a restore may rebuild differently (renditions are made again on demand).
SKIPPED_MODELS = ("wagtailimages.Rendition", "wagtailcore.ReferenceIndex")
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(Exception):
    """A backup could not be made or does not match its manifest (the message says what)."""


def content_models():
    return [
        model
        for app in apps.get_app_configs()
        if app.label in CONTENT_APPS
        for model in app.get_models()
        if model._meta.label not in SKIPPED_MODELS and not model._meta.proxy
    ]


def table_summary(model):
    """``{"rows": n, "sha256": hex}`` of ``model``'s table: every column of every row, in
    primary-key order, as JSON (the same database engine gives the same text after a restore)."""
    columns = [field.attname for field in model._meta.concrete_fields]
    digest = hashlib.sha256()
    rows = 0
    for row in model._base_manager.order_by("pk").values_list(*columns).iterator(chunk_size=2000):
        digest.update(json.dumps(row, default=str, sort_keys=True).encode())
        rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}


def content_summary():
    """``{table label: {"rows", "sha256"}}`` for every content table (``CONTENT_APPS``)."""
    return {model._meta.label: table_summary(model) for model in content_models()}


def missing_or_changed_files():
    """Names of stored documents and images whose file is missing under ``MEDIA_ROOT`` or whose
    hash differs from the one Wagtail recorded when it was uploaded (``file_hash``)."""
    problems = []
    for label in ("wagtaildocs.Document", "wagtailimages.Image"):
        for item in apps.get_model(label).objects.order_by("pk"):
            path = Path(settings.MEDIA_ROOT) / item.file.name
            if not path.is_file():
                problems.append(f"{item.file.name} (missing)")
            elif item.file_hash and _wagtail_hash(path) != item.file_hash:
                problems.append(f"{item.file.name} (changed)")
    return problems


def create_backup(directory):
    """Write a backup into a new folder under ``directory``; returns its path. Raises
    ``BackupError`` when the database cannot be dumped."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    folder = Path(directory) / f"compass-{stamp}"
    folder.mkdir(parents=True)
    database_file = _dump_database(folder)
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "file": database_file},
        "files": {name: _sha256(folder / name) for name in (database_file, MEDIA_ARCHIVE)},
        "content": content_summary(),
        "migrations": _applied_migrations(),
        "search": {
            "index_prefix": settings.SEARCH_INDEX_PREFIX,
            "shards": settings.SEARCH_INDEX_SHARDS,
            "replicas": settings.SEARCH_INDEX_REPLICAS,
            "refresh_interval": settings.SEARCH_INDEX_REFRESH_INTERVAL,
        },
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return folder


def prune_backups(directory, keep):
    """Delete all but the newest ``keep`` backups in ``directory``; returns the deleted paths."""
    backups = sorted(Path(directory).glob("compass-*T*Z"))
    old = backups[:-keep] if keep else backups
    for folder in old:
        shutil.rmtree(folder)
    return old


def read_manifest(folder):
    """The backup's manifest, after checking every file against its SHA-256; raises
    ``BackupError`` naming a missing or damaged file."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a backup of the portal")
    manifest = json.loads(path.read_text())
    for name, expected in manifest["files"].items():
        if not (Path(folder) / name).is_file():
            raise BackupError(f"{name} is missing from the backup")
        if _sha256(Path(folder) / name) != expected:
            raise BackupError(f"{name} is damaged: its SHA-256 differs from the manifest's")
    return manifest


def _dump_database(folder):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as target:
            connection.connection.backup(target)
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
        _run(command + ["--file", str(folder / "database.dump"), postgres_url()])
        return "database.dump"
    raise BackupError(f"no backup for a {connection.vendor} database")


def postgres_url(name=None):
    """A ``postgresql://`` URL of the default database (or of database ``name`` on its server),
    as libpq's tools take it."""
    config = connection.settings_dict
    user = config["USER"]
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    host = f"{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}"
    return f"postgresql://{user}{password}@{host}/{name or config['NAME']}"


def _wagtail_hash(path):
    with open(path, "rb") as stream:
        return hash_filelike(stream)


def _run(command):
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")


def _applied_migrations():
    applied = MigrationRecorder(connection).applied_migrations()
    latest = {}
    for app, name in sorted(applied):
        latest[app] = name
    return latest


def _sha256(path):
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
