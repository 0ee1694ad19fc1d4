"""``/api/v1/lessons/``: the lesson register in the open API, with each lesson's status and its
public actions only, filtered, paged and trimmed to the fields asked for."""

import datetime

import pytest

from knowledge.models import Country, KnowledgePage
from lessons.models import Action, ActionStatus, Lesson, Status
from tests.factories import (
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
    published,
)

pytestmark = pytest.mark.django_db

LESSONS = "/api/v1/lessons/"


def get(client, path=LESSONS, **params):
    return client.get(path, params)


@pytest.fixture
def lessons():
    report = published(LessonsLearnedReportPageFactory, title="Committees in Mopti")
    note = published(
        PolicyNotePageFactory,
        title="Shelters in Agadez",
        section_country="NE",
        publication_date=datetime.date(2025, 1, 1),
        recommendations=[
            {
                "type": "recommendation",
                "value": {"statement": "Fund shelters", "audience": "donors"},
            }
        ],
    )
    lesson = Lesson.objects.get(item_key=report.translation_key)
    Lesson.objects.filter(pk=lesson.pk).update(status=Status.VALIDATED)
    brief = PracticeBriefPageFactory(title="Committees at work")
    draft = PracticeBriefPageFactory(title="Draft brief", live=False)
    common = {"lesson": lesson, "owner": "Mopti office", "due_date": datetime.date(2025, 6, 30)}
    Action.objects.create(
        description="Train the committees",
        public=True,
        status=ActionStatus.DONE,
        done_on=datetime.date(2025, 5, 2),
        country=Country.objects.get(code="NE", locale__language_code="en"),
        evidence_page=brief,
        **common,
    )
    Action.objects.create(
        description="Pay the volunteers", public=True, evidence_page=draft, **common
    )
    Action.objects.create(description="Vet the names (internal)", **common)
    return {"lesson": lesson, "note": note, "report": report}


def test_a_lesson_comes_with_its_status_item_and_public_actions_only(client, lessons):
    body = get(client, f"{LESSONS}{lessons['lesson'].pk}/").json()
    assert body["statement"] == "Involve host communities early"
    assert (body["kind"], body["status"], body["language"]) == ("lesson", "validated", "en")
    assert body["url"].endswith(f"/en/register/{lessons['lesson'].pk}/")
    assert body["item"]["title"] == "Committees in Mopti"
    assert body["item"]["url"].split("#")[1].startswith("entry-")
    assert body["countries"] == [{"code": "ML", "name": "Mali"}]
    actions = {action["description"]: action for action in body["actions"]}
    assert set(actions) == {"Train the committees", "Pay the volunteers"}
    done = actions["Train the committees"]
    assert done["applied_in"] == {"code": "NE", "name": "Niger"}
    assert done["done_on"] == "2025-05-02"
    assert [e["title"] for e in done["evidence"]] == ["Committees at work"]
    assert actions["Pay the volunteers"]["evidence"] == []  # a draft is no evidence to readers


def test_the_list_filters_pages_and_trims_fields(client, lessons):
    body = get(client, kind="recommendation", fields="id,statement,audience").json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "id": Lesson.objects.get(kind="recommendation").pk,
            "statement": "Fund shelters",
            "audience": "donors",
        }
    ]
    assert [r["statement"] for r in get(client, status="validated").json()["results"]] == [
        "Involve host communities early"
    ]
    first = get(client, page_size=1, fields="id").json()
    assert (first["count"], first["pages"], first["previous"]) == (3, 3, None)
    assert "page=2" in first["next"]
    past = get(client, page=4)
    assert past.status_code == 404 and past.json()["error"]["parameter"] == "page"


def test_bad_parameters_and_unknown_ids_are_refused_with_a_message(client, lessons):
    bad = get(client, status="done")
    assert bad.status_code == 400
    assert bad.json()["error"]["parameter"] == "status"
    assert get(client, colour="red").json()["error"]["parameter"] == "colour"
    for path in (f"{LESSONS}999999/", f"{LESSONS}{10**30}/"):
        missing = get(client, path)
        assert missing.status_code == 404
        assert missing.json()["error"]["message"] == "No published lesson has this id."


def test_a_lesson_of_an_unpublished_item_is_not_found(client, lessons):
    KnowledgePage.objects.get(pk=lessons["report"].pk).unpublish()
    assert get(client, f"{LESSONS}{lessons['lesson'].pk}/").status_code == 404
    assert [r["statement"] for r in get(client).json()["results"]] == [
        "Fund community-led protection.",
        "Fund shelters",
    ]


def test_the_schema_describes_the_lessons(client):
    spec = client.get("/api/v1/schema/?format=json").json()
    operation = spec["paths"]["/api/v1/lessons/"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert parameters["status"]["items"]["enum"][:2] == ["observation", "identified"]
    assert {"q", "kind", "country", "audience", "page", "fields"} <= set(parameters)
    assert "/api/v1/lessons/{id}/" in spec["paths"]


def test_list_queries_do_not_grow_with_the_page(client, lessons, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as few:  # both item types, actions with evidence
        assert len(get(client, page_size=3).json()["results"]) == 3
    for number in range(6):
        published(LessonsLearnedReportPageFactory, title=f"Report {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(get(client, page_size=8).json()["results"]) == 8
