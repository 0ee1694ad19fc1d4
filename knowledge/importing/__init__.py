"""Import knowledge items from JSON Lines (format: docs/import-format.md).

Lines are imported in batches, one transaction per batch and a savepoint per line in it, so a bad
line is left out alone while the search indexes take the batch's pages in bulk at its end
(``knowledge.changes``), Wagtail's reference index once per page at its end (``references``), and
the database commits once per batch, not once per line.
"""

import json
import logging
from collections import ChainMap
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from knowledge import changes

from . import references
from .schema import ImportLineError, parse_line
from .writer import CREATED, UNCHANGED, UPDATED, unreadable_attachments, write_item

logger = logging.getLogger(__name__)

#: Lines imported in one transaction.
BATCH_SIZE = 100


@dataclass
class ImportReport:
    """Counts of created, updated and unchanged pages, ``(line number, reason)`` per failure, and
    ``(line number, warning)`` per imported line that needs an editor (an unreadable attachment)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def add(self, other):
        """Add the counts, failures and warnings of ``other`` (a later part of the file)."""
        for name in (CREATED, UPDATED, UNCHANGED):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)
        self.warnings.extend(other.warnings)


def import_knowledge_file(path, attachments_dir=None, on_progress=None, batch_size=BATCH_SIZE):
    """Import every line of the JSON Lines file at ``path``; a bad line is reported, not fatal.

    Attachments are read from ``attachments_dir`` (default: the file's folder). Blank lines and
    lines starting with '#' are skipped. An ``external_id`` that an earlier line of the file used
    is reported and that line left out: the first one wins. ``on_progress(lines)`` is called after
    each batch of ``batch_size`` lines with the number of lines it held. Returns an
    ``ImportReport``.
    """
    path = Path(path)
    attachments_dir = Path(attachments_dir) if attachments_dir else path.parent
    report = ImportReport()
    first_lines, failed_lines = {}, {}
    with path.open("rb") as lines:
        numbered = enumerate(lines, start=1)
        while batch := list(islice(numbered, batch_size)):
            _import_batch(batch, attachments_dir, report, first_lines, failed_lines)
            if on_progress:
                on_progress(len(batch))
    return report


def _import_batch(batch, attachments_dir, report, first_lines, failed_lines):
    """Import ``batch`` (``[(line number, bytes)]``) in one transaction, adding to ``report`` and
    the external ids seen (``_import_line``) once it is committed.

    Should the database refuse the batch's index updates at its end, the batch is rolled back and
    its lines imported again one transaction each, so the refusal is reported on its own line as
    before batching. (Files the rolled-back lines stored stay in the media folder, unused.)
    """
    batch_report = ImportReport()
    batch_first, batch_failed = ChainMap({}, first_lines), ChainMap({}, failed_lines)
    try:
        with changes.batch(), references.deferred():
            for number, raw_bytes in batch:
                _import_numbered(
                    number, raw_bytes, attachments_dir, batch_report, batch_first, batch_failed
                )
    except DatabaseError:
        logger.warning("Import: a batch was refused as a whole; importing its lines one by one")
        for number, raw_bytes in batch:
            _import_numbered(number, raw_bytes, attachments_dir, report, first_lines, failed_lines)
        return
    report.add(batch_report)
    first_lines.update(batch_first.maps[0])
    failed_lines.update(batch_failed.maps[0])


def _import_numbered(number, raw_bytes, attachments_dir, report, first_lines, failed_lines):
    """Import line ``number`` and record its outcome, failure or warnings in ``report``."""
    try:
        outcome, warnings = _import_line(
            raw_bytes, number, attachments_dir, first_lines, failed_lines
        )
    except (ImportLineError, ValidationError, DatabaseError) as error:
        report.failures.append((number, _reason(error)))
        if external_id := _external_id(raw_bytes):
            failed_lines.setdefault(external_id, number)
        return
    if outcome:
        setattr(report, outcome, getattr(report, outcome) + 1)
    report.warnings.extend((number, warning) for warning in warnings)


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
    # A savepoint inside the batch's transaction; alone, the line's own transaction and batch.
    with transaction.atomic(), changes.batch(), references.deferred():
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
