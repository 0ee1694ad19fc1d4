"""Text of attached documents for the index, extracted with pypdf and kept (``DocumentText``).

A document's text is extracted once per file: by the background task that follows every upload
(``search.tasks``), or by whichever indexing reaches it first outside a web request. Only PDFs are
read. A broken or encrypted PDF is logged and skipped: its page is still indexed
without it. The first ``MAX_CHARACTERS`` of a PDF are indexed, which is the whole of any report
(a 1,000-page report holds about two million); the rare longer one is logged, and editors read
the rule in the help text of the attachment field.
"""

import logging

from pypdf import PdfReader

from search.models import DocumentText

logger = logging.getLogger(__name__)

#: Characters indexed per document: about 1,000 pages of text. The cap keeps one upload (at most
#: 50 MB, whose compressed text could expand a hundredfold) from exhausting the worker's memory.
MAX_CHARACTERS = 2_000_000


def texts_of(documents, extract=True):
    """``{document id: text}`` of ``documents`` (Wagtail documents): the kept text of each current
    file, read in one query; a file not read yet is extracted and kept when ``extract``, else
    given as '' (a web request never reads a PDF; the upload's task will)."""
    documents = {document.pk: document for document in documents}
    kept = DocumentText.objects.filter(pk__in=documents).values_list("pk", "file_name", "text")
    texts = {pk: text for pk, name, text in kept if name == documents[pk].file.name}
    for pk, document in documents.items():
        if pk not in texts:
            texts[pk] = keep_text(document) if extract else ""
    return texts


def keep_text(document):
    """Extract ``document``'s text (``extract_text``) and keep it; returns it."""
    text = extract_text(document)
    DocumentText.objects.update_or_create(
        document=document, defaults={"file_name": document.file.name, "text": text}
    )
    return text


def extract_text(document):
    """Plain text of a Wagtail ``document`` (PDF only), at most ``MAX_CHARACTERS``; '' if none.

    A PDF encrypted with an empty user password is decrypted first; one that needs a password is
    skipped (the readability rule of ``knowledge.models.documents``).
    """
    if document.file_extension.lower() != "pdf":
        return ""
    try:
        with document.open_file() as handle:
            reader = PdfReader(handle)
            if reader.is_encrypted and not reader.decrypt(""):
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
