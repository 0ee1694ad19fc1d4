"""Shared fixtures: the portal's locales, taxonomy, page trees and country teams, built once per test session."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from knowledge.site_setup import set_up_portal
from knowledge.teams import set_up_teams


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        set_up_portal()
        set_up_teams()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no rate-limit counts, no engine circuit state."""
    cache.clear()
    yield
    cache.clear()


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
