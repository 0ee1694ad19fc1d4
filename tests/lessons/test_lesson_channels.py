"""A lesson's page tells machines what it is: schema.org JSON-LD with its report and public
actions, and citations of the lesson with its report (RIS, BibTeX, CSL-JSON)."""

import datetime
import json

import pytest

from knowledge.models import Country
from lessons.models import Action, ActionStatus, Lesson
from tests.factories import LessonsLearnedReportPageFactory
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson():
    report = LessonsLearnedReportPageFactory(
        live=False, title="Committees in Mopti", organisation="COMPASS Mali"
    )
    report.save_revision().publish()
    lesson = Lesson.objects.get(item_key=report.translation_key)
    common = {"lesson": lesson, "owner": "Mopti office", "due_date": datetime.date(2025, 6, 1)}
    Action.objects.create(
        description="Train the committees",
        public=True,
        status=ActionStatus.DONE,
        done_on=datetime.date(2025, 5, 2),
        country=Country.objects.get(code="NE", locale__language_code="en"),
        **common,
    )
    Action.objects.create(description="Vet the informants", **common)
    return lesson


def json_ld(client, lesson):
    page = soup(client.get(f"/en/register/{lesson.pk}/"))
    return page, json.loads(page.select_one('script[type="application/ld+json"]').string)


def test_the_json_ld_describes_the_lesson_its_report_and_public_actions(client, lesson):
    page, data = json_ld(client, lesson)
    url = f"http://testserver/en/register/{lesson.pk}/"
    assert page.select_one('link[rel="canonical"]')["href"] == url
    assert (data["@type"], data["@id"], data["name"]) == (
        "CreativeWork",
        url,
        "Involve host communities early",
    )
    assert (data["genre"], data["creativeWorkStatus"]) == ("Lesson", "Lesson identified")
    assert data["isPartOf"]["@type"] == "Report"
    assert data["isPartOf"]["name"] == "Committees in Mopti"
    (action,) = data["potentialAction"]
    assert action["name"] == "Train the committees"
    assert action["actionStatus"] == "https://schema.org/CompletedActionStatus"
    assert action["location"]["name"] == "Niger"
    assert "Vet the informants" not in page.decode()


def test_a_lesson_is_cited_with_its_report(client, lesson):
    page = soup(client.get(f"/en/register/{lesson.pk}/"))
    citation = page.select_one(".cite-this__citation").get_text(" ", strip=True)
    assert "Committees in Mopti" in citation
    assert "Lesson: “Involve host communities early”." in citation
    ris = client.get(f"/en/cite/lesson-{lesson.pk}.ris").content.decode()
    assert "TI  - Committees in Mopti" in ris
    assert (
        f"N1  - Lesson: “Involve host communities early”. http://testserver/en/register/{lesson.pk}/"
        in ris
    )
    csl = client.get(f"/en/cite/lesson-{lesson.pk}.json").json()
    assert csl[0]["note"].startswith("Lesson: “Involve host communities early”.")
    bib = client.get(f"/en/cite/lesson-{lesson.pk}.bib").content.decode()
    assert "note = {Lesson: “Involve host communities early”." in bib
    assert client.get(f"/en/cite/lesson-{lesson.pk}.doc").status_code == 404
    assert client.get("/en/cite/lesson-999999.ris").status_code == 404
