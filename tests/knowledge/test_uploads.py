"""Uploads through Wagtail's admin: documents are checked by content and size, images need alt text.

Every test goes through a real admin view (single upload, multiple upload, chooser upload) and
reads what the editor is shown; a refused upload leaves no Document or Image row and no file.
"""

import io
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

from knowledge.uploads import PortalDocumentForm, PortalImageForm, check_document
from tests.helpers import encrypted_pdf_bytes, soup

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()

ACCEPTED = "Upload PDF, DOCX, XLSX, PPTX or ODT files."

# --- small real files -------------------------------------------------------------------------


def pdf_bytes():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Lessons learned in Mopti")
    return bytes(pdf.output())


OOXML_PARTS = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Lessons</w:t></w:r></w:p></w:body></w:document>",
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheets/></workbook>",
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    ),
}


def ooxml_bytes(kind):
    """A minimal Office Open XML package (DOCX, XLSX or PPTX) in the order Office writes it."""
    part, content_type, body = OOXML_PARTS[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="' + part + '" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        package.writestr(part, body)
    return buffer.getvalue()


def odt_bytes():
    """A minimal OpenDocument text: ``mimetype`` first and stored, as the standard requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
        package.writestr(
            "content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED
        )
    return buffer.getvalue()


def plain_zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", "Meeting notes")
    return buffer.getvalue()


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (12, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


BUILDERS = {
    "pdf": pdf_bytes,
    "docx": lambda: ooxml_bytes("docx"),
    "xlsx": lambda: ooxml_bytes("xlsx"),
    "pptx": lambda: ooxml_bytes("pptx"),
    "odt": odt_bytes,
}


def upload(name, data):
    return SimpleUploadedFile(name, data)


# --- what the editor sees and what is stored --------------------------------------------------


def visible_text(html):
    """The text a browser shows, spaces normalised (Django sizes use non-breaking spaces)."""
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").replace("\xa0", " ").split())


def page_text(response):
    return " ".join(soup(response).get_text(" ").replace("\xa0", " ").split())


def stored_files():
    """Every file under MEDIA_ROOT's documents, images and pending-upload folders."""
    root = Path(settings.MEDIA_ROOT)
    return {
        path
        for folder in ("documents", "original_images", "uploaded_files")
        for path in (root / folder).rglob("*")
        if path.is_file()
    }


@pytest.fixture
def nothing_saved():
    """Asserts, after the test, that no document, image, pending upload or file was added."""
    counts = (Document.objects.count(), Image.objects.count(), UploadedFile.objects.count())
    files = stored_files()
    yield
    assert (
        Document.objects.count(),
        Image.objects.count(),
        UploadedFile.objects.count(),
    ) == counts
    assert stored_files() == files


def root_collection():
    return Collection.get_first_root_node()


def post_document(client, name, data, title="Field report"):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": upload(name, data), "collection": root_collection().pk},
    )


def post_document_multiple(client, name, data):
    return client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": upload(name, data), "collection": root_collection().pk},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def post_document_chooser(client, name, data, collection=None):
    prefix = "document-chooser-upload"
    return client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            f"{prefix}-title": "Field report",
            f"{prefix}-file": upload(name, data),
            f"{prefix}-collection": (collection or root_collection()).pk,
        },
    )


# --- wiring ---------------------------------------------------------------------------------


def test_wagtail_builds_document_and_image_forms_on_the_portal_bases():
    from wagtail.documents.forms import get_document_form, get_document_multi_form
    from wagtail.images.forms import get_image_form, get_image_multi_form

    assert issubclass(get_document_form(Document), PortalDocumentForm)
    assert issubclass(get_document_multi_form(Document), PortalDocumentForm)
    assert issubclass(get_image_form(Image), PortalImageForm)
    assert issubclass(get_image_multi_form(Image), PortalImageForm)


def test_the_upload_form_tells_the_accepted_types_and_the_limit(admin_client):
    text = page_text(admin_client.get(reverse("wagtaildocs:add")))
    assert "PDF, DOCX, XLSX, PPTX or ODT files, up to 50 MB." in text


# --- documents accepted -----------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["pdf", "docx", "xlsx", "pptx", "odt"])
def test_each_accepted_type_is_saved(admin_client, extension):
    response = post_document(admin_client, f"report.{extension}", BUILDERS[extension]())

    assert response.status_code == 302
    document = Document.objects.get(title="Field report")
    assert document.file_extension == extension
    assert Path(document.file.path).is_file()


@pytest.mark.parametrize("extension", ["pdf", "docx", "xlsx", "pptx", "odt"])
def test_each_accepted_type_is_saved_by_the_multiple_uploader(admin_client, extension):
    response = post_document_multiple(admin_client, f"brief.{extension}", BUILDERS[extension]())

    assert response.json()["success"] is True
    assert Document.objects.get(pk=response.json()["doc_id"]).file_extension == extension


def test_extension_case_does_not_matter(admin_client):
    response = post_document(admin_client, "REPORT.PDF", pdf_bytes())

    assert response.status_code == 302
    assert Document.objects.filter(title="Field report").exists()


# --- documents refused ------------------------------------------------------------------------

REFUSED = [
    pytest.param(
        "report.pdf", png_bytes, "This file is a PNG image, not a PDF. " + ACCEPTED, id="png-as-pdf"
    ),
    pytest.param(
        "report.pdf",
        plain_zip_bytes,
        "This file is a ZIP archive, not a PDF. " + ACCEPTED,
        id="zip-as-pdf",
    ),
    pytest.param(
        "report.docx",
        plain_zip_bytes,
        "This file is a ZIP archive, not a DOCX document. " + ACCEPTED,
        id="zip-as-docx",
    ),
    pytest.param(
        "report.docx",
        lambda: ooxml_bytes("xlsx"),
        "This file is an XLSX spreadsheet, not a DOCX document. " + ACCEPTED,
        id="xlsx-as-docx",
    ),
    pytest.param(
        "report.odt",
        lambda: ooxml_bytes("docx"),
        "This file is a DOCX document, not an ODT document. " + ACCEPTED,
        id="docx-as-odt",
    ),
    pytest.param(
        "report.pdf",
        lambda: b"Just some plain text, saved with the wrong name.\n",
        "This file’s content is not a PDF: it was not recognised as any accepted type. " + ACCEPTED,
        id="text-as-pdf",
    ),
    pytest.param(
        "notes.txt",
        lambda: b"Meeting notes\n",
        "Files ending in “.txt” are not accepted. " + ACCEPTED,
        id="unlisted-extension",
    ),
    pytest.param(
        "photo.png",
        png_bytes,
        "Files ending in “.png” are not accepted. " + ACCEPTED,
        id="image-as-document",
    ),
    pytest.param(
        "report",
        pdf_bytes,
        "This file name has no extension. " + ACCEPTED,
        id="no-extension",
    ),
]


@pytest.mark.parametrize(("name", "build", "message"), REFUSED)
def test_the_add_view_refuses_with_the_reason(admin_client, nothing_saved, name, build, message):
    response = post_document(admin_client, name, build())

    assert response.status_code == 200
    assert message in page_text(response)
    assert "is not allowed" not in page_text(response), "only the portal's reason is shown"


@pytest.mark.parametrize(("name", "build", "message"), REFUSED)
def test_the_multiple_uploader_refuses_with_the_reason(
    admin_client, nothing_saved, name, build, message
):
    response = post_document_multiple(admin_client, name, build())

    data = response.json()
    assert data["success"] is False
    assert message in data["error_message"]
    assert "is not allowed" not in data["error_message"]


@pytest.mark.parametrize(("name", "build", "message"), REFUSED)
def test_the_chooser_upload_refuses_with_the_reason(
    admin_client, nothing_saved, name, build, message
):
    response = post_document_chooser(admin_client, name, build())

    data = response.json()
    assert data["step"] == "reshow_creation_form"
    assert message in visible_text(data["htmlFragment"])


def test_replacing_a_documents_file_is_checked_too(admin_client):
    post_document(admin_client, "report.pdf", pdf_bytes())
    document = Document.objects.get(title="Field report")
    original = document.file.name

    response = admin_client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {
            "title": "Field report",
            "file": upload("report.pdf", png_bytes()),
            "collection": root_collection().pk,
        },
    )

    assert "This file is a PNG image, not a PDF." in page_text(response)
    document.refresh_from_db()
    assert document.file.name == original
    assert Path(document.file.path).read_bytes().startswith(b"%PDF")


def test_editing_a_document_without_a_new_file_keeps_it(admin_client):
    post_document(admin_client, "report.pdf", pdf_bytes())
    document = Document.objects.get(title="Field report")

    response = admin_client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {"title": "Final report", "collection": root_collection().pk},
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Final report"


# --- size ---------------------------------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000


def large_pdf():
    data = pdf_bytes()
    return data + b"%" + b"x" * (3000 - len(data)) + b"\n"


def test_a_file_over_the_limit_is_refused_by_the_add_view(admin_client, small_limit, nothing_saved):
    response = post_document(admin_client, "report.pdf", large_pdf())

    assert "This file is 2.9 KB; the limit is 1000 bytes." in page_text(response)


def test_a_file_over_the_limit_is_refused_by_the_multiple_uploader(
    admin_client, small_limit, nothing_saved
):
    response = post_document_multiple(admin_client, "report.pdf", large_pdf())

    data = response.json()
    assert data["success"] is False
    assert "This file is 2.9 KB; the limit is 1000 bytes." in data["error_message"].replace(
        "\xa0", " "
    )


def test_the_multiple_uploader_page_checks_the_size_in_the_browser_too(admin_client):
    response = admin_client.get(reverse("wagtaildocs:add_multiple"))

    assert response.context["max_filesize"] == 50 * 1024 * 1024
    assert response.context["error_max_file_size"] == "This file is larger than the limit of 50 MB."


def test_a_file_over_the_limit_is_refused_by_the_chooser(admin_client, small_limit, nothing_saved):
    response = post_document_chooser(admin_client, "report.pdf", large_pdf())

    assert "This file is 2.9 KB; the limit is 1000 bytes." in visible_text(
        response.json()["htmlFragment"]
    )


def test_the_default_limit_is_50_mb_in_whole_megabytes():
    """The message a 61.2 MB file gets under the default limit, without sending 61 MB."""

    class Big:
        name = "report.pdf"
        size = int(61.2 * 1024 * 1024)

    with pytest.raises(ValidationError) as refused:
        check_document(Big())

    assert refused.value.messages == ["This file is 61.2\xa0MB; the limit is 50 MB."]


# --- a country team editor ----------------------------------------------------------------------


def test_a_team_editor_uploads_to_the_team_collection_through_the_chooser(mali_editor_client):
    mali = Collection.objects.get(name="Mali")

    response = post_document_chooser(mali_editor_client, "brief.docx", ooxml_bytes("docx"), mali)

    assert response.json()["step"] == "chosen"
    assert Document.objects.get(title="Field report").collection == mali


def test_a_team_editor_is_refused_a_renamed_file(mali_editor_client, nothing_saved):
    mali = Collection.objects.get(name="Mali")

    response = post_document_chooser(mali_editor_client, "brief.docx", plain_zip_bytes(), mali)

    assert "This file is a ZIP archive, not a DOCX document." in visible_text(
        response.json()["htmlFragment"]
    )


# --- images: alt text -------------------------------------------------------------------------

ALT_TEXT_REQUIRED = "Add alt text: describe what the image shows for readers who cannot see it."


def image_data(prefix="", **values):
    data = {"title": "Water point in Gao", "collection": root_collection().pk, **values}
    return {f"{prefix}{key}": value for key, value in data.items()}


def test_the_image_add_view_requires_alt_text(admin_client, nothing_saved):
    response = admin_client.post(
        reverse("wagtailimages:add"), image_data(file=upload("gao.png", png_bytes()))
    )

    assert response.status_code == 200
    assert ALT_TEXT_REQUIRED in page_text(response)


def test_alt_text_of_spaces_only_is_no_alt_text(admin_client, nothing_saved):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        image_data(file=upload("gao.png", png_bytes()), description="   "),
    )

    assert ALT_TEXT_REQUIRED in page_text(response)


def test_the_image_add_view_saves_an_image_with_alt_text(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        image_data(
            file=upload("gao.png", png_bytes()), description="A queue of women at a water pump"
        ),
    )

    assert response.status_code == 302
    image = Image.objects.get(title="Water point in Gao")
    assert image.default_alt_text == "A queue of women at a water pump"


def test_the_image_chooser_upload_requires_alt_text(admin_client, nothing_saved):
    response = admin_client.post(
        reverse("wagtailimages_chooser:create"),
        image_data("image-chooser-upload-", file=upload("gao.png", png_bytes())),
    )

    assert response.json()["step"] != "chosen"
    assert ALT_TEXT_REQUIRED in visible_text(response.json()["htmlFragment"])


def test_the_image_chooser_upload_saves_an_image_with_alt_text(admin_client):
    response = admin_client.post(
        reverse("wagtailimages_chooser:create"),
        image_data(
            "image-chooser-upload-",
            file=upload("gao.png", png_bytes()),
            description="A queue of women at a water pump",
        ),
    )

    assert response.json()["step"] == "chosen"
    assert Image.objects.get(title="Water point in Gao").description


def test_the_multiple_uploader_keeps_an_image_pending_until_it_has_alt_text(admin_client):
    """Wagtail's multiple uploader sends only the file; the image waits for its alt text.

    The first request cannot satisfy the form (no alt text), so Wagtail keeps the file as a pending
    ``UploadedFile`` and answers with the metadata form; no ``Image`` exists until that form is
    sent with alt text.
    """
    images_before = Image.objects.count()

    sent = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload("gao.png", png_bytes()), "collection": root_collection().pk},
        headers={"x-requested-with": "XMLHttpRequest"},
    ).json()

    assert sent["success"] is True
    assert "image_id" not in sent
    pending = sent["uploaded_file_id"]
    assert Image.objects.count() == images_before
    url = reverse("wagtailimages:create_multiple_from_uploaded_image", args=(pending,))
    prefix = f"uploaded-image-{pending}-"

    without = admin_client.post(url, image_data(prefix)).json()

    assert without["success"] is False
    assert ALT_TEXT_REQUIRED in visible_text(without["form"])
    assert Image.objects.count() == images_before
    assert UploadedFile.objects.filter(pk=pending).exists()

    completed = admin_client.post(
        url, image_data(prefix, description="A queue of women at a water pump")
    ).json()

    assert completed["success"] is True
    image = Image.objects.get(pk=completed["image_id"])
    assert image.description == "A queue of women at a water pump"
    assert not UploadedFile.objects.filter(pk=pending).exists()


def test_alt_text_cannot_be_removed_from_an_uploaded_image(admin_client):
    admin_client.post(
        reverse("wagtailimages:add"),
        image_data(file=upload("gao.png", png_bytes()), description="A water pump"),
    )
    image = Image.objects.get(title="Water point in Gao")

    response = admin_client.post(
        reverse("wagtailimages:edit", args=(image.pk,)), image_data(description="")
    )

    assert ALT_TEXT_REQUIRED in page_text(response)
    image.refresh_from_db()
    assert image.description == "A water pump"


# --- unreadable PDFs are accepted and marked ---------------------------------------------------

UNREADABLE = "This file could not be read"


def truncated_pdf_bytes():
    data = pdf_bytes()
    return data[: len(data) // 2]


def edit_view_text(client, document):
    return page_text(client.get(reverse("wagtaildocs:edit", args=(document.pk,))))


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (truncated_pdf_bytes, "damaged"),
        (lambda: encrypted_pdf_bytes("secret"), "encrypted with a password"),
    ],
)
@pytest.mark.parametrize("post", [post_document, post_document_multiple, post_document_chooser])
def test_an_unreadable_pdf_is_saved_and_marked_in_its_edit_view(admin_client, post, build, problem):
    """A damaged or password-protected PDF was stored like any other; the edit view now says so
    (a file that might open elsewhere is kept: the editor decides what to upload instead)."""
    post(admin_client, "report.pdf", build())

    document = Document.objects.get()
    assert f"{UNREADABLE} ({problem}), so readers are not offered it" in edit_view_text(
        admin_client, document
    )


@pytest.mark.parametrize("build", [pdf_bytes, lambda: encrypted_pdf_bytes("")])
def test_a_readable_pdf_is_not_marked(admin_client, build):
    """An encrypted PDF that opens without a password (an empty user password) is readable."""
    post_document(admin_client, "report.pdf", build())

    assert UNREADABLE not in edit_view_text(admin_client, Document.objects.get())


def test_replacing_an_unreadable_file_with_a_readable_one_clears_the_mark(admin_client):
    post_document(admin_client, "report.pdf", truncated_pdf_bytes())
    document = Document.objects.get()

    admin_client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {
            "title": "Field report",
            "file": upload("report.pdf", pdf_bytes()),
            "collection": root_collection().pk,
        },
    )

    assert UNREADABLE not in edit_view_text(admin_client, document)
