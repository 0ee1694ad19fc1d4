"""A country or theme is named the same way everywhere, with one fallback when a language lacks it."""

import pytest
from wagtail.models import Locale

from knowledge.models import Country, Theme, term_names
from subscriptions.following import describe

pytestmark = pytest.mark.django_db


def test_terms_are_named_in_the_readers_language():
    countries, themes = term_names("fr", ["ML", "NE"], ["protection"])
    assert countries == {"ML": "Mali", "NE": "Niger"}
    assert themes == {
        "protection": Theme.objects.get(slug="protection", locale__language_code="fr").name
    }


def test_a_country_missing_in_a_language_gets_its_iso_name_there_and_a_theme_its_default_name():
    Country.objects.create(code="SN", name="Senegal", locale=Locale.objects.get(language_code="en"))
    Theme.objects.filter(slug="protection", locale__language_code="fr").delete()
    english = Theme.objects.get(slug="protection", locale__language_code="en").name
    countries, themes = term_names("fr", ["SN"], ["protection", "no-such-theme"])
    assert countries == {"SN": "Sénégal"}
    assert themes == {"protection": english, "no-such-theme": "no-such-theme"}


def test_a_digest_subject_names_a_country_that_has_no_name_in_its_language():
    """It dropped the country: "Everything published" for a reader following Egypt."""
    Country.objects.create(code="SN", name="Senegal", locale=Locale.objects.get(language_code="en"))
    assert describe("country=SN", "ar") == "السنغال"  # the Unicode CLDR in Arabic
