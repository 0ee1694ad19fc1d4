"""Bring an existing lessons register (a spreadsheet saved as JSON Lines) into the portal:
each line gives one entry's status and actions (``docs/import-format.md``, "Lesson register").

A line names its entry as the item's ``external_id`` and ``entry`` ("recommendations/2": the
list and the 0-based position in the item's line, as the item import identifies entries), e.g.::

    {"item": "ml-lr-2023-01", "entry": "recommendations/0", "status": "validated",
     "comment": "Validated by the steering committee, March 2024",
     "actions": [{"description": "Train the committees", "owner": "Mopti office",
                  "owner_email": "mopti@example.org", "owner_language": "fr",
                  "due_date": "2024-12-31", "status": "done", "done_on": "2024-11-05",
                  "country": "ML", "evidence_url": "https://...", "evidence_item": "ml-pb-2025-02",
                  "public": true}]}

The status is set as the register had it, whatever the lifecycle's moves in between (a
register brought in is history, not a move), and logged as a move by the import with its
comment. Actions are matched to the entry's existing ones by their description, so importing
the file again updates them instead of adding them twice. A bad line is reported with its number
and changes nothing; the others are imported.
"""

import datetime
import json
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import Locale

from knowledge.models import Country, KnowledgePage
from lessons.lifecycle import LOG_ACTION
from lessons.models import Action, Lesson, Status
from lessons.records import record_lessons

#: The action fields a line may give, as the model names them (plus ``country`` and
#: ``evidence_item``, read into relations).
ACTION_FIELDS = {
    "description",
    "owner",
    "owner_email",
    "owner_language",
    "due_date",
    "status",
    "done_on",
    "evidence_url",
    "public",
}
LINE_KEYS = {"item", "entry", "status", "comment", "actions"}


class LineError(Exception):
    """What is wrong with one line, in a sentence for the person importing."""


@dataclass
class RegisterImportReport:
    """``updated`` lessons, ``actions`` created or updated, ``failures`` ``[(line, message)]``."""

    updated: int = 0
    actions: int = 0
    failures: list = field(default_factory=list)


def import_register_file(path):
    """Import every line of the JSON Lines file at ``path`` (blank lines and lines starting with
    '#' skipped); returns a ``RegisterImportReport``. Raises ``OSError`` when it cannot be read."""
    report = RegisterImportReport()
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            try:
                with transaction.atomic():
                    report.actions += import_line(_parsed(text))
                report.updated += 1
            except LineError as error:
                report.failures.append((number, str(error)))
    return report


def _parsed(text):
    try:
        line = json.loads(text)
    except ValueError as error:
        raise LineError(f"not valid JSON: {error}") from error
    if not isinstance(line, dict):
        raise LineError("a line is one JSON object")
    if unknown := set(line) - LINE_KEYS:
        raise LineError(f"unknown key {sorted(unknown)[0]!r}; keys: {', '.join(sorted(LINE_KEYS))}")
    return line


def import_line(line):
    """Apply one parsed line; returns the number of actions written. Raises ``LineError``."""
    lesson = _lesson(line.get("item"), line.get("entry"))
    if "status" in line:
        _set_status(lesson, line["status"], str(line.get("comment", "")))
    actions = line.get("actions", [])
    if not isinstance(actions, list):
        raise LineError("'actions' is a list of objects")
    for position, data in enumerate(actions, start=1):
        _write_action(lesson, data, position)
    return len(actions)


def _lesson(external_id, entry):
    if not isinstance(external_id, str) or not external_id:
        raise LineError("'item' (the item's external_id) is required")
    page = KnowledgePage.objects.filter(external_id=external_id).first()
    if page is None:
        raise LineError(f"no item has the external_id {external_id!r}")
    page = page.specific
    name, _slash, index = str(entry or "").partition("/")
    if name not in page.followed_statements or not index.isdigit():
        fields = ", ".join(page.followed_statements) or "none"
        raise LineError(f"'entry' is <list>/<position>, the list one of: {fields}")
    blocks = list(getattr(page, name))
    if int(index) >= len(blocks):
        raise LineError(f"{external_id!r} has {len(blocks)} {name}; positions start at 0")
    record_lessons([page.pk])
    lesson = Lesson.objects.filter(
        item_key=page.translation_key, block_id=uuid.UUID(blocks[int(index)].id)
    ).first()
    if lesson is None:
        raise LineError(f"{external_id!r} is not published: its lessons have no record yet")
    return lesson


def _set_status(lesson, status, comment):
    if status not in Status.values:
        raise LineError(f"unknown status {status!r}; statuses: {', '.join(Status.values)}")
    if lesson.status == status:
        return
    before, lesson.status = lesson.status, status
    lesson.save(update_fields=["status"])
    data = {"from": before, "to": status, "comment": comment or "Imported from a register"}
    log(instance=lesson, action=LOG_ACTION, user=None, data=data)


def _write_action(lesson, data, position):
    where = f"action {position}"
    if not isinstance(data, dict):
        raise LineError(f"{where}: an action is a JSON object")
    if unknown := set(data) - ACTION_FIELDS - {"country", "evidence_item"}:
        raise LineError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    description = str(data.get("description", "")).strip()
    action = Action.objects.filter(lesson=lesson, description=description).first()
    action = action or Action(lesson=lesson)
    for name in ACTION_FIELDS & set(data):
        setattr(
            action,
            name,
            _date(data[name], where, name) if name.endswith(("_date", "_on")) else data[name],
        )
    action.description = description
    action.country = _country(data.get("country"), where) if "country" in data else action.country
    if "evidence_item" in data:
        action.evidence_page = _item(data["evidence_item"], where)
    try:
        action.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise LineError(f"{where}: {problems}") from error
    action.save()


def _date(value, where, name):
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise LineError(f"{where}: {name} is a date written YYYY-MM-DD, not {value!r}") from error


def _country(code, where):
    if not code:
        return None
    country = Country.objects.filter(code=str(code).upper(), locale=Locale.get_default()).first()
    if country is None:
        raise LineError(f"{where}: no partner country has the code {code!r}")
    return country


def _item(external_id, where):
    page = (
        KnowledgePage.objects.filter(external_id=str(external_id)).first() if external_id else None
    )
    if external_id and page is None:
        raise LineError(f"{where}: no item has the external_id {external_id!r} (evidence_item)")
    return page
