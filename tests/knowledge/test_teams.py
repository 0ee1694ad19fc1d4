"""``setup_teams``: the groups, their scope and the review workflows, created once and only once."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from knowledge.vocabulary import PARTNER_COUNTRIES
from tests.factories import PracticeBriefPageFactory, section_page
from tests.helpers import soup

pytestmark = pytest.mark.django_db


def counts():
    return (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        WorkflowPage.objects.count(),
        Workflow.objects.count(),
        WorkflowTask.objects.count(),
        Task.objects.count(),
        Collection.objects.count(),
    )


def test_setup_teams_is_idempotent_and_reports_what_it_made():
    before = counts()
    out = StringIO()
    call_command("setup_teams", verbosity=2, stdout=out)
    assert counts() == before
    assert "Mali editors, Mali moderators: workflow 'Country review: Mali'" in out.getvalue()
    assert "Teams ready: 13 sections" in out.getvalue()


def test_every_country_has_an_editors_and_a_moderators_group():
    names = set(Group.objects.values_list("name", flat=True))
    expected_teams = {n.removesuffix(" editors") for n in names if n.endswith(" editors")}
    assert len(expected_teams) == len(PARTNER_COUNTRIES) + 1
    for team in expected_teams:
        assert f"{team} moderators" in names
    assert {"Programme reviewers", "Taxonomy managers", "Regional and global editors"} <= names
    assert not {"Editors", "Moderators"} & names, "Wagtail's tree-wide default groups are gone"


def test_a_teams_page_permissions_cover_its_section_in_every_language_and_nothing_else():
    grants = GroupPagePermission.objects.filter(group__name="Mali editors").select_related("page")
    pages = {(g.page.locale.language_code, g.page.title) for g in grants}
    assert pages == {("en", "Mali"), ("fr", "Mali"), ("ar", "مالي"), ("es", "Mali")}
    assert {g.permission.codename for g in grants} == {"add_page", "change_page"}


def test_a_workflow_an_administrator_changed_is_left_alone():
    workflow = Workflow.objects.get(name="Country review: Mali")
    workflow.workflow_tasks.all().delete()
    call_command("setup_teams")
    assert not workflow.workflow_tasks.exists()


def test_a_team_editor_translates_an_item_into_their_french_section(mali_editor_client):
    page = PracticeBriefPageFactory(
        title="Savings groups", countries=["ML"], themes=["protection"], live=False
    )
    url = reverse("simple_translation:submit_page_translation", args=[page.pk])
    assert mali_editor_client.get(url).status_code == 200
    french = Locale.objects.get(language_code="fr")

    response = mali_editor_client.post(url, {"locales": [french.pk]})

    translation = page.get_translation(french).specific
    assert response.url == reverse("wagtailadmin_pages:edit", args=[translation.pk])
    assert translation.get_parent().specific == section_page("fr", "ML")
    assert not translation.live
    assert translation.translation_key == page.translation_key
    form = mali_editor_client.get(response.url).context["form"]
    ticked = {str(term) for name in ("countries", "themes") for term in form.initial[name]}
    assert ticked == {"Mali", "Protection"}
    assert all(country.locale == french for country in translation.countries.all())


def test_a_team_editor_cannot_translate_another_sections_item(mali_editor_client):
    page = PracticeBriefPageFactory(section_country="NE", countries=["NE"], live=False)
    url = reverse("simple_translation:submit_page_translation", args=[page.pk])
    response = mali_editor_client.post(
        url, {"locales": [Locale.objects.get(language_code="fr").pk]}
    )
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert not page.get_translations().exists()


def left_to_translate_panel(response):
    panel = soup(response).select_one(".left-to-translate")
    return [" ".join(p.stripped_strings) for p in panel.select("p, li")] if panel else None


def test_a_fresh_translation_shows_every_field_still_in_the_source_language(
    mali_editor_client,
):
    page = PracticeBriefPageFactory(
        title="Savings groups",
        summary="Women pool their savings.",
        led_by="<p>The women's committee.</p>",
        countries=["ML"],
        themes=["protection"],
        body=[("paragraph", "<p>One.</p>"), ("paragraph", "<p>Two.</p>")],
        live=False,
    )
    url = reverse("simple_translation:submit_page_translation", args=[page.pk])
    french = Locale.objects.get(language_code="fr")
    response = mali_editor_client.post(url, {"locales": [french.pk]})
    editor = mali_editor_client.get(response.url)
    assert left_to_translate_panel(editor) == [
        "Still as in the English version:",
        "Title",
        "Summary",
        "The practice",
        "Who led it",
        "Body (2 of 2 entries)",
    ]
    source = mali_editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert left_to_translate_panel(source) is None  # the original is not a translation


def test_translated_fields_leave_the_list(mali_editor_client):
    page = PracticeBriefPageFactory(
        title="Savings groups",
        summary="Women pool their savings.",
        practice="<p>They meet weekly.</p>",
        countries=["ML"],
        body=[("paragraph", "<p>One.</p>"), ("paragraph", "<p>Two.</p>")],
    )
    french = page.copy_for_translation(Locale.objects.get(language_code="fr")).specific
    french.title = "Groupes d'épargne"
    french.summary = "Les femmes mettent leur épargne en commun."
    french.practice = "<p>Elles se réunissent chaque semaine.</p>"
    french.body = [("paragraph", "<p>Un.</p>"), ("paragraph", "<p>Two.</p>")]
    french.save_revision()
    editor = mali_editor_client.get(reverse("wagtailadmin_pages:edit", args=[french.pk]))
    assert left_to_translate_panel(editor) == [
        "Still as in the English version:",
        "Body (1 of 2 entries)",
    ]


def test_an_item_with_no_other_language_has_no_panel(mali_editor_client):
    page = PracticeBriefPageFactory(title="Savings groups", countries=["ML"])
    editor = mali_editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert editor.status_code == 200
    assert left_to_translate_panel(editor) is None
