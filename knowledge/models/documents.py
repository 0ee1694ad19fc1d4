"""Whether each uploaded document can be read, checked once per file whichever way it came in.

Every Wagtail document save (the admin's add, multiple and chooser uploads, replacing a file in the
edit view, the import command) runs ``check_document_file`` through a ``post_save`` receiver; a
document whose file has not changed since its last check is not read again. The result is a
``DocumentCheck`` row: editors see it in the document's edit view, the import reports it with the
line, and the item page does not offer an unreadable file for download.

What "readable" means (the rule search indexing applies too, with pypdf): only PDFs are read; a PDF
is readable when pypdf opens it, decrypts it without a password if it is encrypted (an empty user
password, as "owner-locked" PDFs use), finds its pages and decodes each page's content. An
encrypted PDF that needs a password, or uses a cipher pypdf cannot decrypt, is unreadable
(``encrypted``); any other failure is ``damaged`` (a truncated download, a broken cross-reference
table, a corrupt stream).
"""

import logging

from django.db import models
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from wagtail.documents import get_document_model_string

logger = logging.getLogger(__name__)

READABLE, ENCRYPTED, DAMAGED = "", "encrypted", "damaged"


def pdf_problem(handle):
    """``(problem, detail)`` of the PDF in the binary file ``handle``: ``(READABLE, "")`` when
    pypdf reads it, else ``(ENCRYPTED, why)`` or ``(DAMAGED, pypdf's message)``."""
    problem, detail, _pages = read_pdf(handle)
    return problem, detail


def read_pdf(handle):
    """``(problem, detail, page_count)`` of the PDF in the binary file ``handle``: as
    ``pdf_problem``, with its number of pages when readable (else ``None``)."""
    try:
        reader = PdfReader(handle)
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")
            # pypdf raises DependencyError for a cipher it has no library for, others for bad keys.
            except Exception as error:  # noqa: BLE001
                return ENCRYPTED, str(error), None
            if not decrypted:
                return ENCRYPTED, "a password is needed to open it", None
        for page in reader.pages:
            page.get_contents()
        page_count = len(reader.pages)
    # pypdf raises many exception types on malformed files; each means the file cannot be read.
    except Exception as error:  # noqa: BLE001
        return DAMAGED, str(error) or type(error).__name__, None
    return READABLE, "", page_count


class DocumentCheck(models.Model):
    """The last check of a document's file: readable, or why not (see the module's rule)."""

    PROBLEMS = [
        (READABLE, _("readable")),
        (ENCRYPTED, _("encrypted with a password")),
        (DAMAGED, _("damaged")),
    ]

    document = models.OneToOneField(
        "wagtaildocs.Document",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="file_check",
    )
    file_name = models.CharField(max_length=255, help_text="The stored file that was checked.")
    problem = models.CharField(max_length=20, choices=PROBLEMS, blank=True)
    detail = models.TextField(blank=True, help_text="What pypdf said, for the administrator.")
    page_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Pages of a readable PDF; empty for other files."
    )
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document check")

    def __str__(self):
        return f"{self.file_name}: {self.get_problem_display()}"

    @property
    def readable(self):
        return self.problem == READABLE


class DocumentCover(models.Model):
    """A readable PDF's first page as a small WebP image, like a Wagtail rendition: drawn once
    per file in the background (``knowledge.covers``) and served only to those who may download
    the document (``knowledge.views.document_cover``), never straight from ``MEDIA_ROOT``."""

    document = models.OneToOneField(
        "wagtaildocs.Document",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="cover",
    )
    file_name = models.CharField(max_length=255, help_text="The stored file it was drawn from.")
    image = models.FileField(upload_to="document_covers/")
    width = models.PositiveIntegerField(help_text="Pixels.")
    height = models.PositiveIntegerField(help_text="Pixels.")

    class Meta:
        verbose_name = _("document cover")

    def __str__(self):
        return self.image.name

    @classmethod
    def of(cls, document):
        """The cover drawn from ``document``'s present file, or ``None`` (not drawn yet, the file
        replaced since, not a readable PDF)."""
        return cls.objects.filter(document=document, file_name=document.file.name).first()


def check_document_file(document):
    """The ``DocumentCheck`` of ``document``'s current file, reading the file only when it has not
    been checked yet (a new upload, a replaced file)."""
    check = DocumentCheck.objects.filter(document=document).first()
    if check and check.file_name == document.file.name:
        return check
    problem, detail, page_count = READABLE, "", None
    if document.file_extension.lower() == "pdf":
        with document.open_file() as handle:
            problem, detail, page_count = read_pdf(handle)
    if problem:
        logger.warning(
            "Unreadable PDF %s (%s): %s, %s", document.pk, document.filename, problem, detail
        )
    check, _created = DocumentCheck.objects.update_or_create(
        document=document,
        defaults={
            "file_name": document.file.name,
            "problem": problem,
            "detail": detail,
            "page_count": page_count,
        },
    )
    return check


def saved_with_file(instance, raw=False, update_fields=None):
    """Whether a document's ``post_save`` may bring a new or replaced file to read: not a fixture
    (``raw``), not a document without a file, not a save of other fields only (Wagtail's own
    ``file_size`` and ``file_hash``). The rule of every receiver that reads a saved file."""
    if raw or not instance.file:
        return False
    return update_fields is None or "file" in update_fields


def _check_saved_document(sender, instance, raw=False, update_fields=None, **kwargs):
    if saved_with_file(instance, raw, update_fields):
        check_document_file(instance)


post_save.connect(
    _check_saved_document,
    sender=get_document_model_string(),
    dispatch_uid="knowledge.check_saved_document",
)
