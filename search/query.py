"""What a search asks and what it answers, independent of the backend that answers it."""

import re
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
    comes from a fallback rather than the configured engine. ``page.beyond_window`` is True when the
    reader asked for a page past the deepest one the engine returns.
    """

    page: object
    total: int
    facet_counts: dict
    degraded: bool = False
    backend: str = ""
    #: ``{page id: [HTML-escaped fragment with <mark> tags]}`` (engine only)
    highlights: dict = field(default_factory=dict)


# Punctuation standing alone ("*", "(", "-") and "field:" prefixes are engine syntax readers did not
# mean as words; they are read as spaces, the same way by every backend.
_STANDALONE_PUNCTUATION = re.compile(r"(?<!\w)[^\w\s\"-]+(?!\w)|(?<!\w)-(?!\w|\")|:")


def searchable_text(text):
    """``text`` without query syntax no backend should interpret; may be empty."""
    return " ".join(_STANDALONE_PUNCTUATION.sub(" ", text).split())


_TOKEN = re.compile(r'-?"[^"]*"|\S+')


def split_query(text):
    """``(positive text, plain positive words, excluded text)`` from a reader's query.

    ``-word`` and ``-"a phrase"`` are exclusions; quoted phrases stay together.
    """
    positive, words, excluded = [], [], []
    for token in _TOKEN.findall(text):
        if token.startswith("-") and len(token) > 1:
            excluded.append(token[1:])
        else:
            positive.append(token)
            if not token.startswith('"'):
                words.append(token)
    return " ".join(positive), " ".join(words), " ".join(excluded)
