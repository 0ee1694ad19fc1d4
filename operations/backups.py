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
import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
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


def table_summary(model, using=DEFAULT_DB_ALIAS):
    """``{"rows": n, "sha256": hex}`` of ``model``'s table in database ``using``: every column of
    every row, in primary-key order, as JSON (the same database engine gives the same text after a
    restore)."""
    columns = [field.attname for field in model._meta.concrete_fields]
    digest = hashlib.sha256()
    rows = 0
    table = model._base_manager.using(using).order_by("pk").values_list(*columns)
    for row in table.iterator(chunk_size=2000):
        digest.update(json.dumps(row, default=str, sort_keys=True).encode())
        rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}


def content_summary(using=DEFAULT_DB_ALIAS):
    """``{table label: {"rows", "sha256"}}`` for every content table (``CONTENT_APPS``)."""
    return {model._meta.label: table_summary(model, using) for model in content_models()}


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
    ``BackupError`` when the database cannot be dumped.

    The dump, the content summary and the migrations describe one moment of the database
    (PostgreSQL: read in a repeatable-read transaction whose snapshot ``pg_dump`` shares; SQLite:
    read from the copy SQLite's online backup made), so writes during the backup cannot make them
    differ. The folder is written as ``….partial`` and renamed when complete: a backup cut short
    is never taken for one.
    """
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    final = Path(directory) / f"compass-{stamp}"
    folder = final.with_name(f"{final.name}.partial")
    folder.mkdir(parents=True)
    if connection.vendor == "postgresql":
        with database_snapshot() as snapshot:
            database_file = _dump_postgres(folder, snapshot)
            content, migrations = content_summary(), _applied_migrations(connection)
    elif connection.vendor == "sqlite":
        database_file = _copy_sqlite(folder)
        with _sqlite_file(folder / database_file) as alias:
            content, migrations = content_summary(alias), _applied_migrations(connections[alias])
    else:
        raise BackupError(f"no backup for a {connection.vendor} database")
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "file": database_file},
        "files": {name: _sha256(folder / name) for name in (database_file, MEDIA_ARCHIVE)},
        "content": content,
        "migrations": migrations,
        "search": {
            "index_prefix": settings.SEARCH_INDEX_PREFIX,
            "shards": settings.SEARCH_INDEX_SHARDS,
            "replicas": settings.SEARCH_INDEX_REPLICAS,
            "refresh_interval": settings.SEARCH_INDEX_REFRESH_INTERVAL,
        },
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    folder.rename(final)
    return final


@contextmanager
def database_snapshot():
    """A PostgreSQL transaction whose reads all see one moment; yields its exported snapshot id
    (for ``pg_dump --snapshot``)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield cursor.fetchone()[0]


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


def _dump_postgres(folder, snapshot):
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
    run_libpq([*command, f"--snapshot={snapshot}", "--file", str(folder / "database.dump")])
    return "database.dump"


def _copy_sqlite(folder):
    # Outside any transaction of this connection: SQLite's backup refuses (SQLITE_LOCKED, which
    # Python retries for ever) to copy a database its own connection is writing to.
    connection.ensure_connection()
    with sqlite3.connect(folder / "database.sqlite3") as target:
        connection.connection.backup(target)
    return "database.sqlite3"


@contextmanager
def _sqlite_file(path):
    """A database alias reading the SQLite file at ``path``, removed after."""
    alias = "backup-copy"
    connections.settings[alias] = {**connection.settings_dict, "NAME": str(path)}
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def run_libpq(command, database=None):
    """Run a PostgreSQL client tool (``pg_dump``, ``pg_restore``) on the default database's
    server, on ``database`` (default: the portal's); the password and TLS mode go in the tool's
    environment, never on its command line. Raises ``BackupError`` when it fails."""
    config = connection.settings_dict
    options = ["--dbname", database or config["NAME"]]
    for option, value in (("--host", config["HOST"]), ("--port", config["PORT"])):
        if value:
            options += [option, str(value)]
    if config["USER"]:
        options += ["--username", config["USER"]]
    env = {**os.environ, "PGPASSWORD": config["PASSWORD"] or ""}
    if config["OPTIONS"].get("sslmode"):
        env["PGSSLMODE"] = config["OPTIONS"]["sslmode"]
    result = subprocess.run(  # noqa: S603 (fixed tools; arguments from settings)
        [*command, *options], capture_output=True, text=True, check=False, env=env
    )
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")


def postgres_url(name):
    """A ``postgres://`` URL of database ``name`` on the default database's server, as
    ``DATABASE_URL`` takes it (for the restore drill's child processes)."""
    config = connection.settings_dict
    credentials = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        credentials += f":{quote(config['PASSWORD'], safe='')}"
    host = f"{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{name}"


def _wagtail_hash(path):
    with open(path, "rb") as stream:
        return hash_filelike(stream)


def _applied_migrations(database):
    applied = MigrationRecorder(database).applied_migrations()
    latest = {}
    for app, name in sorted(applied):
        latest[app] = name
    return latest


def _sha256(path):
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
