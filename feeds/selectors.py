"""What a feed lists: its query parameters, validated, and the newest live public pages they select.

Feeds take the query parameters of listings and search (``type``, ``country``, ``theme``, ``year``,
``language``, ``tag``, each repeatable, and ``q``); ``page`` and ``sort`` are ignored, a feed always
lists the newest items first.
"""

from dataclasses import dataclass

from django.http import QueryDict

from knowledge.filters import DIMENSIONS, KnowledgeFilterForm, KnowledgeFilters
from knowledge.visibility import public_knowledge_pages, visible_pages, with_item_relations
from search.forms import QueryTextField
from search.query import SORT_DATE, SearchRequest
from search.results import search_knowledge

#: Most items one feed carries: feed readers poll, they do not page.
FEED_LIMIT = 50

#: Query parameters a feed reads, in the order its canonical URL lists them.
FEED_PARAMETERS = ("q", *DIMENSIONS)


class FeedQueryForm(KnowledgeFilterForm):
    """The listing filters plus search's free text ``q`` (at most 500 characters).

    Unknown values answer 400 exactly as on listings and search (see ``KnowledgeFilterForm``).
    """

    q = QueryTextField()

    def feed_query(self, language):
        """The validated ``FeedQuery``; call only after ``is_valid()`` returned True."""
        return FeedQuery(
            text=self.cleaned_data["q"],
            filters=self.filters(),
            language=language,
        )


@dataclass(frozen=True)
class FeedQuery:
    """What one feed covers: free ``text`` (may be empty), filters and the interface language.

    ``language`` is the language of the URL prefix: titles are written in it, and translations of
    one item collapse into it unless the filters select languages.
    """

    text: str = ""
    filters: KnowledgeFilters = KnowledgeFilters()
    language: str = "en"

    def query_string(self):
        """The canonical query string, e.g. ``q=water&country=ML&country=NE`` (may be empty)."""
        params = QueryDict(mutable=True)
        if self.text:
            params["q"] = self.text
        for dimension in DIMENSIONS:
            params.setlist(dimension, [str(value) for value in getattr(self.filters, dimension)])
        return params.urlencode()


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
    request = SearchRequest(
        text=query.text, filters=query.filters, sort=SORT_DATE, language=query.language
    )
    return list(search_knowledge(request, relations=with_item_relations)[:limit])
