"""The content tree: which page types go where, and what set_up_portal builds."""

import pytest
from wagtail.models import Locale, Page, Revision
from wagtail.test.utils import WagtailPageTestCase

from knowledge.models import (
    Country,
    CountrySectionPage,
    HomePage,
    KnowledgeIndexPage,
    KnowledgePage,
    LessonsLearnedReportPage,
    PolicyNotePage,
    PracticeBriefPage,
    Theme,
    ThemeIndexPage,
)
from knowledge.site_setup import set_up_portal
from knowledge.vocabulary import PARTNER_COUNTRIES

KNOWLEDGE_MODELS = {LessonsLearnedReportPage, PracticeBriefPage, PolicyNotePage}


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_page_goes_under_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_holds_sections_listings_and_themes(self):
        self.assertAllowedSubpageTypes(
            HomePage, {CountrySectionPage, KnowledgeIndexPage, ThemeIndexPage}
        )

    def test_country_sections_hold_the_three_knowledge_types(self):
        self.assertAllowedSubpageTypes(CountrySectionPage, KNOWLEDGE_MODELS)

    def test_knowledge_pages_live_in_country_sections_and_have_no_children(self):
        for model in KNOWLEDGE_MODELS:
            self.assertAllowedParentPageTypes(model, {CountrySectionPage})
            self.assertAllowedSubpageTypes(model, set())

    def test_listings_and_themes_have_no_children(self):
        self.assertAllowedSubpageTypes(KnowledgeIndexPage, set())
        self.assertAllowedSubpageTypes(ThemeIndexPage, set())

    def test_the_shared_base_type_cannot_be_created(self):
        self.assertFalse(KnowledgePage.is_creatable)
        self.assertCanNotCreateAt(CountrySectionPage, KnowledgePage)


@pytest.mark.django_db
def test_every_language_has_a_section_per_partner_country_and_a_regional_one():
    for language in ("en", "fr", "ar", "es"):
        sections = CountrySectionPage.objects.filter(locale__language_code=language).live()
        codes = {section.country.code if section.country else None for section in sections}
        assert codes == set(PARTNER_COUNTRIES) | {None}


@pytest.mark.django_db
def test_section_titles_are_translated_country_names():
    titles = dict(
        CountrySectionPage.objects.filter(country__code="TD").values_list(
            "locale__language_code", "title"
        )
    )
    assert titles == {"en": "Chad", "fr": "Tchad", "ar": "تشاد", "es": "Chad"}


def _inventory():
    return (
        Page.objects.count(),
        Country.objects.count(),
        Theme.objects.count(),
        Locale.objects.count(),
        Revision.objects.count(),
    )


@pytest.mark.django_db
def test_running_setup_again_creates_nothing():
    before = _inventory()
    set_up_portal()
    assert _inventory() == before


@pytest.mark.django_db
def test_setup_keeps_sections_and_listings_that_editors_renamed():
    section = CountrySectionPage.objects.get(locale__language_code="en", country__code="ML")
    section.slug, section.title = "mali-team", "Mali country team"
    section.save_revision().publish()
    listing = KnowledgeIndexPage.objects.get(
        locale__language_code="fr", knowledge_type="policy_note"
    )
    listing.slug = "notes"
    listing.save_revision().publish()
    before = _inventory()
    set_up_portal()
    assert _inventory() == before


@pytest.mark.django_db
def test_translations_of_the_tree_share_translation_keys():
    english = CountrySectionPage.objects.get(locale__language_code="en", country__code="ML")
    languages = {page.locale.language_code for page in english.get_translations()}
    assert languages == {"fr", "ar", "es"}
