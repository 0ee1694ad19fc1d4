"""Development commands that make run uses."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_ensure_admin_prints_working_credentials(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("ensure_admin", "--url", "http://127.0.0.1:8040/admin/", stdout=out)
    password = (tmp_path / "admin-password").read_text()
    assert (
        f"Admin: http://127.0.0.1:8040/admin/  users: admin, mali-editor, mali-moderator  "
        f"password: {password}" in out.getvalue()
    )
    for username in ("admin", "mali-editor", "mali-moderator"):
        assert client.login(username=username, password=password)
    assert client.get("/admin/").status_code == 200
