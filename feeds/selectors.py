"""What a feed lists: its query parameters, validated, and the newest live public pages they select.

Feeds take the query parameters of listings and search (``type``, ``country``, ``theme``, ``year``,
``language``, ``tag``, each repeatable, and ``q``); ``page`` and ``sort`` are ignored, a feed always
lists the newest items first.
"""

from dataclasses import replace

from django.http import QueryDict

from knowledge.visibility import public_knowledge_pages, visible_pages, with_item_relations
from search.forms import KnowledgeQueryForm
from search.query import QUERY_PARAMETERS, SORT_NEWEST
from search.results import search_knowledge

#: Most items one feed carries: feed readers poll, they do not page.
FEED_LIMIT = 50


def feed_query(params, language):
    """``(KnowledgeQuery, None)`` for a feed's query parameters (a ``QueryDict``), newest first,
    or ``(None, [messages])`` when ``KnowledgeQueryForm`` refuses them. Only ``QUERY_PARAMETERS``
    are read: the others (``page``, ``sort``, publication dates) are a reader's view of a page,
    not what a feed follows, and are ignored."""
    kept = QueryDict(mutable=True)
    for name in QUERY_PARAMETERS:
        kept.setlist(name, params.getlist(name))
    form = KnowledgeQueryForm(kept)
    if not form.is_valid():
        return None, form.error_messages()
    return replace(form.knowledge_query(language), sort=SORT_NEWEST), None


def feed_pages(query, limit=FEED_LIMIT):
    """Up to ``limit`` live, public knowledge pages for ``query``, newest publication date first,
    with what a feed entry carries (``with_item_relations``). Returns a list.

    Without text: the public pages matching the filters, ties broken by newest page id, as
    listings order them. With text: the first ``limit`` results of the search service (engine or
    database) sorted by date, in one read.
    """
    if not query.text:
        pages = visible_pages(public_knowledge_pages(), query.filters, query.language)
        return list(with_item_relations(pages.order_by("-publication_date", "-pk")[:limit]))
    return list(search_knowledge(query, relations=with_item_relations)[:limit])
