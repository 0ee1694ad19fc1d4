"""What the admin accepts as an upload: documents checked by content and size, images with alt text.

Wagtail builds every document form (single upload, multiple upload, chooser upload, edit) from the
class named in ``WAGTAILDOCS_DOCUMENT_FORM_BASE``, and every image form from
``WAGTAILIMAGES_IMAGE_FORM_BASE``; both settings point here, so each upload path enforces the same
rules and a refused file is never saved (the form is invalid before Wagtail writes anything).

Rules and where they come from:

- accepted document types: ``WAGTAILDOCS_EXTENSIONS`` (PDF, DOCX, XLSX, PPTX, ODT);
- the content decides the type: the ``filetype`` library (already a dependency of Wagtail's image
  library, Willow) reads the file's first 8 KB; the detected type must be accepted **and** agree
  with the file name's extension, so a PNG or a ZIP renamed ``.pdf``, or an XLSX renamed ``.docx``,
  is refused;
- size: at most ``WAGTAILDOCS_MAX_UPLOAD_SIZE`` bytes (Wagtail's setting, read from the environment
  variable of the same name, 50 MB by default), checked here too for documents the importer adds;
- images: ``description``, which Wagtail uses as the image's alt text, is required.

Limits of content detection: OOXML files (DOCX, XLSX, PPTX) are ZIP packages told apart by the
folder of their first few entries (``word/``, ``xl/``, ``ppt/``) within the first 8 KB, as Word,
Excel, PowerPoint and LibreOffice write them; a package whose early entries are unusually large is
seen as a plain ZIP and refused. The check proves the file is of the type it claims, not that it
is free of macros or malware.
"""

import os

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy, get_text_list
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from knowledge.models import DocumentCheck

MB = 1024 * 1024

#: How many bytes of a file the type detection reads (``filetype`` looks at no more).
SIGNATURE_BYTES = 8192

#: What a reader calls a file of a detected type, by ``filetype`` extension; others are named by
#: their extension ("a file of type EXE").
TYPE_DESCRIPTIONS = {
    "pdf": _("a PDF"),
    "docx": _("a DOCX document"),
    "xlsx": _("an XLSX spreadsheet"),
    "pptx": _("a PPTX presentation"),
    "odt": _("an ODT document"),
    "ods": _("an ODS spreadsheet"),
    "odp": _("an ODP presentation"),
    "doc": _("an old-format Word document (DOC)"),
    "xls": _("an old-format Excel spreadsheet (XLS)"),
    "ppt": _("an old-format PowerPoint presentation (PPT)"),
    "rtf": _("an RTF document"),
    "epub": _("an EPUB book"),
    "zip": _("a ZIP archive"),
    "rar": _("a RAR archive"),
    "7z": _("a 7z archive"),
    "gz": _("a gzip archive"),
    "png": _("a PNG image"),
    "jpg": _("a JPEG image"),
    "gif": _("a GIF image"),
    "webp": _("a WebP image"),
    "tif": _("a TIFF image"),
    "bmp": _("a BMP image"),
    "heic": _("a HEIC image"),
    "avif": _("an AVIF image"),
    "mp3": _("an MP3 audio file"),
    "mp4": _("an MP4 video"),
}


def accepted_extensions():
    """The accepted document extensions, lower case without the dot (``WAGTAILDOCS_EXTENSIONS``)."""
    return [extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS]


def accepted_types_text():
    """The accepted types for a message: "PDF, DOCX, XLSX, PPTX or ODT" (translated "or")."""
    return get_text_list([extension.upper() for extension in accepted_extensions()], _("or"))


def max_document_size():
    """The largest accepted document in bytes (``WAGTAILDOCS_MAX_UPLOAD_SIZE``)."""
    return settings.WAGTAILDOCS_MAX_UPLOAD_SIZE


def format_size(size):
    """A size in bytes for a reader: whole megabytes as "50 MB", anything else as Django prints it."""
    if size >= MB and size % MB == 0:
        return _("%(count)s MB") % {"count": size // MB}
    return filesizeformat(size)


def describe_type(extension):
    """How a message names a file type given by its extension: "a PNG image", "a file of type EXE"."""
    if extension in TYPE_DESCRIPTIONS:
        return TYPE_DESCRIPTIONS[extension]
    return _("a file of type %(type)s") % {"type": extension.upper()}


def detect_type(uploaded_file):
    """The extension of the type the file's content shows (``"pdf"``, ``"png"``…), or ``None``.

    Reads the first ``SIGNATURE_BYTES`` of ``uploaded_file`` (any Django ``File``) and leaves it
    at its start, so it can still be saved.
    """
    uploaded_file.seek(0)
    head = uploaded_file.read(SIGNATURE_BYTES)
    uploaded_file.seek(0)
    kind = filetype.guess(head)
    return kind.extension if kind else None


def check_document(uploaded_file):
    """Refuse a document the portal does not accept; return ``None`` when it is acceptable.

    ``uploaded_file`` is a Django ``File`` with a ``name`` and a ``size``. The checks, in order: the
    name's extension is one of ``WAGTAILDOCS_EXTENSIONS``; the file is at most
    ``WAGTAILDOCS_MAX_UPLOAD_SIZE`` bytes; its content is recognised as the type its extension names.

    Raises ``ValidationError`` whose message tells the editor why and what to upload instead, with
    one of the codes ``invalid_extension``, ``file_too_large``, ``unrecognised_content`` or
    ``wrong_type``.
    """
    extension = os.path.splitext(uploaded_file.name)[1].lower().lstrip(".")
    if extension not in accepted_extensions():
        raise ValidationError(
            _("Files ending in “.%(extension)s” are not accepted. Upload %(accepted)s files.")
            if extension
            else _("This file name has no extension. Upload %(accepted)s files."),
            code="invalid_extension",
            params={"extension": extension, "accepted": accepted_types_text()},
        )

    if uploaded_file.size > max_document_size():
        raise ValidationError(
            too_large_message(),
            code="file_too_large",
            params={"file_size": filesizeformat(uploaded_file.size)},
        )

    detected = detect_type(uploaded_file)
    if detected is None:
        raise ValidationError(
            _(
                "This file’s content is not %(expected)s: it was not recognised as any accepted "
                "type. Upload %(accepted)s files."
            ),
            code="unrecognised_content",
            params={"expected": describe_type(extension), "accepted": accepted_types_text()},
        )
    if detected != extension:
        raise ValidationError(
            _("This file is %(actual)s, not %(expected)s. Upload %(accepted)s files."),
            code="wrong_type",
            params={
                "actual": describe_type(detected),
                "expected": describe_type(extension),
                "accepted": accepted_types_text(),
            },
        )


def too_large_message():
    """The message for a file over the limit, with the limit filled in and ``%(file_size)s`` left open.

    Wagtail's document field checks the size itself when it knows the limit (and its multiple
    uploader checks it in the browser before sending); both use this wording.
    """
    return _("This file is %(file_size)s; the limit is %(limit)s.") % {
        "file_size": "%(file_size)s",
        "limit": format_size(max_document_size()),
    }


class PortalDocumentForm(BaseDocumentForm):
    """Wagtail's document form with the portal's rules on the uploaded file (see ``check_document``).

    Used by Wagtail for the add and edit views, the multiple uploader and the chooser's upload tab
    through ``WAGTAILDOCS_DOCUMENT_FORM_BASE``. An edit that keeps the stored file is not checked
    again.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is None:  # the multiple uploader's metadata form has no file field
            return
        limit = max_document_size()
        # Wagtail's document field enforces WAGTAILDOCS_MAX_UPLOAD_SIZE on the server, and its
        # multiple uploader in the browser before sending; give both the portal's wording.
        field.error_messages["file_too_large"] = too_large_message()
        field.error_messages["file_too_large_unknown_size"] = _(
            "This file is larger than the limit of %(limit)s."
        ) % {"limit": format_size(limit)}
        field.help_text = _("%(accepted)s files, up to %(limit)s.") % {
            "accepted": accepted_types_text(),
            "limit": format_size(limit),
        }
        field.widget.attrs.setdefault(
            "accept", ",".join(f".{extension}" for extension in accepted_extensions())
        )
        if problem := self._file_problem():
            field.help_text = format_lazy("{} {}", problem, field.help_text)

    def _file_problem(self):
        """What an editor is told when the stored file could not be read (``DocumentCheck``)."""
        check = DocumentCheck.objects.filter(document_id=self.instance.pk).first()
        if check is None or check.readable:
            return None
        return _(
            "This file could not be read (%(problem)s), so readers are not offered it: pages "
            "list it as unreadable. Upload a readable copy."
        ) % {"problem": check.get_problem_display()}

    def clean_file(self):
        uploaded_file = self.cleaned_data.get("file")
        if isinstance(uploaded_file, UploadedFile):
            check_document(uploaded_file)
        return uploaded_file

    def _post_clean(self):
        # A refused file leaves the document without one, and Wagtail's model check would then add
        # "File extension “” is not allowed" under the reason already given: skip the model's
        # validation (all of it; the form is invalid anyway) when the file was refused.
        if self.has_error("file"):
            return
        super()._post_clean()


class PortalImageForm(BaseImageForm):
    """Wagtail's image form with alt text required.

    Wagtail uses an image's ``description`` as its alt text; this form (through
    ``WAGTAILIMAGES_IMAGE_FORM_BASE``) makes it required in the add and edit views, the chooser's
    upload tab and both steps of the multiple uploader. There, an image sent without alt text is
    kept as a pending upload (Wagtail's ``UploadedFile``) and becomes an image only once its form is
    completed with alt text, so no image is created without it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("description")
        if field is not None:
            field.required = True
            field.label = _("Alt text")
            field.help_text = _(
                "Describe the image for readers who cannot see it; screen readers read this out."
            )
            field.error_messages["required"] = _(
                "Add alt text: describe what the image shows for readers who cannot see it."
            )
