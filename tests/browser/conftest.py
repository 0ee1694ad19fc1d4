"""Fixtures of the browser tests: a real portal server and Debian's Chromium driven by Playwright.

The server is ``manage.py runserver`` in a subprocess with its own SQLite file, media folder and
search index prefix, so the session-wide test database of the other tests is never touched (pytest's
``live_server`` would flush it). It gets the portal tree (``setup_portal``), the country teams
(``setup_teams``) and two users: a Mali editor and a Mali moderator. With SEARCH_URL set (``make
test`` starts an OpenSearch node) it searches with that engine, an index of its own and the outbox
worker; without it, Wagtail's database search answers.

Chromium is CHROMIUM_PATH, else /usr/bin/chromium (``scripts/chromium`` installs it). Without it the
tests skip on a laptop, with the reason printed, and fail under CI (CI=true). Screenshots of each
step go to a temporary folder; a failing test's report names it and shows the server's log tail.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SEARCH_URL = os.environ.get("SEARCH_URL", "").strip()
SERVER_START_TIMEOUT = 30
#: Playwright's default wait for a locator or a navigation, in milliseconds.
UI_TIMEOUT_MS = 15_000
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

#: Prepares the server's database in one process (one Django start-up instead of five): migrate,
#: the portal tree (``setup_portal``), the teams (``setup_teams``), the search index when an engine is
#: set, and the users of BROWSER_TEST_ACCOUNTS ({username: [group, password]}); prints what the
#: tests need to know of the tree as one JSON line.
PREPARE_SERVER = """
import json, os
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from knowledge.models import CountrySectionPage
call_command("migrate", interactive=False, verbosity=0)
call_command("setup_portal")
call_command("setup_teams")
if settings.SEARCH_URL:
    call_command("search_index", "create")
for username, (group, password) in json.loads(os.environ["BROWSER_TEST_ACCOUNTS"]).items():
    user = User.objects.create_user(username, f"{username}@example.org", password)
    user.groups.add(Group.objects.get(name=group))
mali = CountrySectionPage.objects.get(locale__language_code="en", country__code="ML")
print(json.dumps({"mali_id": mali.pk, "mali_url": mali.get_url()}))
"""

#: Scrolls every element back to its left edge: a closed dialog can leave the editor scrolled sideways.
UNSCROLL_SIDEWAYS = (
    "document.querySelectorAll('*').forEach((e) => { if (e.scrollLeft) e.scrollLeft = 0; })"
)


def unavailable(reason):
    """Skip the test with ``reason`` on a laptop; fail it under CI, where it means a broken build."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


#: ``manage.py shell`` code of ``PortalServer.publish_briefs``; BRIEFS is their JSON.
PUBLISH_BRIEFS = """
import json
from knowledge.models import Country, CountrySectionPage, PracticeBriefPage, Theme
mali = CountrySectionPage.objects.get(locale__language_code="en", country__code="ML")
themes = list(Theme.objects.filter(locale=mali.locale))
urls = []
for fields in json.loads(BRIEFS):
    theme = themes[fields.pop("theme", 0)]
    page = mali.add_child(
        instance=PracticeBriefPage(organisation="COMPASS Mali", live=False, **fields)
    )
    page.countries = list(Country.objects.filter(locale=page.locale, code="ML"))
    page.themes = [theme]
    page.save_revision().publish()
    urls.append(page.get_url())
print(json.dumps(urls))
"""


@dataclass
class Account:
    """A user of the portal server's admin."""

    username: str
    password: str


@dataclass
class PortalServer:
    """A running portal server: its address, accounts and what the tests need of its page tree."""

    base_url: str
    editor: Account
    moderator: Account
    mali_id: int
    mali_url: str
    engine: bool
    log_dir: Path
    #: The environment its processes run in (settings, database, media, index prefix).
    env: dict

    def url(self, path):
        """Absolute URL of ``path`` (e.g. '/en/mali/') on this server."""
        return self.base_url + path

    def shell(self, code):
        """Run Python ``code`` with ``manage.py shell`` on this server's database and settings;
        returns what it printed (a failure with its output when it raises)."""
        return _manage(self.env, "shell", "-v0", "-c", code, log_dir=self.log_dir)

    def publish_briefs(self, *briefs):
        """Publish practice briefs in Mali's English section, tagged Mali, as an editor's
        publish does (``page_published``, so the workers index them). Each brief is a dict of
        ``title``, ``summary``, ``community``, ``practice`` (HTML) and ``theme`` (the position of
        its theme among the section's themes by name, 0 if left out). Returns their URL paths."""
        output = self.shell(PUBLISH_BRIEFS.replace("BRIEFS", repr(json.dumps(briefs))))
        return json.loads(output.splitlines()[-1])

    def logs(self):
        """The tail of the server's and the worker's output, for failure messages."""
        tails = []
        for log in sorted(self.log_dir.glob("*.log")):
            tails.append(f"--- {log.name}\n" + "\n".join(log.read_text().splitlines()[-40:]))
        return "\n".join(tails)


def _free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args, log_dir):
    """Run ``manage.py *args`` in the server's environment; its stdout, or a failure with its output."""
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    with (log_dir / "setup.log").open("a") as log:
        log.write(result.stdout + result.stderr)
    if result.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _wait_until_serving(url, process, log_dir):
    """Poll ``url`` until the server answers; fail with its log if it exits or takes too long."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the portal server exited:\n{(log_dir / 'server.log').read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (http://127.0.0.1 only)
                return
        except urllib.error.HTTPError:
            return  # it answers, whatever the status
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the portal server did not answer within {SERVER_START_TIMEOUT} s")


def _delete_indices(prefix):
    """Delete the engine's indices of this server's ``prefix``."""
    from search.engines import connect

    engine = connect(SEARCH_URL)
    for index in engine.indices_matching(f"{prefix}-*"):
        engine.delete_index(index)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure: a screenshot of every open page, and the portal server's log tail in the report."""
    report = yield
    fixtures = getattr(item, "funcargs", {})
    if report.failed and report.when == "call":
        screenshot, open_context = fixtures.get("screenshot"), fixtures.get("new_context")
        if screenshot and open_context:
            for number, context in enumerate(open_context.contexts, 1):
                for page in context.pages:
                    screenshot(page, f"failure-context-{number}")
        if server := fixtures.get("portal_server"):
            report.sections.append(("portal server log", server.logs()))
    return report


@pytest.fixture(scope="session")
def chromium_path():
    """Path of the Chromium executable; skips (or fails under CI) when there is none."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        unavailable(f"Chromium not found at {path}: run scripts/chromium (as root) to install it")
    return path


@pytest.fixture(scope="session")
def axe_path():
    """Path of axe-core's script (scripts/axe installs it from npm); skips (or fails under CI)
    when there is none."""
    path = Path(os.environ.get("AXE_PATH") or ROOT / "node_modules/axe-core/axe.min.js")
    if not path.is_file():
        unavailable(f"axe-core not found at {path}: run scripts/axe to install it")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Headless Chromium driven by Playwright's sync API, for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed: pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser):
    """Open a fresh browser context (own cookies: one per user), 1400×1000 CSS pixels unless
    ``width`` and ``height`` say otherwise; all are closed after the test.

    Requests leaving 127.0.0.1 (e.g. avatar images) are aborted, so the test never waits on the
    network outside the machine. What Chromium refuses under the Content Security Policy is
    collected in ``open_context.csp_violations`` (its console messages), for tests to assert on.
    """
    contexts = []
    violations = []

    def record(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.location.get('url')}: {message.text}")

    def open_context(width=1400, height=1000):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(UI_TIMEOUT_MS)
        context.on("page", lambda page: page.on("console", record))
        context.route(
            lambda url: not url.startswith(("http://127.0.0.1", "data:", "blob:")),
            lambda route: route.abort(),
        )
        contexts.append(context)
        return context

    open_context.contexts = contexts
    open_context.csp_violations = violations
    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(tmp_path_factory, request):
    """Call with a page and a step name to save a full-page screenshot for debugging.

    With GUIDE_SCREENSHOTS set to a folder, each step is saved there as ``guide-<name>.png`` at
    window size instead: the README's guide for country teams shows the steps this test takes.
    """
    guide = os.environ.get("GUIDE_SCREENSHOTS")
    folder = Path(guide) if guide else tmp_path_factory.mktemp(f"screenshots-{request.node.name}")
    request.node.add_report_section("setup", "screenshots", str(folder))
    count = 0

    def take(page, name):
        nonlocal count
        count += 1
        if guide:
            page.wait_for_timeout(500)  # lets a closed dialog finish fading out of the picture
            page.evaluate(UNSCROLL_SIDEWAYS)
            page.screenshot(path=folder / f"guide-{name}.png", animations="disabled")
        else:
            page.screenshot(path=folder / f"{count:02d}-{name}.png", full_page=True)

    return take


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory):
    """Start the portal server, its task worker (email, Wagtail's background tasks) and, with an
    engine, the outbox worker; stop them all afterwards.

    The server runs ``tests.browser.server_settings`` (``portal.settings.dev`` with a temporary media
    folder) on a free port and a fresh SQLite file; with SEARCH_URL set, its index prefix is unique
    to this run and its indices are deleted at the end.
    """
    folder = tmp_path_factory.mktemp("portal-server")
    prefix = f"test-browser-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "BROWSER_TEST_MEDIA_ROOT": str(folder / "media"),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "SEARCH_URL": SEARCH_URL,
        "SEARCH_INDEX_PREFIX": prefix,
        "PYTHONUNBUFFERED": "1",
    }
    editor = Account("mali-editor", secrets.token_urlsafe(12))
    moderator = Account("mali-moderator", secrets.token_urlsafe(12))
    env["BROWSER_TEST_ACCOUNTS"] = json.dumps(
        {
            editor.username: ["Mali editors", editor.password],
            moderator.username: ["Mali moderators", moderator.password],
        }
    )

    output = _manage(env, "shell", "-v0", "-c", PREPARE_SERVER, log_dir=folder)
    tree = json.loads(output.splitlines()[-1])

    port = _free_port()
    processes = []
    try:
        with (folder / "server.log").open("w") as log:
            processes.append(
                subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
                    [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        with (folder / "tasks.log").open("w") as log:
            processes.append(
                subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
                    [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        if SEARCH_URL:
            with (folder / "worker.log").open("w") as log:
                processes.append(
                    subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
                        [sys.executable, "manage.py", "process_search_outbox", "--interval", "0.5"],
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_serving(base_url + "/admin/login/", processes[0], folder)
        yield PortalServer(
            base_url=base_url,
            editor=editor,
            moderator=moderator,
            mali_id=tree["mali_id"],
            mali_url=tree["mali_url"],
            engine=bool(SEARCH_URL),
            log_dir=folder,
            env=env,
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if SEARCH_URL:
            _delete_indices(prefix)
