"""Keywords that name a concept read in the page's language; the others keep their name."""

import pytest

from tests.factories import PracticeBriefPageFactory
from tests.helpers import soup
from vocabulary.models import Concept, ConceptLabel, LabelKind


def keyword_chips(client, page):
    response = client.get(page.url)
    return [
        (chip.get_text(strip=True), chip.get("lang"))
        for chip in soup(response).select("dd a.chip--keyword")
    ]


@pytest.mark.django_db
def test_a_french_page_names_its_english_keywords_in_french(client):
    page = PracticeBriefPageFactory(language="fr", tags=["Returnees", "forced labour", "Edo State"])
    chips = keyword_chips(client, page)
    assert ("personnes retournées", None) in chips
    assert ("travail forcé", None) in chips
    assert ("Edo State", None) in chips


@pytest.mark.django_db
def test_an_arabic_keyword_on_an_english_page_reads_in_english(client):
    page = PracticeBriefPageFactory(tags=["نظام الكفالة"])
    assert keyword_chips(client, page) == [("kafala system", None)]


@pytest.mark.django_db
def test_a_concept_without_a_name_in_the_pages_language_is_marked_with_its_own(client):
    concept = Concept.objects.create(identifier="hawala", collection="terms")
    ConceptLabel.objects.create(
        concept=concept, language="en", kind=LabelKind.PREFERRED, text="hawala"
    )
    ConceptLabel.objects.create(
        concept=concept, language="en", kind=LabelKind.ALTERNATIVE, text="informal value transfer"
    )
    page = PracticeBriefPageFactory(language="es", tags=["informal value transfer"])
    assert keyword_chips(client, page) == [("hawala", "en")]


@pytest.mark.django_db
def test_a_renamed_label_shows_on_the_next_view(client):
    page = PracticeBriefPageFactory(language="fr", tags=["returnees"])
    assert keyword_chips(client, page) == [("personnes retournées", None)]
    label = ConceptLabel.objects.get(concept__identifier="returnees", language="fr", kind="pref")
    label.text = "personnes de retour"
    label.save()
    assert keyword_chips(client, page) == [("personnes de retour", None)]


@pytest.mark.django_db
def test_the_keyword_filters_name_keywords_as_the_pages_do(client):
    PracticeBriefPageFactory(language="fr", tags=["forced labour", "Edo State"])
    PracticeBriefPageFactory(tags=["Edo State", "kafala system"])
    PracticeBriefPageFactory(tags=["Lagos lagoon"])
    response = client.get("/fr/search/")
    labels = {
        label.get_text(strip=True): label.get("lang")
        for label in soup(response).select(".facet--tag .facet__label")
    }
    assert labels["travail forcé"] is None
    assert labels["système de la kafala"] is None
    assert labels["Edo State"] is None  # carried by items in French and English: unknown
    assert labels["Lagos lagoon"] == "en"  # only English items carry it
