"""Import knowledge items from JSON Lines, one transaction per line (format: docs/import-format.md)."""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .schema import ImportLineError, parse_line
from .writer import CREATED, UNCHANGED, UPDATED, write_item

logger = logging.getLogger(__name__)


@dataclass
class ImportReport:
    """Counts of created, updated and unchanged pages, and ``(line number, reason)`` per failure."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list = field(default_factory=list)


def import_knowledge_file(path, attachments_dir=None):
    """Import every line of the JSON Lines file at ``path``; a bad line is reported, not fatal.

    Attachments are read from ``attachments_dir`` (default: the file's folder). Blank lines and
    lines starting with '#' are skipped. Returns an ``ImportReport``.
    """
    path = Path(path)
    attachments_dir = Path(attachments_dir) if attachments_dir else path.parent
    report = ImportReport()
    with path.open(encoding="utf-8") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            try:
                outcome = _import_line(raw, attachments_dir)
            except (ImportLineError, ValidationError) as error:
                report.failures.append((number, _reason(error)))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _import_line(raw, attachments_dir):
    spec = parse_line(raw)
    with transaction.atomic():
        return write_item(spec, attachments_dir)


def _reason(error):
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
