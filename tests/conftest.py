"""Shared fixtures: the portal's locales, taxonomy, vocabulary, page trees and country teams, built
once per test session; an empty cache for each test; the real search engine for the tests that switch it on.

The engine's address comes from the SEARCH_URL environment variable (``make test`` starts a local
OpenSearch node with scripts/search-engine). Without it the engine tests skip on a laptop, with the
reason printed, and fail under CI (CI=true), where a missing engine is a broken build.
"""

import logging
import os
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import transaction

from knowledge.site_setup import set_up_portal
from knowledge.teams import set_up_teams
from search.client import get_engine
from search.indexing import rebuild_index
from tests.sockets import ScriptedProxy
from vocabulary.names import forget_names
from vocabulary.setup import set_up_vocabulary


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        set_up_portal()
        set_up_teams()
        set_up_vocabulary()


@contextmanager
def rows_for_the_module(django_db_blocker):
    """Make rows once for a module's tests (in the ``with`` block of a module-scoped fixture that
    depends on ``django_db_setup``): they live in a transaction rolled back when the module ends.

    Each test's own transaction (the ``db`` fixture) is then a savepoint inside it, so a test that
    changes these rows undoes its changes as usual. Hand tests ids, not model instances: a test
    may change an instance in memory; read the rows again in a function-scoped fixture.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: no rate-limit counts, no engine circuit state, no
    stored pages, no vocabulary names read by a test whose changes were rolled back."""
    for each in caches.all():
        each.clear()
    forget_names()
    yield
    for each in caches.all():
        each.clear()
    forget_names()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block leaves to the commit of its transaction, then
    forgets it, as a commit does. (Django's capture leaves the callbacks registered, so work
    queued once per transaction, ``portal.transactions.once_after_commit``, would never be
    queued again in the same test.)"""

    @contextmanager
    def commit():
        callbacks = transaction.get_connection().run_on_commit
        start = len(callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            yield
        del callbacks[start:]

    return commit


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "password")
    client.force_login(user)
    return client


@pytest.fixture
def team_member(django_user_model):
    """``team_member(group_name, username)``: a new user in that group, ``<username>@example.org``."""

    def make(group_name, username):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", "password", first_name=username.title()
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def mali_editor_client(client, team_member):
    """The test client logged in as a member of "Mali editors" only."""
    client.force_login(team_member("Mali editors", "awa"))
    return client


ENGINE_URL = os.environ.get("SEARCH_URL", "")


@pytest.fixture
def search_engine(settings):
    """The engine adapter, with a fresh index prefix for this test; indices are deleted after."""
    if not ENGINE_URL:
        message = "SEARCH_URL is not set: start an engine with scripts/search-engine start"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    settings.SEARCH_URL = ENGINE_URL
    settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:12]}"
    engine = get_engine()
    yield engine
    for index in engine.indices_matching(f"{settings.SEARCH_INDEX_PREFIX}-*"):
        engine.delete_index(index)


@pytest.fixture
def reindex(search_engine):
    """Call to index every live, public page as it is now (the index is searchable on return)."""

    def rebuild():
        return rebuild_index(search_engine)

    return rebuild


@pytest.fixture
def engine_proxy(search_engine, settings):
    """The real engine behind a local ``tests.sockets.ScriptedProxy``, which SEARCH_URL names:
    tests count the requests it forwards, make it hang, or script its answers."""
    engine = urlsplit(ENGINE_URL)
    proxy = ScriptedProxy((engine.hostname, engine.port))
    settings.SEARCH_URL = proxy.url
    yield proxy
    proxy.close()


@pytest.fixture(params=["database", "engine"])
def backend(request, corpus, caplog):
    """Runs a test once on the database backend and once on the real engine, after the module's
    ``corpus``; the engine must answer every search itself: a failure would fall back to the
    database unseen, but for its log."""
    if request.param == "engine":
        request.getfixturevalue("reindex")()
    yield request.param
    failures = [
        r for r in caplog.records if r.name.startswith("search") and r.levelno >= logging.WARNING
    ]
    assert not failures, [record.getMessage() for record in failures]


ENGINE_FIXTURES = {"search_engine", "reindex", "proxied_engine"}


def pytest_collection_modifyitems(items):
    """Mark ``engine`` the tests that talk to the search engine (they use one of its fixtures, or
    are the engine case of a test run once per backend), so ``make test-opensearch2`` runs them
    alone on the other major version."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_engine = callspec is not None and "engine" in callspec.params.values()
        if on_engine or ENGINE_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.engine)
