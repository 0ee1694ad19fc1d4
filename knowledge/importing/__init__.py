"""Import knowledge items from JSON Lines, one transaction per line (format: docs/import-format.md)."""

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from .schema import ImportLineError, parse_line
from .writer import CREATED, UNCHANGED, UPDATED, unreadable_attachments, write_item

logger = logging.getLogger(__name__)


@dataclass
class ImportReport:
    """Counts of created, updated and unchanged pages, ``(line number, reason)`` per failure, and
    ``(line number, warning)`` per imported line that needs an editor (an unreadable attachment)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def import_knowledge_file(path, attachments_dir=None):
    """Import every line of the JSON Lines file at ``path``; a bad line is reported, not fatal.

    Attachments are read from ``attachments_dir`` (default: the file's folder). Blank lines and
    lines starting with '#' are skipped. An ``external_id`` that an earlier line of the file used
    is reported and that line left out: the first one wins. Returns an ``ImportReport``.
    """
    path = Path(path)
    attachments_dir = Path(attachments_dir) if attachments_dir else path.parent
    report = ImportReport()
    first_lines, failed_lines = {}, {}
    with path.open("rb") as lines:
        for number, raw_bytes in enumerate(lines, start=1):
            try:
                outcome, warnings = _import_line(
                    raw_bytes, number, attachments_dir, first_lines, failed_lines
                )
            except (ImportLineError, ValidationError, DatabaseError) as error:
                report.failures.append((number, _reason(error)))
                if external_id := _external_id(raw_bytes):
                    failed_lines.setdefault(external_id, number)
                continue
            if outcome:
                setattr(report, outcome, getattr(report, outcome) + 1)
            report.warnings.extend((number, warning) for warning in warnings)
    return report


def _import_line(raw_bytes, number, attachments_dir, first_lines, failed_lines):
    """Import one line; returns ``(outcome, warnings)``: CREATED, UPDATED, UNCHANGED or None for
    a blank or comment line, and what an editor must fix on the imported page (``_warnings``).

    ``first_lines`` maps each external id seen so far in the file to the line that used it, and
    ``failed_lines`` those of lines that failed, so a translation of one names the real cause.
    """
    try:
        raw = raw_bytes.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as error:
        raise ImportLineError(f"not UTF-8 text (byte {error.start + 1})") from error
    if not raw.strip() or raw.lstrip().startswith("#"):
        return None, []
    spec = parse_line(raw)
    first = first_lines.setdefault(spec.external_id, number)
    if first != number:
        raise ImportLineError(
            f"external_id '{spec.external_id}' is already used on line {first} of this file; "
            "give each item one line"
        )
    source = spec.common.get("translation_of")
    if source in failed_lines:
        raise ImportLineError(
            f"'translation_of' names {source!r}, whose line {failed_lines[source]} failed to "
            "import; fix that line first"
        )
    with transaction.atomic():
        outcome = write_item(spec, attachments_dir)
    return outcome, _warnings(spec)


def _warnings(spec):
    """One warning per unreadable attachment of the page, naming the page and the file. The line
    is imported (its text is what readers come for) and the page tells readers the file cannot
    be read; every run repeats the warning until the file is replaced."""
    page = f"'{spec.external_id}' ({spec.common['title']})"
    return [
        f"{page}: attachment {file_name!r} could not be read ({problem}); the page is published "
        "and tells readers the file cannot be opened: replace the file and import again"
        for file_name, problem in unreadable_attachments(spec)
    ]


def _external_id(raw_bytes):
    """The ``external_id`` a line gives, if it can be read at all (its line may have failed)."""
    try:
        data = json.loads(raw_bytes)
    except ValueError:
        return None
    identifier = data.get("external_id") if isinstance(data, dict) else None
    return identifier if isinstance(identifier, str) else None


def _reason(error):
    if isinstance(error, DatabaseError):
        return f"the database refused the item: {error}"
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    return str(error)


__all__ = [
    "CREATED",
    "UNCHANGED",
    "UPDATED",
    "ImportLineError",
    "ImportReport",
    "import_knowledge_file",
]
