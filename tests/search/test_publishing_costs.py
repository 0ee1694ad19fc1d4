"""What publishing a knowledge page costs: the same SQL queries however many pages the site holds,
no statement that reads the whole of Wagtail's search index (it made publishing slow down linearly
with the site), each index written once per publish; and the admin's search boxes still find a
page by its title as soon as it is published.
"""

import re

import pytest
from django.db import connection
from django.db.models import Avg
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext
from wagtail.search.models import IndexEntry

from knowledge.models import KnowledgePage, PolicyNotePage
from search.models import TextIndexEntry
from tests.factories import PolicyNotePageFactory, section_page
from vocabulary.names import vocabulary_names

pytestmark = pytest.mark.django_db

WAGTAIL_INDEX = IndexEntry._meta.db_table
TEXT_INDEX = TextIndexEntry._meta.db_table


def _statements(function):
    """The SQL statements ``function()`` runs, without quotes around names."""
    with CaptureQueriesContext(connection) as captured:
        function()
    return [query["sql"].replace('"', "") for query in captured.captured_queries]


def _publish_new(title):
    """A new page created as a draft and published, as an editor's first *Publish* does."""
    page = PolicyNotePage(
        title=title,
        summary="Safe shelters along the route.",
        publication_date="2024-02-01",
        organisation="COMPASS Niger",
        key_messages=[{"type": "message", "value": "Fund shelters."}],
        live=False,
    )
    section_page().add_child(instance=page)
    page.save_revision().publish()
    return page


def _publish_edit(page, title=None):
    page = KnowledgePage.objects.get(pk=page.pk).specific
    page.summary = f"{page.summary} Again."
    page.title = title or page.title
    page.save_revision().publish()
    return page


def _site_of(size, name="Shelter note"):
    return [PolicyNotePageFactory(title=f"{name} {n}") for n in range(size)]


def test_a_publish_never_reads_the_whole_search_index():
    """Every statement on Wagtail's index names the entries it reads or writes, or is limited:
    django-modelsearch averaged the length of every title after each save (``AVG(LENGTH(``)
    and then rewrote the norms of the rows it found by reading them all."""
    page = _site_of(3)[0]
    statements = _statements(lambda: _publish_edit(page)) + _statements(
        lambda: _publish_new("Shelters in Agadez")
    )
    on_index = [sql for sql in statements if WAGTAIL_INDEX in sql]
    assert on_index
    assert not [sql for sql in statements if "AVG(LENGTH(" in sql]
    assert [sql for sql in on_index if "object_id" not in sql and "LIMIT" not in sql] == []


def test_a_publish_costs_the_same_queries_however_many_pages_the_site_holds():
    vocabulary_names()  # read once per process (a page's GCM objectives use it), then cached
    small = _site_of(2)
    edit_small = len(_statements(lambda: _publish_edit(small[0])))
    new_small = len(_statements(lambda: _publish_new("Shelters in Agadez")))
    _site_of(30, name="Border note")
    assert len(_statements(lambda: _publish_edit(small[1]))) == edit_small
    assert len(_statements(lambda: _publish_new("Shelters in Arlit"))) == new_small


def test_each_search_index_is_written_once_per_publish():
    """Wagtail's title index and the database's full-text index take a published page once (they
    took it two and three times: on each of the publish's saves, then on ``page_published``)."""
    page = _site_of(1)[0]
    statements = _statements(lambda: _publish_edit(page, title="Shelters in Agadez"))
    writes = re.compile(rf"(INSERT INTO|UPDATE) ({WAGTAIL_INDEX}|{TEXT_INDEX}) (\(|SET title =)")
    written = [match.group(2) for sql in statements if (match := writes.search(sql))]
    wagtail_writes = [table for table in written if table == WAGTAIL_INDEX]
    text_writes = [table for table in written if table == TEXT_INDEX]
    assert len(wagtail_writes) == 1
    assert len(text_writes) == 1


def test_the_admin_finds_a_newly_published_page_by_its_title(admin_client):
    _site_of(2)
    page = _publish_new("Safe shelters in Agadez")
    response = admin_client.get("/admin/pages/search/", {"q": "Agadez"})
    assert "Safe shelters in Agadez" in response.content.decode()
    chooser = admin_client.get("/admin/choose-page/search/", {"q": "Agadez"})
    assert "Safe shelters in Agadez" in chooser.content.decode()

    _publish_edit(page, title="Safe shelters in Arlit")
    response = admin_client.get("/admin/pages/search/", {"q": "Arlit"})
    assert "Safe shelters in Arlit" in response.content.decode()
    response = admin_client.get("/admin/pages/search/", {"q": "Agadez"})
    assert "Safe shelters in" not in response.content.decode()


def test_the_admin_finds_a_draft_by_its_title(admin_client):
    """Editors look for their drafts, which readers' index never holds."""
    draft = PolicyNotePage(
        title="Draft on shelters in Dirkou",
        summary="Not ready.",
        publication_date="2024-02-01",
        live=False,
    )
    section_page().add_child(instance=draft)
    response = admin_client.get("/admin/pages/search/", {"q": "Dirkou"})
    assert "Draft on shelters in Dirkou" in response.content.decode()


def test_a_deleted_page_leaves_wagtail_s_index(admin_client):
    page = _publish_new("Safe shelters in Agadez")
    assert IndexEntry.objects.filter(object_id=str(page.pk)).exists()
    page.delete()
    assert not IndexEntry.objects.filter(object_id=str(page.pk)).exists()
    response = admin_client.get("/admin/pages/search/", {"q": "Agadez"})
    assert "Safe shelters in Agadez" not in response.content.decode()


def test_a_new_entry_s_title_norm_is_the_average_title_length_over_its_own():
    """(A length in characters on SQLite, in words on PostgreSQL, where titles are vectors.)"""
    _site_of(3)
    page = _publish_new("Safe shelters in Agadez")
    entries = IndexEntry.objects.annotate(length=Length("title")).filter(length__gt=0)
    average = entries.aggregate(average=Avg("length"))["average"]
    entry = entries.get(object_id=str(page.pk), content_type__model="policynotepage")
    assert entry.title_norm == pytest.approx(average / entry.length)
