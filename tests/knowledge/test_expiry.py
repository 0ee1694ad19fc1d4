"""A page past its expiry date is gone for readers at once, not when the scheduler next runs.

``publish_scheduled`` unpublishes expired pages once a minute (or whenever cron runs it); until
then the page is still live in the database. Serving and every channel check the date themselves.
"""

import datetime
import time

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page

from tests.factories import PolicyNotePageFactory
from tests.helpers import titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired():
    note = PolicyNotePageFactory(title="Expired border note", summary="Cross-border herding.")
    french = note.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.title = "Note frontalière encore valable"
    french.summary = "Transhumance transfrontalière."
    french.save_revision().publish()
    Page.objects.filter(pk=note.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    note.refresh_from_db()
    assert note.live
    return note


def test_an_expired_page_answers_404(client, expired):
    assert client.get(expired.url).status_code == 404


def test_an_expired_page_is_in_no_listing_search_feed_or_api(client, expired):
    assert "Expired border note" not in titles(client.get("/en/policy-notes/"))
    assert titles(client.get("/en/search/?q=herding")) == []
    assert client.get("/en/search/json/", {"q": "herding"}).json()["total"] == 0
    assert "Expired border note" not in client.get("/en/feeds/rss/").content.decode()
    assert client.get("/api/v1/items/").json()["count"] == 1
    assert client.get(f"/api/v1/items/{expired.pk}/").status_code == 404
    assert client.get(f"/en/cite/{expired.pk}.ris").status_code == 404
    assert expired.url not in client.get("/sitemap.xml").content.decode()
    oai = client.get("/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc").content.decode()
    assert f":{expired.pk}<" not in oai


def test_translations_no_longer_link_to_an_expired_version(client, expired):
    french = expired.get_translation(Locale.objects.get(language_code="fr"))
    page = client.get(french.url).content.decode()
    assert expired.url not in page


def test_the_engine_stops_counting_a_page_at_its_expiry(client, reindex):
    """The engine's documents carry the expiry date, so its totals and facets drop the page at
    once too, not only its result rows."""
    note = PolicyNotePageFactory(title="Short-lived herding note", summary="Herding.")
    Page.objects.filter(pk=note.pk).update(expire_at=timezone.now() + datetime.timedelta(seconds=2))
    reindex()
    assert client.get("/en/search/json/", {"q": "herding"}).json()["total"] == 1
    time.sleep(2.5)  # the engine compares with its own clock
    data = client.get("/en/search/json/", {"q": "herding"}).json()
    assert (data["total"], data["degraded"], data["facets"]["type"]) == (0, False, [])
