"""What a page of search results costs the API, a feed and a digest: one engine request, and SQL
queries that do not grow with the page's size, on the engine and on the database backend.

The engine is the real one, reached through a local proxy that counts the HTTP requests it
forwards.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feeds.feeds import KnowledgeFeed
from knowledge.models import KnowledgePage
from subscriptions.following import new_items
from tests.factories import KnowledgeAttachmentFactory, PolicyNotePageFactory
from tests.helpers import titles

pytestmark = pytest.mark.django_db

ITEMS = 101


@pytest.fixture
def notes():
    for n in range(ITEMS):
        page = PolicyNotePageFactory(
            title=f"Mopti note {n}",
            summary="Referral pathways near Mopti.",
            countries=["ML", "NE"],
            themes=["protection"],
            tags=[f"tag {n}"],
        )
        if n % 10 == 0:
            KnowledgeAttachmentFactory(page=page)
    KnowledgePage.objects.update(first_published_at=timezone.now())


@pytest.fixture(params=["database", "engine"])
def backend(request, notes):
    """``None`` on the database backend; on the engine, the proxy that counts its requests."""
    if request.param == "database":
        return None
    request.getfixturevalue("reindex")()
    return request.getfixturevalue("engine_proxy")


def _read(client, proxy, url):
    """``(JSON or text, SQL queries, engine requests)`` of one GET of ``url``."""
    before = proxy.requests if proxy else 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    requests = proxy.requests - before if proxy else 0
    return response, len(queries), requests


def test_the_api_a_feed_and_a_digest_cost_few_engine_requests_and_queries_that_do_not_grow(
    client, backend, monkeypatch
):
    """One corpus of 101 items for the three channels (creating it is most of the test's time).
    A search ranked by relevance asks the engine for the items near its meaning first, then for
    the page (``search.retrievers.engine``); a list by date asks for the page alone."""
    url = "/api/v1/items/?q=Mopti&page_size={}"
    client.get(url.format(1))  # the first request fills Wagtail's caches and meets the engine
    small, small_queries, _requests = _read(client, backend, url.format(5))
    large, large_queries, requests = _read(client, backend, url.format(100))
    assert len(small.json()["results"]) == 5 and small.json()["count"] == ITEMS
    assert len(large.json()["results"]) == 100 and large.json()["pages"] == 2
    assert large_queries == small_queries <= 14, "API"
    assert requests == (2 if backend else 0), "API"

    feed = "/en/feeds/rss/?q=Mopti"
    client.get(feed)
    monkeypatch.setattr(KnowledgeFeed, "limit", 5)
    few, few_queries, _requests = _read(client, backend, feed)
    monkeypatch.setattr(KnowledgeFeed, "limit", 50)
    full, full_queries, requests = _read(client, backend, feed)
    assert few.content.count(b"<item>") == 5 and full.content.count(b"<item>") == 50
    assert full_queries == few_queries <= 12, "feed"
    assert requests == (1 if backend else 0), "feed"

    since = timezone.now() - datetime.timedelta(days=1)
    new_items("q=Mopti", "en", since)
    before = backend.requests if backend else 0
    with CaptureQueriesContext(connection) as queries:
        items, total = new_items("q=Mopti", "en", since)
    assert len(items) == 12 and total == ITEMS
    assert (backend.requests - before if backend else 0) == (1 if backend else 0), "digest"
    assert len(queries) <= 11, "digest"  # the database backend reads its vocabulary once


@pytest.mark.parametrize(("page", "shown"), [(1, 12), (9, 5)])
def test_the_search_page_loads_the_pages_of_its_results_once(client, backend, page, shown):
    """Page 9 is the last (101 items, 12 a page), which the Paginator trims to the total."""
    url = f"/en/search/?q=Mopti&page={page}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(titles(response)) == shown
    country_loads = [q for q in queries if "knowledge_knowledgepage_countries" in q["sql"]]
    card_loads = [q for q in country_loads if "_prefetch_related_val" in q["sql"]]
    assert len(card_loads) == 1, [q["sql"][:120] for q in card_loads]
