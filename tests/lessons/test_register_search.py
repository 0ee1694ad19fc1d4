"""The lesson register's search, on the database backend and on the real engine: a query finds
lessons (not items) in any language, the report's lesson on the subject first, and the facets
count lessons by kind, status, the item's country, type, language and year, and audience."""

import datetime

import pytest

from lessons.models import Lesson, Status
from search.passage_index import update_pages
from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory, published
from tests.helpers import soup

pytestmark = pytest.mark.django_db

GRANTS = "Pay business grants in instalments linked to a verification visit"


@pytest.fixture
def corpus():
    report = published(
        LessonsLearnedReportPageFactory,
        title="Reintegration grants in Mopti",
        publication_date=datetime.date(2023, 5, 1),
        lessons=[
            {
                "type": "lesson",
                "value": {
                    "statement": "Involve host communities early",
                    "explanation": "<p>Committees of elders and youth met every month.</p>",
                },
            },
            {
                "type": "lesson",
                "value": {
                    "statement": GRANTS,
                    "explanation": "<p>Three tranches raised business survival to 71 per cent.</p>",
                },
            },
        ],
        recommendations=[
            {
                "type": "recommendation",
                "value": {
                    "statement": "Register the births of returnee children at the border",
                    "explanation": "<p>Without a birth certificate, children cannot enrol.</p>",
                },
            }
        ],
    )
    note = published(
        PolicyNotePageFactory,
        language="fr",
        section_country="NE",
        title="Les enfants de retour à Agadez",
        publication_date=datetime.date(2025, 2, 1),
        key_messages=[
            {"type": "message", "value": "Sans acte de naissance, un enfant ne va pas à l'école."}
        ],
        recommendations=[
            {
                "type": "recommendation",
                "value": {
                    "statement": "Ouvrir des guichets d'état civil dans les centres de transit",
                    "audience": "national-government",
                },
            }
        ],
    )
    update_pages([report.pk, note.pk])
    return report, note


def register(client, query="", language="en"):
    response = client.get(f"/{language}/register/?{query}")
    assert response.status_code == 200, response.content.decode()[:500]
    return soup(response)


def statements(page):
    return [entry.h3.get_text(strip=True) for entry in page.select(".register__entry")]


def facet(page, dimension):
    return {
        item.select_one(".facet__label").get_text(strip=True): int(
            item.select_one(".facet__count").get_text()
        )
        for item in page.select(f".facet--{dimension} li")
    }


def test_a_query_puts_the_lesson_on_its_subject_first(client, backend):
    found = statements(register(client, "q=instalments"))
    assert found[0] == GRANTS


def test_a_query_finds_lessons_in_another_language(client, backend):
    found = statements(register(client, "q=acte+de+naissance+des+enfants", language="fr"))
    assert "Sans acte de naissance, un enfant ne va pas à l'école." in found[:2]
    assert "Register the births of returnee children at the border" in found


def test_facets_count_lessons_and_filters_narrow_them(client, backend):
    page = register(client)
    assert facet(page, "kind") == {"Lesson": 2, "Recommendation": 2, "Key message": 1}
    assert facet(page, "country") == {"Mali": 3, "Niger": 2}
    assert facet(page, "language") == {"English": 3, "French": 2}
    assert facet(page, "audience") == {"National government": 1}
    narrowed = register(client, "country=NE&kind=recommendation")
    assert statements(narrowed) == ["Ouvrir des guichets d'état civil dans les centres de transit"]
    # A facet counts what selecting its value would give, the other dimensions kept.
    assert facet(narrowed, "kind") == {"Recommendation": 1, "Key message": 1}


def test_the_status_facet_follows_the_lifecycle(client, backend):
    validated = Lesson.objects.filter(kind="lesson").order_by("pk").last()
    Lesson.objects.filter(pk=validated.pk).update(status=Status.VALIDATED)
    page = register(client, "status=validated")
    assert statements(page) == [GRANTS]
    assert facet(page, "status") == {"Lesson identified": 4, "Validated": 1}


def test_bad_parameters_are_refused_with_a_message(client):
    response = client.get("/en/register/?status=done&year=20x4")
    assert response.status_code == 400
    text = soup(response).select_one(".notice--error").get_text(" ", strip=True)
    assert "Status: Select a valid choice" in text
    assert "Year:" in text
