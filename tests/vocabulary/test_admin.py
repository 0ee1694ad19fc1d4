"""Taxonomy managers edit the vocabulary in the admin; what SKOS forbids is a validation error."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from knowledge.teams import TAXONOMY_MANAGERS
from tests.helpers import soup
from vocabulary.models import Concept
from vocabulary.setup import set_up_vocabulary

ADD = "/admin/snippets/vocabulary/concept/add/"


def concept_form(identifier, labels, collection="terms"):
    return nested_form_data(
        {
            "identifier": identifier,
            "collection": collection,
            "notation": "",
            "definition": "",
            "labels": inline_formset(
                [{"language": code, "kind": kind, "text": text} for code, kind, text in labels]
            ),
        }
    )


@pytest.fixture
def taxonomy_client(client, team_member):
    client.force_login(team_member(TAXONOMY_MANAGERS, "thesaurus"))
    return client


def errors_of(response):
    assert response.status_code == 200
    return soup(response).select_one(".messages, .help-critical, [role=alert]").get_text(" ")


@pytest.mark.django_db
def test_a_taxonomy_manager_adds_a_concept_with_labels_in_two_languages(taxonomy_client):
    form = concept_form("hawala", [("en", "pref", "hawala"), ("ar", "pref", "الحوالة")])
    response = taxonomy_client.post(ADD, form)
    assert response.status_code == 302
    concept = Concept.objects.get(identifier="hawala")
    assert sorted(concept.labels.values_list("language", "text")) == [
        ("ar", "الحوالة"),
        ("en", "hawala"),
    ]
    assert taxonomy_client.get("/ar/vocabulary/hawala/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("labels", "collection", "message"),
    [
        (
            [("en", "pref", "hawala"), ("fr", "pref", "hawala"), ("fr", "pref", "hawâla")],
            "terms",
            "Give one preferred label per language; more than one in: fr.",
        ),
        ([("fr", "pref", "hawala")], "terms", "Give the concept a preferred label in English."),
        ([("en", "pref", "Protection")], "themes", "A theme is named on the theme itself"),
        (
            [("en", "pref", "hawala"), ("en", "alt", "Hawala")],
            "terms",
            "“hawala” is given twice in English.",
        ),
        (
            [("en", "pref", "hawala"), ("fr", "alt", "Rapatriés")],
            "terms",
            "“Rapatriés” already names the concept “returnees”.",
        ),
    ],
    ids=[
        "two preferred in one language",
        "no English name",
        "a theme named twice",
        "a repeat",
        "another concept's label",
    ],
)
def test_labels_skos_forbids_are_refused_with_a_message(
    taxonomy_client, labels, collection, message
):
    identifier = "protection" if collection == "themes" else "hawala"
    before = Concept.objects.count()
    response = taxonomy_client.post(ADD, concept_form(identifier + "-2", labels, collection))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Concept.objects.count() == before


@pytest.mark.django_db
def test_a_themes_concept_must_be_a_theme(taxonomy_client):
    response = taxonomy_client.post(
        ADD, concept_form("no-such-theme", [("en", "alt", "nothing")], "themes")
    )
    assert response.status_code == 200
    assert "No theme has the slug “no-such-theme”" in response.content.decode()


@pytest.mark.django_db
def test_setting_up_again_keeps_what_editors_changed():
    kafala = Concept.objects.get(identifier="kafala")
    kafala.labels.filter(language="fr").delete()
    kafala.related.clear()
    assert set_up_vocabulary() == 0
    assert not kafala.labels.filter(language="fr").exists()
    assert not kafala.related.exists()


@pytest.mark.django_db
def test_the_vocabulary_menu_lists_concepts_and_finds_them_by_any_label(taxonomy_client):
    response = taxonomy_client.get("/admin/snippets/vocabulary/concept/?q=الكفالة")
    assert response.status_code == 200
    assert "kafala" in response.content.decode()
    assert "returnees" not in response.content.decode()
    # Three labels of "returnees" hold "retourn": the concept is listed once.
    rows = soup(taxonomy_client.get("/admin/snippets/vocabulary/concept/?q=retourn")).select(
        "tbody tr"
    )
    assert [row.select_one("td:nth-of-type(3)").get_text(strip=True) for row in rows].count(
        "returnees"
    ) == 1


@pytest.mark.django_db
def test_a_concepts_identifier_is_fixed_once_it_exists(taxonomy_client):
    kafala = Concept.objects.get(identifier="kafala")
    form = concept_form("kafala-renamed", [("en", "pref", "kafala system")])
    response = taxonomy_client.post(f"/admin/snippets/vocabulary/concept/edit/{kafala.pk}/", form)
    assert response.status_code == 302
    kafala.refresh_from_db()
    assert kafala.identifier == "kafala"
