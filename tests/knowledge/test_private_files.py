"""A file is public only if a live, public page shows it and its collection is not restricted.

Documents are served by Wagtail's document view (``/documents/<id>/<name>``), which checks the
collection's privacy; the portal adds the page's: a file attached to a draft, a private page or a
page under a private section is not found by readers, while editors who may use the document and
readers who may see the private page still get it. Files of restricted collections are not named,
linked or sized on any channel.
"""

import importlib

import pytest
from django.test import override_settings
from django.urls import Resolver404, resolve
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.factories import (
    KnowledgeAttachmentFactory,
    PolicyNotePageFactory,
    section_page,
)

pytestmark = pytest.mark.django_db


def download(client, document):
    response = client.get(document.url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code


@pytest.fixture
def restricted_collection():
    collection = Collection.get_first_root_node().add_child(name="Internal")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    return collection


def test_a_file_on_a_public_page_downloads(client):
    attachment = KnowledgeAttachmentFactory()
    assert download(client, attachment.document) == 200


def test_a_file_on_a_draft_is_not_found_but_its_editors_get_it(client, team_member):
    attachment = KnowledgeAttachmentFactory(
        page=PolicyNotePageFactory(live=False),
        document__collection=Collection.get_first_root_node(),
    )
    assert download(client, attachment.document) == 404
    client.force_login(team_member("Programme reviewers", "rita"))
    assert download(client, attachment.document) == 200


def test_a_file_on_no_page_is_not_found(client):
    attachment = KnowledgeAttachmentFactory()
    document = attachment.document
    attachment.delete()
    assert download(client, document) == 404


def test_a_file_on_a_private_page_goes_only_to_those_who_may_see_the_page(
    client, django_user_model
):
    page = PolicyNotePageFactory(title="Members only")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    attachment = KnowledgeAttachmentFactory(page=page)
    assert download(client, attachment.document) == 404
    reader = django_user_model.objects.create_user("reader", "reader@example.org", "pw")
    client.force_login(reader)
    assert download(client, attachment.document) == 200


def test_a_file_on_a_page_under_a_private_section_is_not_found(client):
    PageViewRestriction.objects.create(page=section_page("en", "NE"), restriction_type="login")
    attachment = KnowledgeAttachmentFactory(page=PolicyNotePageFactory(section_country="NE"))
    assert download(client, attachment.document) == 404


def test_a_file_shown_by_a_public_page_and_a_draft_downloads(client):
    attachment = KnowledgeAttachmentFactory()
    KnowledgeAttachmentFactory(
        page=PolicyNotePageFactory(live=False, title="Draft"), document=attachment.document
    )
    assert download(client, attachment.document) == 200


def test_a_restricted_file_is_named_on_no_channel(client, restricted_collection):
    page = PolicyNotePageFactory(title="Border note")
    public = KnowledgeAttachmentFactory(page=page, title="Public annex")
    secret = KnowledgeAttachmentFactory(
        page=page,
        title="Internal budget",
        document__collection=restricted_collection,
        document__file__filename="internal-budget.pdf",
    )
    channels = {
        "page": client.get(page.url).content.decode(),
        "api": client.get(f"/api/v1/items/{page.pk}/").content.decode(),
        "rss": client.get("/en/feeds/rss/").content.decode(),
        "atom": client.get("/en/feeds/atom/").content.decode(),
    }
    for channel, content in channels.items():
        assert public.document.url in content, channel
        assert "Internal budget" not in content, channel
        assert "internal-budget" not in content, channel
        assert secret.document.url not in content, channel
    assert download(client, secret.document) != 200


def test_the_development_server_serves_image_renditions_but_never_documents():
    """``make run`` serves media itself: only image renditions, never the files behind
    documents, which must go through the document view's checks."""
    import portal.urls

    with override_settings(DEBUG=True):
        urls = importlib.reload(portal.urls)
    try:
        assert resolve("/media/images/photo.width-400.jpg", urlconf=urls).url_name is None
        for path in ("/media/documents/report.pdf", "/media/original_images/photo.jpg"):
            with pytest.raises(Resolver404):
                resolve(path, urlconf=urls)
    finally:
        importlib.reload(portal.urls)
