"""The database backend (the embedded default and the engine's fallback) as a reader meets it on
/search/: analysed text, typo tolerance, attachment text, highlights, and its cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from tests.factories import (
    KnowledgeAttachmentFactory,
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
)
from tests.helpers import encrypted_pdf_bytes, facet, pdf_bytes, soup, titles

pytestmark = pytest.mark.django_db


def _arabic_items():
    return [
        PolicyNotePageFactory(
            language="ar",
            section_country="EG",
            title="الهِجْرَةُ غَيْرُ النِّظَامِيَّةِ في الدلتا",
            summary="دعم العائدين من ليبيا.",
        ),
        PolicyNotePageFactory(
            language="ar",
            section_country="EG",
            title="إعادة إدماج العائدين",
            summary="برامج الأسواق المحلية.",
        ),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("الهجرة", "الهِجْرَةُ غَيْرُ النِّظَامِيَّةِ في الدلتا"),  # plain finds diacritised
        ("الهِجْرَة", "الهِجْرَةُ غَيْرُ النِّظَامِيَّةِ في الدلتا"),  # diacritised as typed
        ("الهجره", "الهِجْرَةُ غَيْرُ النِّظَامِيَّةِ في الدلتا"),  # taa marbuta written as haa
        ("اعادة ادماج", "إعادة إدماج العائدين"),  # bare alef for alef with hamza
        ("وإعادة", "إعادة إدماج العائدين"),  # with the conjunction "and"
    ],
)
def test_arabic_spellings_find_each_other(client, query, expected):
    _arabic_items()
    assert titles(client.get("/ar/search/", {"q": query})) == [expected]


def test_accents_case_and_word_forms_do_not_matter(client):
    PracticeBriefPageFactory(
        language="es",
        section_country="MA",
        title="Mujeres retornadas en las fronteras",
        summary="Educación entre pares para niños no acompañados.",
    )
    PracticeBriefPageFactory(language="fr", section_country="ML", title="Réintégration à Mopti")
    for language, query in [
        ("es", "mujer retornada"),  # singular for plural
        ("es", "frontera"),
        ("es", "educacion ninos"),  # no accents
        ("fr", "REINTEGRATION"),
        ("fr", "réintégrations"),
    ]:
        assert len(titles(client.get(f"/{language}/search/", {"q": query}))) == 1, query


def test_stop_words_are_left_out_of_the_match(client):
    PolicyNotePageFactory(
        language="fr", title="Le retour volontaire", summary="Aider les migrants à rentrer."
    )
    assert titles(client.get("/fr/search/", {"q": "retour des migrants"})) == [
        "Le retour volontaire"
    ]


def test_a_misspelt_word_finds_the_word_but_never_outranks_it(client):
    PolicyNotePageFactory(title="Markets of Tabuk", summary="Traders in the north.")
    PolicyNotePageFactory(title="Tabuq cooperative", summary="A cooperative named Tabuq.")
    # Unknown to the index: the words one letter away stand in for it.
    assert set(titles(client.get("/en/search/", {"q": "Tabuc"}))) == {
        "Markets of Tabuk",
        "Tabuq cooperative",
    }
    # A word the index holds is taken as typed: no near spelling joins it.
    assert titles(client.get("/en/search/", {"q": "Tabuq"})) == ["Tabuq cooperative"]
    assert titles(client.get("/en/search/", {"q": "Tabuk"})) == ["Markets of Tabuk"]


def test_one_letter_missing_still_finds_the_item(client):
    LessonsLearnedReportPageFactory(title="Psychosocial support for returnees", summary="In Gao.")
    assert titles(client.get("/en/search/", {"q": "psychosocal"})) == [
        "Psychosocial support for returnees"
    ]
    assert titles(client.get("/en/search/", {"q": "Gau"})) == []  # under five letters: as typed


def test_text_found_only_in_an_attached_pdf(client):
    page = LessonsLearnedReportPageFactory(title="Annual review")
    KnowledgeAttachmentFactory(
        page=page, document__file__data=pdf_bytes("Annex: hydroponic gardens in Sevare.")
    )
    page.save_revision().publish()
    assert titles(client.get("/en/search/", {"q": "hydroponic Sevare"})) == ["Annual review"]


def test_results_show_highlighted_words_escaped(client):
    PolicyNotePageFactory(
        title="Referral note",
        summary="Officials <b>need</b> referral pathways for victims of trafficking.",
    )
    page = soup(client.get("/en/search/", {"q": "pathway victims of"}))
    snippet = page.select_one(".card__highlights")
    assert [mark.text for mark in snippet.select("mark")] == ["pathways", "victims"]
    assert "<b>need</b>" in snippet.text  # the summary's own markup is shown, not obeyed


def test_a_ranked_search_costs_the_same_queries_however_many_pages_match(client):
    def cost(count):
        for number in range(count):
            PolicyNotePageFactory(
                title=f"Delta note {count}-{number}", summary="Irrigation in Mopti."
            )
        client.get("/en/search/", {"q": "irrigation Mopti"})
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/search/", {"q": "irrigation Mopti"})
        assert response.status_code == 200
        return len(queries), len(titles(response))

    few_queries, few = cost(3)
    many_queries, many = cost(30)
    assert (few, many) == (3, 12)  # a page of 12
    assert many_queries == few_queries


def _statements_matching_text(client, params):
    """The SQL statements of one search page that run the full-text match (FTS5's ``MATCH``,
    PostgreSQL's ``@@``), and the page's ``{dimension: {value: count}}`` facets."""
    client.get("/en/search/", params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/search/", params)
    assert response.status_code == 200
    statements = [q["sql"] for q in queries if " MATCH " in q["sql"] or " @@ " in q["sql"]]
    return statements, {name: facet(response, name) for name in ("type", "country", "year")}


@pytest.mark.parametrize("sort", ["relevance", "-publication_date"])
def test_a_search_matches_the_text_once_for_its_results_and_once_for_all_its_facets(client, sort):
    """Each facet dimension counted in its own statement re-ran the match and re-read every
    matching page: six statements, seconds at 100,000 items (issue 12)."""
    PolicyNotePageFactory(title="Irrigation in Mopti", countries=["ML"])
    PolicyNotePageFactory(title="Irrigation in Niamey", section_country="NE", countries=["NE"])
    PracticeBriefPageFactory(title="Irrigation in Gao", countries=["ML"])
    for params in (
        {"q": "irrigation"},
        {"q": "irrigation", "country": "ML", "type": "policy_note"},
    ):
        statements, facets = _statements_matching_text(client, {**params, "sort": sort})
        assert len(statements) == 2, params
    # Each dimension counted under the other's filter: notes by country, Malian items by type.
    assert facets["country"] == {"ML": 1, "NE": 1}
    assert facets["type"] == {"policy_note": 1, "practice_brief": 1}


def test_text_of_a_pdf_locked_only_by_its_owner_is_found(client):
    """A PDF encrypted with an empty user password opens for anyone: its text is searched."""
    page = LessonsLearnedReportPageFactory(title="Locked review")
    KnowledgeAttachmentFactory(
        page=page, document__file__data=encrypted_pdf_bytes("", "Annex on hydroponic gardens.")
    )
    page.save_revision().publish()
    assert titles(client.get("/en/search/", {"q": "hydroponic"})) == ["Locked review"]


def test_a_phrase_typed_in_its_own_language_on_another_languages_site(client):
    """ "des", "l'", "la" are stop words of the pages they were meant for: on the English site
    they found nothing (each was required although no French or Spanish page holds it)."""
    PolicyNotePageFactory(
        language="fr", title="Le retour des migrants", summary="L'intégration à Agadez."
    )
    PolicyNotePageFactory(language="es", section_country="MA", title="La migración en Tánger")
    for query, expected in [
        ("retour des migrants", "Le retour des migrants"),
        ("l'intégration", "Le retour des migrants"),
        ("d'Agadez", "Le retour des migrants"),
        ("la migración", "La migración en Tánger"),
    ]:
        assert titles(client.get("/en/search/", {"q": query})) == [expected], query


def test_excluding_a_word_leaves_out_every_version_of_the_items_holding_it(client):
    """The Arabic version of an English note on migration lacks the Latin word: it was shown to
    an English reader who excluded "migration"."""
    note = PolicyNotePageFactory(title="Irregular migration", summary="Routes through Libya.")
    arabic = note.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.title = "الهجرة غير النظامية"
    arabic.save_revision().publish()
    PolicyNotePageFactory(title="Water points", summary="Routes through Libya.")
    assert titles(client.get("/en/search/", {"q": "routes -migration"})) == ["Water points"]


@pytest.mark.parametrize(
    "query",
    [
        "mig\u200bration",  # a zero-width space inside the word
        "migra\u00adtion",  # a soft hyphen
        "migration \ufe70",  # an isolated Arabic vowel sign, as copied from a PDF
    ],
)
def test_invisible_characters_do_not_split_or_empty_a_query(client, query):
    PolicyNotePageFactory(title="Irregular migration")
    assert titles(client.get("/en/search/", {"q": query})) == ["Irregular migration"]


def test_one_letter_too_many_is_a_typo_even_when_a_stem_matches_elsewhere(client):
    """Spanish stemming turns "migrationn" into "migration", which a Spanish page quoting the
    English word holds: the typo was then taken as a known word and found that page alone."""
    PolicyNotePageFactory(title="Irregular migration")
    PolicyNotePageFactory(title="Seasonal migration")
    PolicyNotePageFactory(
        language="es", section_country="MA", title="Glosario", summary="Migration: migración."
    )
    assert len(titles(client.get("/en/search/", {"q": "migrationn"}))) == 3


def _translated(page, language, **fields):
    version = page.copy_for_translation(Locale.objects.get(language_code=language))
    for name, value in fields.items():
        setattr(version, name, value)
    version.save_revision().publish()
    return version


def test_a_ranked_search_shows_one_version_per_item(client):
    """The reader's language, else the first version created among those the filters keep:
    the ranked query reads page rows only, and the knowledge rows when a year is filtered."""
    report = PolicyNotePageFactory(
        title="Tessalit water points", publication_date=datetime.date(2020, 5, 1)
    )
    _translated(report, "fr", title="Points d'eau de Tessalit")
    _translated(
        report, "ar", title="نقاط المياه في Tessalit", publication_date=datetime.date(2021, 5, 1)
    )
    brief = PolicyNotePageFactory(
        language="fr", title="Marchés de Tessalit", publication_date=datetime.date(2021, 5, 1)
    )
    _translated(brief, "es", title="Mercados de Tessalit")

    def found(site, **params):
        response = client.get(f"/{site}/search/", {"q": "Tessalit", **params})
        return sorted(titles(response)), response.context["total"]

    assert found("es") == (["Mercados de Tessalit", "Tessalit water points"], 2)
    assert found("ar") == (["Marchés de Tessalit", "نقاط المياه في Tessalit"], 2)
    assert found("es", year="2021") == (["Mercados de Tessalit", "نقاط المياه في Tessalit"], 2)
    assert found("en", country="ML") == (["Marchés de Tessalit", "Tessalit water points"], 2)
    assert found("en", language="fr") == (["Marchés de Tessalit", "Points d'eau de Tessalit"], 2)
