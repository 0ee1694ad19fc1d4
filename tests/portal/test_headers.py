"""Security headers: a strict Content Security Policy on public pages, a working one in the admin,
and production settings that pass Django's deployment check."""

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import KnowledgeAttachmentFactory, LessonsLearnedReportPageFactory

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parents[2]


def policy(response):
    """The Content-Security-Policy header as ``{directive: [sources]}``."""
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, *sources in directives if name}


@pytest.mark.parametrize("path", ["/en/", "/en/search/?q=mopti", "/en/lessons/", "/api/v1/"])
def test_public_pages_run_only_the_portals_own_scripts_and_styles(client, path):
    LessonsLearnedReportPageFactory(title="Mopti report")
    directives = policy(client.get(path))
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)


def test_a_knowledge_page_holds_no_inline_script_but_its_json_ld(client):
    page = LessonsLearnedReportPageFactory(title="Mopti report")
    html = client.get(page.url).content.decode()
    inline = [tag for tag in re.findall(r"<script\b[^>]*>", html) if " src=" not in tag]
    assert inline == ['<script type="application/ld+json">']
    assert " style=" not in html and "<style" not in html


def test_the_admin_has_a_policy_of_its_own(admin_client):
    directives = policy(admin_client.get("/admin/"))
    assert "'unsafe-inline'" in directives["script-src"]
    assert directives["frame-ancestors"] == ["'self'"] and directives["object-src"] == ["'none'"]


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="a-long-random-production-key-" + "x7Qz" * 12,
        ALLOWED_HOSTS="knowledge.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(  # noqa: S603  (fixed interpreter and arguments)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("path", ["/en/", "/fr/search/?q=mopti", "/en/countries/", "/en/register/"])
def test_pages_are_compressed_for_readers_that_accept_it(client, path):
    LessonsLearnedReportPageFactory(title="Mopti report")
    plain = client.get(path)
    compressed = client.get(path, headers={"accept-encoding": "gzip"})
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 2
    assert gzip.decompress(compressed.content).decode().startswith(plain.content.decode()[:15])


def test_documents_are_served_as_they_are(client):
    attachment = KnowledgeAttachmentFactory()
    response = client.get(attachment.document.url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    # Not compressed (Wagtail's sendfile writes "Content-Encoding: None" for a file with no encoding).
    assert response.get("Content-Encoding") != "gzip"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
