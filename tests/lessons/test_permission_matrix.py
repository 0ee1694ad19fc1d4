"""Who may do what to lessons and actions in the admin: the permission matrix of the teams
(``tests/knowledge/test_permissions.py``) extended to the lesson register, asserted through the
views, for a lesson of a Mali report and one of a Niger report.

Outcomes: ``ALLOWED`` (the screen opens, the change is made); ``DENIED`` (the admin's
permission-denied redirect, nothing changes); ``REFUSED`` (the screen answers with a form error,
nothing changes); ``HIDDEN`` (404: another section's action is not this user's to see).
Expected outcomes are written out by hand.
"""

import datetime

import pytest

from lessons.models import Action, Lesson, Status
from tests.factories import LessonsLearnedReportPageFactory, published
from tests.knowledge.test_permissions import ROLE_GROUPS, act_as, is_permission_denied  # noqa: F401

pytestmark = pytest.mark.django_db

ALLOWED, DENIED, REFUSED, HIDDEN = "allowed", "denied", "refused", "hidden"

# fmt: off
#: (role, operation): (outcome on the Mali lesson, outcome on the Niger lesson)
MATRIX = {
    ("editor", "open"):          (ALLOWED, DENIED),
    ("editor", "validate"):      (REFUSED, DENIED),
    ("editor", "add action"):    (ALLOWED, REFUSED),
    ("editor", "edit action"):   (ALLOWED, HIDDEN),
    ("editor", "delete action"): (ALLOWED, HIDDEN),

    ("moderator", "open"):          (ALLOWED, DENIED),
    ("moderator", "validate"):      (ALLOWED, DENIED),
    ("moderator", "add action"):    (ALLOWED, REFUSED),
    ("moderator", "edit action"):   (ALLOWED, HIDDEN),
    ("moderator", "delete action"): (ALLOWED, HIDDEN),

    ("reviewer", "open"):          (ALLOWED, ALLOWED),
    ("reviewer", "validate"):      (ALLOWED, ALLOWED),
    ("reviewer", "add action"):    (ALLOWED, ALLOWED),
    ("reviewer", "edit action"):   (ALLOWED, ALLOWED),
    ("reviewer", "delete action"): (ALLOWED, ALLOWED),

    ("taxonomy", "open"):          (DENIED, DENIED),
    ("taxonomy", "validate"):      (DENIED, DENIED),
    ("taxonomy", "add action"):    (DENIED, DENIED),
    ("taxonomy", "edit action"):   (DENIED, DENIED),
    # Wagtail's delete view looks the action up before it checks the user's rights.
    ("taxonomy", "delete action"): (HIDDEN, HIDDEN),

    ("superuser", "open"):          (ALLOWED, ALLOWED),
    ("superuser", "validate"):      (ALLOWED, ALLOWED),
    ("superuser", "add action"):    (ALLOWED, ALLOWED),
    ("superuser", "edit action"):   (ALLOWED, ALLOWED),
    ("superuser", "delete action"): (ALLOWED, ALLOWED),
}
# fmt: on


def lesson_of(country):
    report = published(LessonsLearnedReportPageFactory, section_country=country, title=country)
    lesson = Lesson.objects.get(item_key=report.translation_key)
    Action.objects.create(
        lesson=lesson, description="Train", owner="Office", due_date=datetime.date(2026, 1, 1)
    )
    return lesson


def outcome(response, changed):
    if is_permission_denied(response):
        return DENIED
    if response.status_code == 302 and response.url.startswith("/en/admin/"):
        return HIDDEN  # the locale middleware's way to a 404 under /admin/
    if response.status_code == 404:
        return HIDDEN
    return ALLOWED if changed() else REFUSED


def attempt(client, operation, lesson):
    action = lesson.actions.get()
    if operation == "open":
        response = client.get(f"/admin/lessons/{lesson.pk}/")
        return outcome(response, lambda: response.status_code == 200)
    if operation == "validate":
        response = client.post(
            f"/admin/lessons/{lesson.pk}/", {"status": "validated", "comment": "Seen twice."}
        )
        return outcome(
            response, lambda: Lesson.objects.get(pk=lesson.pk).status == Status.VALIDATED
        )
    if operation == "add action":
        data = {
            "lesson": lesson.pk,
            "description": "Hire",
            "owner": "Office",
            "owner_language": "en",
            "due_date": "2026-02-01",
            "status": "planned",
        }
        response = client.post("/admin/actions/new/", data)
        return outcome(response, lambda: lesson.actions.filter(description="Hire").exists())
    if operation == "edit action":
        data = {
            "lesson": lesson.pk,
            "description": "Train well",
            "owner": "Office",
            "owner_language": "en",
            "due_date": "2026-02-01",
            "status": "planned",
        }
        response = client.post(f"/admin/actions/edit/{action.pk}/", data)
        return outcome(
            response, lambda: Action.objects.get(pk=action.pk).description == "Train well"
        )
    response = client.post(f"/admin/actions/delete/{action.pk}/")
    return outcome(response, lambda: not Action.objects.filter(pk=action.pk).exists())


@pytest.mark.parametrize(("role", "operation"), list(MATRIX))
def test_lesson_and_action_permissions(client, act_as, role, operation):  # noqa: F811
    lessons = (lesson_of("ML"), lesson_of("NE"))
    act_as(role)
    found = tuple(attempt(client, operation, lesson) for lesson in lessons)
    assert found == MATRIX[(role, operation)]
