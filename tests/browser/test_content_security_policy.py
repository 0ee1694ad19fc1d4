"""Public pages and the admin work in Chromium under their Content Security Policies: nothing the
pages need is refused (Chromium reports every refusal on the console)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PUBLIC_PATHS = [
    "/en/",
    "/ar/",
    "/en/lessons/",
    "/en/search/?q=mali",
    "/en/themes/",
    "/en/subscribe/?country=ML",
]
ADMIN_PATHS = ["/admin/", "/admin/pages/", "/admin/documents/", "/admin/reports/site-history/"]


def test_public_pages_need_nothing_their_policy_refuses(new_context, portal_server):
    page = new_context().new_page()
    for path in [*PUBLIC_PATHS, portal_server.mali_url]:
        response = page.goto(portal_server.url(path))
        assert response.status == 200, path
        directives = [d.strip() for d in response.headers["content-security-policy"].split(";")]
        assert "script-src 'self'" in directives
    assert new_context.csp_violations == []


def test_the_admin_works_under_its_policy(new_context, portal_server):
    page = new_context().new_page()
    page.goto(portal_server.url("/admin/login/"))
    page.get_by_label("Username").fill(portal_server.editor.username)
    page.get_by_label("Password").fill(portal_server.editor.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=portal_server.editor.username)).to_be_visible()
    for path in [*ADMIN_PATHS, f"/admin/pages/{portal_server.mali_id}/edit/"]:
        assert page.goto(portal_server.url(path)).status == 200, path
    assert new_context.csp_violations == []
