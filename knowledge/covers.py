"""Cover thumbnails of PDF documents: the first page drawn small, as readers see it on an item's
page beside the download button.

A readable PDF (``knowledge.models.documents``) gets a ``DocumentCover`` in the background: the
task worker draws it with PDFium (through pypdfium2) after each new or replaced file, since drawing
a page is too slow for the upload's request. ``manage.py document_covers`` draws the covers that
are missing (documents uploaded before covers existed).
"""

import io
import logging

import pypdfium2
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task
from wagtail.documents import get_document_model, get_document_model_string

from knowledge.models import DocumentCheck
from knowledge.models.documents import DocumentCover, saved_with_file

logger = logging.getLogger(__name__)

#: Width of the drawn cover in pixels: twice the 120 CSS pixels the page shows it at, for
#: high-density screens.
COVER_WIDTH = 240

#: WebP quality (0–100): a cover is 6–15 KB at 240 pixels wide.
COVER_QUALITY = 75


def draw_first_page(data, width=COVER_WIDTH):
    """``(webp_bytes, width, height)`` of the first page of the PDF in ``data`` (bytes), scaled
    to ``width`` pixels wide. Raises ``pypdfium2.PdfiumError`` for a file PDFium cannot open and
    ``IndexError`` for a PDF without pages."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[0]
        scale = width / page.get_width()  # PDF points (1/72 inch) to pixels
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()
    # PDFium rounds the bitmap's size up: a pixel more than asked is cut.
    image = image.crop((0, 0, min(width, image.width), image.height))
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=COVER_QUALITY)
    return buffer.getvalue(), image.width, image.height


def needs_cover(document):
    """Whether ``document`` is a readable PDF whose present file has no cover yet."""
    check = DocumentCheck.objects.filter(document=document, file_name=document.file.name).first()
    if check is None or not check.readable or check.page_count is None:
        return False
    return DocumentCover.of(document) is None


@task()
def draw_document_cover(document_id):
    """Draw the cover of the document ``document_id`` if it still needs one (``needs_cover``),
    replacing the cover of an earlier file. A page PDFium cannot draw leaves no cover (logged):
    the page offers the download without a picture."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not document.file or not needs_cover(document):
        return
    with document.open_file() as handle:
        data = handle.read()
    try:
        webp, width, height = draw_first_page(data)
    except (pypdfium2.PdfiumError, IndexError, ValueError) as error:
        logger.warning("No cover for document %s: %s", document_id, error)
        return
    earlier = DocumentCover.objects.filter(document=document).first()
    earlier_image = earlier.image.name if earlier else None
    # One row per document whichever worker gets there first; the drawing of an earlier file goes.
    cover, _created = DocumentCover.objects.update_or_create(
        document=document,
        defaults={
            "file_name": document.file.name,
            "image": ContentFile(webp, name=f"{document.pk}.webp"),
            "width": width,
            "height": height,
        },
    )
    if earlier_image and earlier_image != cover.image.name:
        cover.image.storage.delete(earlier_image)


def draw_missing_covers():
    """Queue a cover for every readable PDF without one; returns how many were queued."""
    queued = 0
    for document in get_document_model().objects.exclude(file=""):
        if needs_cover(document):
            draw_document_cover.enqueue(document.pk)
            queued += 1
    return queued


def _on_document_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not saved_with_file(instance, raw, update_fields):
        return
    document_id = instance.pk
    transaction.on_commit(lambda: draw_document_cover.enqueue(document_id))


def _delete_cover_file(sender, instance, **kwargs):
    instance.image.delete(save=False)


def connect():
    """Connect the receivers (called from ``KnowledgeConfig.ready``): a saved document's cover is
    drawn after the readability check (connected earlier, at model import), and a cover's file
    goes with its row."""
    post_save.connect(
        _on_document_saved,
        sender=get_document_model_string(),
        dispatch_uid="knowledge.draw_document_cover",
    )
    post_delete.connect(_delete_cover_file, sender=DocumentCover, dispatch_uid="knowledge.cover")
