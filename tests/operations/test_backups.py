"""Backups and the restore drill, run as an operator runs them: ``manage.py`` under the production
settings, on a portal of its own (SQLite, or a scratch PostgreSQL database in the PostgreSQL run),
with a page, a document and, when an engine is running, a search index."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ENGINE_URL

PROJECT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")

MAKE_CONTENT = """
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from tests.factories import PolicyNotePageFactory, published
document = Document.objects.create(title="Border study", file=ContentFile(b"%PDF-1.4 study", name="study.pdf"))
published(PolicyNotePageFactory, title="Backed-up border note", summary="Herding across borders.")
"""


def manage(env, *arguments, check=True):
    result = subprocess.run(  # noqa: S603 (this interpreter, the portal's manage.py)
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """The environment of a small portal under the production settings, set up and indexed."""
    folder = tmp_path_factory.mktemp("portal")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": scratch_database_url(folder),
        "MEDIA_ROOT": str(folder / "media"),
        "BACKUP_DIR": str(folder / "backups"),
        "REDIS_URL": "",
        "SEARCH_URL": ENGINE_URL,
        "SEARCH_INDEX_PREFIX": f"test-backup-{secrets.token_hex(4)}",
        "LOG_FORMAT": "text",
    }
    for command in (["migrate", "-v0"], ["createcachetable"], ["setup_portal"]):
        manage(env, *command)
    manage(env, "shell", "-c", MAKE_CONTENT)
    if ENGINE_URL:
        manage(env, "search_index", "rebuild", "--verbosity", "0")
    yield env
    if DATABASE_URL.startswith("postgres"):
        drop = f"DROP DATABASE IF EXISTS {urlsplit(env['DATABASE_URL']).path[1:]} WITH (FORCE)"
        subprocess.run(["psql", DATABASE_URL, "-qc", drop], check=True)  # noqa: S603, S607


def scratch_database_url(folder):
    if not DATABASE_URL.startswith("postgres"):
        return f"sqlite:///{folder / 'db.sqlite3'}"
    name = f"compass_backup_{secrets.token_hex(4)}"
    create = f"CREATE DATABASE {name}"
    subprocess.run(["psql", DATABASE_URL, "-qc", create], check=True)  # noqa: S603, S607
    return urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def backup(portal):
    written = manage(portal, "backup").stdout
    assert written.startswith(f"Backup written: {portal['BACKUP_DIR']}/compass-")
    return Path(written.split(": ", 1)[1].split(" (", 1)[0])


def test_a_backup_holds_the_database_the_media_and_a_manifest(backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {manifest["database"]["file"], "media.tar.gz"}
    assert manifest["content"]["wagtaildocs.Document"]["rows"] == 1
    assert manifest["content"]["knowledge.PolicyNotePage"]["rows"] == 1
    assert manifest["search"]["shards"] == 1
    assert manifest["migrations"]["operations"] == "0001_initial"


def test_the_restore_drill_proves_the_backup_restores_equal(portal, backup):
    drill = manage(portal, "restore_drill", str(backup))
    assert "files match the manifest" in drill.stdout
    assert "media files checked" in drill.stdout
    if ENGINE_URL:
        assert "drift check: missing: 0\nstale: 0\nextra: 0\nThe index matches" in drill.stdout
    assert drill.stdout.strip().endswith(f"Restore drill passed: {backup}")


def test_the_drill_names_a_table_that_differs(portal, backup, tmp_path):
    altered = tmp_path / backup.name
    altered.mkdir()
    for path in backup.iterdir():
        (altered / path.name).symlink_to(path)
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["content"]["knowledge.PolicyNotePage"]["rows"] = 2
    (altered / "manifest.json").unlink()
    (altered / "manifest.json").write_text(json.dumps(manifest))
    drill = manage(portal, "restore_drill", str(altered), check=False)
    assert drill.returncode == 1
    assert "knowledge.PolicyNotePage: 1 rows restored, 2 backed up" in drill.stderr


def test_the_drill_refuses_a_damaged_backup(portal, backup, tmp_path):
    damaged = tmp_path / backup.name
    damaged.mkdir()
    for path in backup.iterdir():
        (damaged / path.name).write_bytes(path.read_bytes())
    archive = damaged / "media.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-10])
    drill = manage(portal, "restore_drill", str(damaged), check=False)
    assert drill.returncode == 1
    assert "media.tar.gz is damaged: its SHA-256 differs from the manifest's" in drill.stderr


def test_backups_beyond_the_number_kept_are_deleted(portal, backup):
    second = manage(portal, "backup", "--keep", "1").stdout
    assert f"Deleted the older backup {backup}" in second
    assert not backup.exists()
