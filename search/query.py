"""What a search asks and what it answers, independent of the backend that answers it."""

from dataclasses import dataclass, field

from knowledge.filters import KnowledgeFilters

SORT_RELEVANCE = "relevance"
SORT_DATE = "date"


@dataclass(frozen=True)
class SearchRequest:
    """A reader's search: free ``text`` (may be empty), filters, page number, sort, reader language."""

    text: str = ""
    filters: KnowledgeFilters = field(default_factory=KnowledgeFilters)
    page: str | int | None = 1
    sort: str = SORT_RELEVANCE
    language: str = "en"


@dataclass
class SearchResponse:
    """One page of results (a Django ``Page`` of knowledge pages) with facet counts.

    ``facet_counts`` is ``{dimension: [(value, count), ...]}``; ``degraded`` is True when the answer
    comes from a fallback rather than the configured engine.
    """

    page: object
    total: int
    facet_counts: dict
    degraded: bool = False
    backend: str = ""
