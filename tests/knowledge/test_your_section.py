"""The dashboard starts a team member in their own section: in each language, a link to add each
kind of item there and one to its pages."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.factories import section_page
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def mali_editor(client):
    user = User.objects.create_user("awa", "awa@example.org", "pw")
    user.groups.add(Group.objects.get(name="Mali editors"))
    client.force_login(user)
    return client


def panel(response):
    return soup(response).select_one(".your-section")


def test_a_team_member_starts_in_their_own_section(mali_editor):
    shown = panel(mali_editor.get("/admin/"))
    assert shown.h2.get_text(strip=True) == "Your section: Mali"
    links = {a["href"] for a in shown.select("a")}
    for language in ("en", "fr", "ar", "es"):
        mali = section_page(language, "ML")
        assert reverse("wagtailadmin_explore", args=[mali.pk]) in links
        for model_name in ("lessonslearnedreportpage", "practicebriefpage", "policynotepage"):
            assert (
                reverse("wagtailadmin_pages:add", args=["knowledge", model_name, mali.pk]) in links
            )
    niger = section_page("en", "NE")
    assert reverse("wagtailadmin_explore", args=[niger.pk]) not in links


def test_each_link_opens_for_the_team_member(mali_editor):
    for a in panel(mali_editor.get("/admin/")).select("a")[:5]:
        assert mali_editor.get(a["href"]).status_code == 200, a["href"]


def test_the_panel_speaks_the_editors_language(mali_editor):
    profile = UserProfile.get_for_user(User.objects.get(username="awa"))
    profile.preferred_language = "fr"
    profile.save()
    assert panel(mali_editor.get("/admin/")).h2.get_text(strip=True) == "Votre section\u00a0: Mali"


def test_administrators_have_no_section_panel(admin_client):
    assert panel(admin_client.get("/admin/")) is None
