"""Wagtail's database search backend, with user text reduced to words before it reaches SQL.

``WAGTAILSEARCH_BACKENDS`` names this module, so every database full-text query passes through it:
the public search and its autocomplete, and every search box of the admin.

Why our own code: Wagtail's SQLite backend (django-modelsearch) wraps each term in double quotes for
FTS5 without doubling a quote inside it, so a lone ``"`` typed into a search box raised
``OperationalError: unterminated string``; PostgreSQL refuses NUL bytes in any string. Quotes keep
their meaning for the portal's own queries, which pass phrases as ``Phrase`` objects; inside a term
they and NUL bytes are only ever noise.
"""

import re

from django.db.models import QuerySet
from modelsearch.query import MATCH_ALL, And, Not, Or, Phrase, PlainText
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


def SearchBackend(params):  # noqa: N802  (the name Wagtail looks up in a backend module)
    """The database backend Wagtail picks for this database, with ``WordsOnlyMixin`` first."""
    vendor_class = type(database.SearchBackend(params))
    safe_class = type(f"WordsOnly{vendor_class.__name__}", (WordsOnlyMixin, vendor_class), {})
    return safe_class(params)
