"""The restore drill: a backup restored into a scratch database and folder, proved equal to what
was backed up, and the search index rebuilt from it with no drift.

The scratch copy is read by the portal's own commands run in a child process whose
``DATABASE_URL`` and ``MEDIA_ROOT`` name it (and ``SEARCH_INDEX_PREFIX`` a drill index), so the
drill checks exactly what a restored portal would serve; nothing of the live database or index
is touched, and the scratch database, folder and indices are removed at the end.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from operations.backups import (
    MEDIA_ARCHIVE,
    BackupError,
    postgres_url,
    read_manifest,
    run_libpq,
)
from search.client import engine_configured, get_engine


def restore_drill(folder, say):
    """Restore the backup in ``folder`` aside and compare it; ``say(line)`` reports each step.
    Returns the differences found (empty: the drill passed). Raises ``BackupError`` when the
    backup is damaged or cannot be restored here."""
    manifest = read_manifest(folder)
    say(f"Backup of {manifest['created_at']}: files match the manifest.")
    with tempfile.TemporaryDirectory(prefix="compass-drill-") as scratch:
        with tarfile.open(Path(folder) / MEDIA_ARCHIVE) as archive:
            archive.extractall(scratch, filter="data")
        with scratch_database(manifest, Path(folder), Path(scratch)) as database_url:
            env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": f"{scratch}/media"}
            restored = json.loads(_manage(env, "content_summary").stdout)
            problems = compare(manifest["content"], restored["content"])
            problems += [f"media file {name}" for name in restored["files"]]
            rows = sum(table["rows"] for table in restored["content"].values())
            say(f"Restored: {rows} rows in {len(restored['content'])} tables, media files checked.")
            if engine_configured():
                problems += rebuild_index_from(env, say)
    return problems


def compare(backed_up, restored):
    """What differs between two ``content_summary`` results, one line per table."""
    problems = []
    for table, expected in backed_up.items():
        found = restored.get(table)
        if found is None:
            problems.append(f"{table}: missing after the restore")
        elif found["rows"] != expected["rows"]:
            problems.append(f"{table}: {found['rows']} rows restored, {expected['rows']} backed up")
        elif found["sha256"] != expected["sha256"]:
            problems.append(f"{table}: the rows differ (checksum)")
    return problems


def rebuild_index_from(env, say):
    """Build a drill index from the restored database and check it for drift; the drill index
    is deleted after."""
    prefix = f"{settings.SEARCH_INDEX_PREFIX}-drill-{secrets.token_hex(4)}"
    env = {**env, "SEARCH_URL": settings.SEARCH_URL, "SEARCH_INDEX_PREFIX": prefix}
    try:
        rebuild = _manage(env, "search_index", "rebuild", "--verbosity", "0", check=False)
        if rebuild.returncode:
            return [f"index rebuild failed: {rebuild.stderr.strip()[-300:]}"]
        drift = _manage(env, "search_index", "check", check=False)
        say(f"Index rebuilt from the restored database; drift check: {drift.stdout.strip()}")
        return [] if drift.returncode == 0 else [f"index drift: {drift.stdout.strip()}"]
    finally:
        engine = get_engine()
        for index in engine.indices_matching(f"{prefix}-*"):
            engine.delete_index(index)


@contextmanager
def scratch_database(manifest, folder, scratch):
    """A database holding the backup's dump, as a ``DATABASE_URL``; dropped after."""
    vendor, dump = manifest["database"]["vendor"], folder / manifest["database"]["file"]
    if vendor != connection.vendor:
        raise BackupError(f"a {vendor} backup is restored with the portal's {vendor} settings")
    if vendor == "sqlite":
        shutil.copy(dump, scratch / "database.sqlite3")
        yield f"sqlite:///{scratch / 'database.sqlite3'}"
        return
    name = f"compass_drill_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        run_libpq(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(dump)], name
        )
        yield postgres_url(name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(env, *arguments, check=True):
    """Run ``manage.py arguments`` in a child process with ``env``; raises ``BackupError`` when
    it fails and ``check``."""
    result = subprocess.run(  # noqa: S603 (this interpreter, the portal's manage.py)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode:
        raise BackupError(f"manage.py {arguments[0]} failed: {result.stderr.strip()[-500:]}")
    return result
