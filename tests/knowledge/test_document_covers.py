"""The cover of an item's PDF beside its download button: drawn in the background from the first
page, served only to those who may download the document."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image
from wagtail.models import Collection, CollectionViewRestriction

from knowledge.covers import COVER_WIDTH
from knowledge.models.documents import DocumentCover
from tests.factories import REPORT_PDF, KnowledgeAttachmentFactory, PolicyNotePageFactory
from tests.helpers import pdf_bytes, soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def attach(django_capture_on_commit_callbacks):
    """Attach a new document to a page as an upload does, running what it queues for after
    the commit (the cover task; the test settings run tasks at once)."""

    def attach(page, **document):
        with django_capture_on_commit_callbacks(execute=True):
            return KnowledgeAttachmentFactory(page=page, **document).document

    return attach


def cover_of(client, page):
    return soup(client.get(page.url)).select_one(".document-block__download img")


def test_a_pdf_is_shown_with_its_first_page_as_cover(client, attach):
    note = PolicyNotePageFactory(title="Border health")
    document = attach(note)
    cover = cover_of(client, note)
    response = client.get(cover["src"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "private, max-age=3600"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == "WEBP"
    assert (image.width, image.height) == (COVER_WIDTH, 340)  # A4, 210 × 297 mm: 339.4 up
    assert (cover["width"], cover["height"]) == (str(image.width), str(image.height))
    assert cover["alt"] == ""  # the link's own text says what it downloads
    assert cover["src"] == f"/documents/{document.pk}/cover/"


def test_the_cover_shows_the_page_not_a_blank(client, attach):
    note = PolicyNotePageFactory(title="Border health")
    attach(note, document__file__data=pdf_bytes("DARK " * 2000))
    response = client.get(cover_of(client, note)["src"])
    image = Image.open(io.BytesIO(b"".join(response.streaming_content))).convert("L")
    darkest, lightest = image.getextrema()
    assert lightest > 240 and darkest < 100  # white paper with text on it


def test_no_cover_for_an_unreadable_pdf_and_the_page_still_works(client, attach):
    note = PolicyNotePageFactory(title="Border health")
    attach(note, document__file__data=REPORT_PDF[:2000], title="Broken")
    attach(note, title="Annex")
    response = client.get(note.url)
    assert response.status_code == 200
    assert DocumentCover.objects.count() == 1  # the readable one only


def test_a_replaced_file_gets_a_new_cover_and_the_old_one_is_gone(
    client, attach, django_capture_on_commit_callbacks
):
    note = PolicyNotePageFactory(title="Border health")
    document = attach(note)
    old = DocumentCover.objects.get(document=document).image.name
    document.file.save("new.pdf", ContentFile(pdf_bytes("Second edition")), save=False)
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    cover = DocumentCover.objects.get(document=document)
    assert cover.file_name == document.file.name
    assert not cover.image.storage.exists(old)
    assert client.get(cover_of(client, note)["src"]).status_code == 200


def test_the_cover_of_a_file_readers_may_not_download_is_not_found(client, attach):
    draft = PolicyNotePageFactory(title="Draft", live=False)
    hidden = attach(draft)
    closed = Collection.get_first_root_node().add_child(name="Internal")
    CollectionViewRestriction.objects.create(collection=closed, restriction_type="login")
    note = PolicyNotePageFactory(title="Public note")
    restricted = attach(note, document__collection=closed)
    assert DocumentCover.objects.count() == 2
    for document in (hidden, restricted):
        response = client.get(f"/documents/{document.pk}/cover/", follow=True)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
    assert cover_of(client, note) is None  # a restricted file is not shown on the page at all


def test_the_command_queues_covers_of_pdfs_uploaded_before_covers_existed(attach):
    note = PolicyNotePageFactory(title="Border health")
    attach(note)
    DocumentCover.objects.all().delete()
    out = io.StringIO()
    call_command("document_covers", stdout=out)
    assert out.getvalue() == "1 cover(s) queued.\n"
    assert DocumentCover.objects.count() == 1
