"""Shared fixtures: the portal's locales, taxonomy, page trees and country teams, built once per test session."""

import pytest

from knowledge.site_setup import set_up_portal
from knowledge.teams import set_up_teams


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        set_up_portal()
        set_up_teams()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "password")
    client.force_login(user)
    return client
