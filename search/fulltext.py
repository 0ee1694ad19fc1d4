"""Wagtail's database search backend, with user text reduced to words before it reaches SQL.

``WAGTAILSEARCH_BACKENDS`` names this module, so every database full-text query passes through it:
the public search and its autocomplete, and every search box of the admin.

Why our own code: Wagtail's SQLite backend (django-modelsearch) wraps each term in double quotes for
FTS5 without doubling a quote inside it, so a lone ``"`` typed into a search box raised
``OperationalError: unterminated string``; PostgreSQL refuses NUL bytes in any string. Quotes keep
their meaning for the portal's own queries, which pass phrases as ``Phrase`` objects; inside a term
they and NUL bytes are only ever noise.

And adding entries costs the same however big the index is (``BoundedTitleNormsMixin``).
"""

import re

from django.db.models import F, QuerySet
from django.db.models.functions import Length
from modelsearch.query import MATCH_ALL, And, Not, Or, Phrase, PlainText
from modelsearch.utils import get_content_type_pk
from wagtail.search.backends import database

#: Characters removed from every term: the FTS5 string delimiter and NUL.
_NOISE = str.maketrans({'"': " ", "\x00": " "})
_WORD = re.compile(r"\w")


def words_only(text):
    """The terms of ``text`` that hold a letter or digit, without double quotes or NUL bytes,
    joined by single spaces; may be empty. (A term of punctuation alone, such as ``-``, is no
    word to either database and makes PostgreSQL's query builder fail.)"""
    return " ".join(term for term in text.translate(_NOISE).split() if _WORD.search(term))


def safe_query(query):
    """A copy of a modelsearch query (or a query string) whose terms hold words only.

    A term left empty is dropped with the operator around it; ``""`` when nothing is left.
    """
    if isinstance(query, str):
        return words_only(query)
    if isinstance(query, PlainText):
        text = words_only(query.query_string)
        return PlainText(text, operator=query.operator, boost=query.boost) if text else ""
    if isinstance(query, Phrase):
        text = words_only(query.query_string)
        return Phrase(text) if text else ""
    if isinstance(query, And | Or):
        kept = [part for part in map(safe_query, query.subqueries) if part != ""]
        return type(query)(kept) if len(kept) > 1 else (kept[0] if kept else "")
    if isinstance(query, Not):
        inner = safe_query(query.subquery)
        return Not(inner) if inner != "" else ""
    return query


class WordsOnlyMixin:
    """Cleans the query of ``search()`` and ``autocomplete()`` before the backend compiles it."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        query = safe_query(query)
        if query == "":
            # No words: no results, but results that still know their model (the admin's
            # listings read it; Wagtail's own EmptySearchResults has none).
            model_or_queryset = _queryset(model_or_queryset).none()
            query = MATCH_ALL
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


def _queryset(model_or_queryset):
    if isinstance(model_or_queryset, QuerySet):
        return model_or_queryset
    return model_or_queryset.objects.all()


#: The latest entries whose average title length stands for the whole index's.
TITLE_SAMPLE = 1000


class BoundedTitleNormsMixin:
    """An index that adds entries at a cost independent of its size.

    Each entry's ``title_norm`` is the index's average title length over the entry's own (BM25's
    length normalisation of title matches). After every ``add_items`` django-modelsearch
    recomputed that average over the whole table and rewrote the norms of the rows holding the
    default 1.0, found by reading every row: two full scans per page saved, so publishing slowed
    down linearly with the site (issue 12). Here the average is taken over the latest
    ``TITLE_SAMPLE`` entries (an average of titles is stable long before a thousand) and only the
    entries just written get their norm, found by their unique key. A rebuild (``update_index``)
    still computes every norm over the whole table (``full=True``), as before.
    """

    def add_items(self, model, objs):
        self._written = (get_content_type_pk(model), [str(obj.pk) for obj in objs])
        try:
            super().add_items(model, objs)
        finally:
            self._written = None

    def _refresh_title_norms(self, full=False):
        written = getattr(self, "_written", None)
        if full or written is None:
            super()._refresh_title_norms(full=full)
            return
        content_type, object_ids = written
        titled = self.entries.annotate(title_length=Length("title")).filter(title_length__gt=0)
        lengths = list(titled.order_by("-pk").values_list("title_length", flat=True)[:TITLE_SAMPLE])
        if lengths:
            average = sum(lengths) / len(lengths)
            titled.filter(content_type_id=content_type, object_id__in=object_ids).update(
                title_norm=average / F("title_length")
            )


def SearchBackend(params):  # noqa: N802  (the name Wagtail looks up in a backend module)
    """The database backend Wagtail picks for this database, with ``WordsOnlyMixin`` first and
    its index bounded (``BoundedTitleNormsMixin``)."""
    vendor_class = type(database.SearchBackend(params))
    index_class = type(
        f"Bounded{vendor_class.index_class.__name__}",
        (BoundedTitleNormsMixin, vendor_class.index_class),
        {},
    )
    safe_class = type(
        f"WordsOnly{vendor_class.__name__}",
        (WordsOnlyMixin, vendor_class),
        {"index_class": index_class},
    )
    return safe_class(params)
