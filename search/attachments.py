"""Text of attached documents for the index, extracted with pypdf.

Only PDFs are read. A broken or encrypted PDF is logged and skipped: its page is still indexed
without it. The first ``MAX_CHARACTERS`` of a PDF are indexed, which is the whole of any report
(a 1,000-page report holds about two million); the rare longer one is logged, and editors read
the rule in the help text of the attachment field.
"""

import logging

from pypdf import PdfReader

logger = logging.getLogger(__name__)

#: Characters indexed per document: about 1,000 pages of text. The cap keeps one upload (at most
#: 50 MB, whose compressed text could expand a hundredfold) from exhausting the worker's memory.
MAX_CHARACTERS = 2_000_000


def document_text(document):
    """Plain text of a Wagtail ``document`` (PDF only), at most ``MAX_CHARACTERS``; '' if none."""
    if document.file_extension.lower() != "pdf":
        return ""
    try:
        with document.open_file() as handle:
            reader = PdfReader(handle)
            if reader.is_encrypted:
                logger.warning("Skipping encrypted PDF %s (%s)", document.pk, document.filename)
                return ""
            return _pages_text(reader, document)
    # pypdf raises many exception types on malformed files; none may stop the page being indexed.
    except Exception as error:  # noqa: BLE001
        logger.warning("Skipping unreadable PDF %s (%s): %s", document.pk, document.filename, error)
        return ""


def _pages_text(reader, document):
    parts, size = [], 0
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARACTERS and number < len(reader.pages):
            logger.warning(
                "Indexing the first %d characters of %s (%s): pages %d to %d are not searched",
                MAX_CHARACTERS,
                document.pk,
                document.filename,
                number + 1,
                len(reader.pages),
            )
            break
    return " ".join(" ".join(parts).split())[:MAX_CHARACTERS]
