"""Editors create each knowledge type through Wagtail's admin; bad input gets validation errors."""

import pytest
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from knowledge.models import (
    Country,
    LessonsLearnedReportPage,
    PolicyNotePage,
    PracticeBriefPage,
    Theme,
)
from tests.factories import PracticeBriefPageFactory, section_page
from tests.helpers import soup


def taxonomy_data(countries=("ML",), themes=("protection",), locale="en"):
    """Form values of the countries and themes checkboxes (lists, which nested_form_data would split)."""
    in_locale = {"locale__language_code": locale}
    return {
        "countries": [c.pk for c in Country.objects.filter(code__in=countries, **in_locale)],
        "themes": [t.pk for t in Theme.objects.filter(slug__in=themes, **in_locale)],
    }


def common_data(title):
    return {
        "title": title,
        "summary": "What we learned.",
        "publication_date": "2024-05-01",
        "organisation": "COMPASS Mali",
        "tags": "border, Youth",
        "authors": streamfield([("author", "Awa Traoré")]),
        "body": streamfield([]),
        "attachments": inline_formset([]),
    }


def report_data(title="Lessons from Mopti", **taxonomy):
    data = common_data(title)
    data.update(
        {
            "context": rich_text("<p>Returns rose in 2021.</p>"),
            "what_worked": rich_text("<p>Host community committees.</p>"),
            "what_did_not_work": rich_text(""),
            "lessons": streamfield(
                [
                    (
                        "lesson",
                        {
                            "statement": "Start with host communities",
                            "explanation": rich_text("<p>Why.</p>"),
                        },
                    )
                ]
            ),
            "recommendations": streamfield([]),
            "evidence": rich_text(""),
            "period_start": "2021-01-01",
            "period_end": "2023-12-31",
            "programme_phase": "Phase II",
        }
    )
    return nested_form_data(data) | taxonomy_data(**taxonomy)


def brief_data(title="Savings groups in Gao"):
    data = common_data(title)
    data.update(
        {
            "community": "Women's savings groups",
            "location": "Gao",
            "practice": rich_text("<p>They pool savings.</p>"),
            "led_by": rich_text(""),
            "results": rich_text(""),
            "replication": rich_text(""),
            "contact_organisation": "",
        }
    )
    return nested_form_data(data) | taxonomy_data()


def note_data(title="Protect people on the move"):
    data = common_data(title)
    data.update(
        {
            "key_messages": streamfield([("message", "Fund community protection.")]),
            "recommendations": streamfield(
                [("recommendation", {"statement": "Fund shelters", "audience": "donors"})]
            ),
        }
    )
    return nested_form_data(data) | taxonomy_data()


class CreateThroughAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.section = section_page("en", "ML")

    def test_a_lessons_learned_report_can_be_created_and_published(self):
        self.assertCanCreate(self.section, LessonsLearnedReportPage, report_data())
        page = LessonsLearnedReportPage.objects.get(title="Lessons from Mopti")
        assert page.live
        assert set(page.tags.names()) == {"border", "Youth"}
        assert [c.code for c in page.countries.all()] == ["ML"]
        assert page.lessons[0].value["statement"] == "Start with host communities"

    def test_a_practice_brief_can_be_created(self):
        self.assertCanCreate(self.section, PracticeBriefPage, brief_data())

    def test_a_policy_note_can_be_created(self):
        self.assertCanCreate(self.section, PolicyNotePage, note_data())
        page = PolicyNotePage.objects.get(title="Protect people on the move")
        assert page.recommendations[0].value["audience"] == "donors"

    def add_url(self, model):
        return reverse(
            "wagtailadmin_pages:add", args=["knowledge", model._meta.model_name, self.section.pk]
        )

    def test_missing_country_and_theme_are_validation_errors(self):
        # Publishing enforces them; saving a draft defers them (see tests/knowledge/test_editing.py).
        data = report_data(countries=(), themes=()) | {"action-publish": "action-publish"}
        response = self.client.post(self.add_url(LessonsLearnedReportPage), data)
        assert response.status_code == 200
        self.assertContains(response, "Choose at least one country.")
        self.assertContains(response, "Choose at least one theme.")
        assert not LessonsLearnedReportPage.objects.exists()

    def test_a_period_ending_before_it_starts_is_refused(self):
        data = report_data()
        data["period_end"] = "2020-01-01"
        response = self.client.post(self.add_url(LessonsLearnedReportPage), data)
        assert response.status_code == 200
        self.assertContains(response, "The period cannot end before it starts.")
        assert not LessonsLearnedReportPage.objects.exists()

    def test_the_form_offers_only_countries_of_the_pages_language(self):
        response = self.client.get(self.add_url(PracticeBriefPage))
        form = response.context["form"]
        languages = {country.locale.language_code for country in form.fields["countries"].queryset}
        assert languages == {"en"}

    def test_edit_screen_has_content_taxonomy_and_promote_tabs(self):
        response = self.client.get(self.add_url(PolicyNotePage))
        tabs = [next(tab.stripped_strings) for tab in soup(response).select('[role="tab"]')]
        assert tabs == ["Content", "Taxonomy and attachments", "Promote"]


@pytest.mark.django_db
def test_countries_and_themes_are_managed_as_snippets(admin_client):
    assert admin_client.get("/admin/snippets/knowledge/country/").status_code == 200
    assert admin_client.get("/admin/snippets/knowledge/theme/").status_code == 200


@pytest.mark.django_db
def test_an_invalid_iso_code_is_a_validation_error_in_the_snippet_form(admin_client):
    response = admin_client.post(
        "/admin/snippets/knowledge/country/add/?locale=en", {"code": "QQ", "name": ""}
    )
    assert response.status_code == 200
    assert "QQ is not an ISO 3166-1 alpha-2 code." in response.content.decode()


@pytest.mark.django_db
def test_a_country_code_already_used_in_the_language_is_a_validation_error(admin_client):
    before = Country.objects.count()
    response = admin_client.post(
        "/admin/snippets/knowledge/country/add/?locale=en", {"code": "ml", "name": ""}
    )
    assert response.status_code == 200
    assert "ML is already a country in this language." in response.content.decode()
    assert Country.objects.count() == before


@pytest.mark.django_db
def test_a_countrys_code_is_fixed_once_it_exists_but_its_name_can_change(admin_client):
    niger = Country.objects.get(code="NE", locale__language_code="fr")
    admin_client.post(
        f"/admin/snippets/knowledge/country/edit/{niger.pk}/", {"code": "MR", "name": "Le Niger"}
    )
    niger.refresh_from_db()
    assert (niger.code, niger.name) == ("NE", "Le Niger")


@pytest.mark.django_db
def test_a_theme_slug_already_used_in_the_language_is_a_validation_error(admin_client):
    before = Theme.objects.count()
    response = admin_client.post(
        "/admin/snippets/knowledge/theme/add/?locale=en",
        {"name": "Again", "slug": "protection", "description": ""},
    )
    assert response.status_code == 200
    assert "“protection” is already the slug of a theme in this language." in (
        response.content.decode()
    )
    assert Theme.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("bulk", [False, True], ids=["delete view", "bulk delete"])
def test_a_theme_that_tags_items_cannot_be_deleted(admin_client, bulk):
    theme = Theme.objects.get(slug="protection", locale__language_code="en")
    PracticeBriefPageFactory(themes=["protection"])
    if bulk:
        url = reverse("wagtail_bulk_action", args=["knowledge", "theme", "delete"])
        response = admin_client.post(f"{url}?id={theme.pk}")
    else:
        response = admin_client.post(f"/admin/snippets/knowledge/theme/delete/{theme.pk}/")
    assert response.status_code == 302
    assert response.url == "/admin/snippets/knowledge/theme/"
    listing = admin_client.get(response.url).content.decode()
    assert "“Protection” tags 1 item. Remove it from that item before deleting it." in listing
    assert Theme.objects.filter(pk=theme.pk).exists()


@pytest.mark.django_db
def test_an_unused_theme_can_be_deleted(admin_client):
    theme = Theme.objects.create(
        name="Unused", slug="unused", locale=Theme.objects.first().locale, description=""
    )
    admin_client.post(f"/admin/snippets/knowledge/theme/delete/{theme.pk}/")
    assert not Theme.objects.filter(pk=theme.pk).exists()
