"""The index follows the live site through the outbox: every change, even during an outage."""

import pytest
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from knowledge.models import Country, KnowledgeTag
from search.indexing import check_index, index_pages, rebuild_index
from search.models import SearchOutboxEntry, TextIndexEntry
from search.outbox import drain_outbox, retry_delay
from tests.factories import (
    KnowledgeAttachmentFactory,
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    locale,
    section_page,
)
from tests.helpers import pdf_bytes, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(search_engine):
    page = LessonsLearnedReportPageFactory(title="Reintegration in Mopti", tags=["livelihoods"])
    rebuild_index(search_engine)
    SearchOutboxEntry.objects.all().delete()
    return page


def sync():
    drain_outbox(refresh=True)
    assert not SearchOutboxEntry.objects.exists()


def found(client, query="Mopti"):
    return titles(client.get("/en/search/", {"q": query}))


def in_sync(engine):
    return check_index(engine).is_empty()


def test_publishing_indexes_the_page(client, indexed, search_engine):
    note = PolicyNotePageFactory(title="Mopti protection note", live=False)
    note.save_revision().publish()
    assert SearchOutboxEntry.objects.filter(page_id=note.pk).exists()
    sync()
    assert set(found(client)) == {"Mopti protection note", "Reintegration in Mopti"}
    assert in_sync(search_engine)


def _total_and_countries(client, query="Mopti"):
    data = client.get("/en/search/json/", {"q": query}).json()
    return data["total"], {bucket["value"]: bucket["count"] for bucket in data["facets"]["country"]}


def test_an_item_counts_once_as_its_translation_is_published_and_unpublished(
    client, indexed, search_engine
):
    """The original was indexed alone; its translation matches the same query."""
    french = indexed.copy_for_translation(locale("fr"))
    french.title = "Réintégration à Mopti"
    french.save_revision().publish()
    sync()
    assert _total_and_countries(client) == (1, {"ML": 1})
    assert in_sync(search_engine)
    french.unpublish()
    sync()
    assert _total_and_countries(client) == (1, {"ML": 1})
    assert in_sync(search_engine)  # the original's document says it is alone again
    french.save_revision().publish()
    sync()
    PageViewRestriction.objects.create(page=french, restriction_type="login")
    sync()
    assert _total_and_countries(client) == (1, {"ML": 1})
    assert in_sync(search_engine)


def test_unpublishing_and_deleting_remove_the_page(client, indexed, search_engine):
    other = PolicyNotePageFactory(title="Mopti protection note")
    other.save_revision().publish()
    sync()
    indexed.unpublish()
    other.delete()
    sync()
    assert found(client) == []
    assert in_sync(search_engine)


def test_a_view_restriction_on_a_section_hides_its_pages_until_lifted(
    client, indexed, search_engine
):
    restriction = PageViewRestriction.objects.create(
        page=section_page("en", "ML"), restriction_type="login"
    )
    sync()
    assert found(client) == []
    restriction.delete()
    sync()
    assert found(client) == ["Reintegration in Mopti"]
    assert in_sync(search_engine)


def test_moving_a_page_updates_its_document(client, indexed, search_engine):
    indexed.move(section_page("en", "NE"), pos="last-child")
    sync()
    assert in_sync(search_engine)
    (result,) = client.get("/en/search/", {"q": "Mopti"}).context["results_page"]
    assert result.url.startswith("/en/niger/")


def test_renaming_a_country_or_keyword_updates_documents(client, indexed, search_engine):
    mali = Country.objects.get(code="ML", locale__language_code="en")
    mali.name = "Republic of Mali"
    mali.save()
    tag = KnowledgeTag.objects.get(slug="livelihoods")
    tag.name = "Livelihood recovery"
    tag.save()
    assert not in_sync(search_engine)
    sync()
    assert in_sync(search_engine)
    assert found(client, "Republic") == ["Reintegration in Mopti"]
    assert found(client, "recovery") == ["Reintegration in Mopti"]


def test_changes_made_while_the_engine_is_down_wait_and_are_not_lost(
    client, indexed, search_engine, settings
):
    engine_url = settings.SEARCH_URL
    settings.SEARCH_URL, settings.SEARCH_TIMEOUT = "http://127.0.0.1:9", 1
    note = PolicyNotePageFactory(title="Mopti note written during the outage", live=False)
    note.save_revision().publish()
    assert drain_outbox() == (0, 1)
    entry = SearchOutboxEntry.objects.get()
    assert entry.attempts == 1 and entry.next_attempt_at > timezone.now()
    assert "127.0.0.1:9" in entry.last_error
    assert drain_outbox() == (0, 0)  # not due yet: back-off
    settings.SEARCH_URL = engine_url
    SearchOutboxEntry.objects.update(next_attempt_at=timezone.now())  # the back-off has elapsed
    sync()
    assert "Mopti note written during the outage" in found(client)
    assert in_sync(search_engine)


def test_retry_delays_grow_and_are_capped():
    assert [retry_delay(n) for n in (1, 2, 3, 10)] == [5, 10, 20, 600]


def test_nothing_is_queued_without_an_engine(settings):
    settings.SEARCH_URL = ""
    PolicyNotePageFactory().save_revision().publish()
    assert not SearchOutboxEntry.objects.exists()


def test_deleting_a_section_removes_its_pages(client, indexed, search_engine):
    section_page("en", "ML").delete()
    sync()
    assert found(client) == []
    assert in_sync(search_engine)


def test_renaming_a_theme_and_deleting_a_keyword_update_documents(client, indexed, search_engine):
    theme = indexed.themes.first()
    theme.name = "Safety and dignity"
    theme.save()
    KnowledgeTag.objects.get(slug="livelihoods").delete()
    sync()
    assert in_sync(search_engine)
    assert found(client, "dignity") == ["Reintegration in Mopti"]
    assert found(client, "livelihoods") == []


def test_renaming_a_section_updates_the_urls_of_its_pages(
    client, indexed, search_engine, django_capture_on_commit_callbacks
):
    section = section_page("en", "ML")
    section.slug = "mali-team"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals slug changes on commit
        section.save_revision().publish()
    sync()
    assert in_sync(search_engine)
    data = client.get("/en/search/json/", {"q": "Mopti"}).json()
    assert data["results"][0]["url"].startswith("http://testserver/en/mali-team/")


def test_restricting_a_collection_takes_its_documents_text_out_of_the_index(
    client, indexed, search_engine
):
    """A document's text leaves search as soon as its collection (or a parent collection) is
    restricted, and comes back when the restriction is lifted."""
    parent = Collection.get_first_root_node().add_child(name="Partners")
    collection = parent.add_child(name="Budgets")
    KnowledgeAttachmentFactory(
        page=indexed, document__collection=collection, document__file__data=pdf_bytes("Quokkaland")
    )
    indexed.save_revision().publish()
    sync()
    assert found(client, "quokkaland") == ["Reintegration in Mopti"]
    restriction = CollectionViewRestriction.objects.create(
        collection=parent, restriction_type="login"
    )
    sync()
    assert found(client, "quokkaland") == []
    restriction.delete()
    sync()
    assert found(client, "quokkaland") == ["Reintegration in Mopti"]


def test_check_finds_a_document_restricted_behind_the_outboxs_back(client, indexed, search_engine):
    """A restriction made while updates were not recorded (no engine configured at the time, say)
    shows as a stale document, and repair takes the text out."""
    collection = Collection.get_first_root_node().add_child(name="Budgets")
    KnowledgeAttachmentFactory(
        page=indexed, document__collection=collection, document__file__data=pdf_bytes("Quokkaland")
    )
    indexed.save_revision().publish()
    sync()
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    SearchOutboxEntry.objects.all().delete()
    assert check_index(search_engine).stale == [indexed.pk]
    check_index(search_engine, repair=True)
    assert found(client, "quokkaland") == []


def test_an_update_of_one_version_brings_the_others_flag_up_to_date(client, indexed, search_engine):
    """Two versions published at once each miss the other when their changes are recorded; the
    update of either, read after both committed, writes both documents."""
    french = indexed.copy_for_translation(locale("fr"))
    french.title = "Réintégration à Mopti"
    french.save_revision()
    Page.objects.filter(pk=french.pk).update(live=True)  # published, its change not recorded
    index_pages([french.pk], engine=search_engine, refresh=True)
    assert _total_and_countries(client) == (1, {"ML": 1})
    assert in_sync(search_engine)


def test_a_private_page_is_deleted_without_indexing_it_on_its_way_out(admin_client):
    """Deleting a live private page deleted its view restriction first, which indexed the page
    again: the new row named a page about to go, and the deletion failed (500)."""
    page = PolicyNotePageFactory(title="Members only")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    response = admin_client.post(f"/admin/pages/{page.pk}/delete/")
    assert response.status_code == 302
    assert not TextIndexEntry.objects.filter(page_id=page.pk).exists()
