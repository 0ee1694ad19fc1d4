"""Text of attached documents for the index, extracted with pypdf.

Only PDFs are read. A broken or encrypted PDF is logged and skipped: its page is still indexed
without it.
"""

import logging

from pypdf import PdfReader

logger = logging.getLogger(__name__)

#: Characters kept per document; the rest of a very long report adds little to its ranking.
MAX_CHARACTERS = 200_000


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
            return _pages_text(reader)
    # pypdf raises many exception types on malformed files; none may stop the page being indexed.
    except Exception as error:  # noqa: BLE001
        logger.warning("Skipping unreadable PDF %s (%s): %s", document.pk, document.filename, error)
        return ""


def _pages_text(reader):
    parts, size = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARACTERS:
            break
    return " ".join(" ".join(parts).split())[:MAX_CHARACTERS]
