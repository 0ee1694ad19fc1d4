"""Search on the portal's own full-text index in the database (``search.text_index``): SQLite FTS5
or PostgreSQL full text, with the text analysed in Python as the engine analyses it."""

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from wagtail.models import Page
from wagtail.search.backends.base import EmptySearchResults

from knowledge.facets import facet_counts
from knowledge.models import KnowledgePage
from knowledge.visibility import public_knowledge_pages, visible, visible_pages
from search.expansion import excluded_concepts, expansion_of
from search.fusion import fused_slice, words_to_read
from search.highlight import highlights_of
from search.query import SORTS, Reading, split_query
from search.semantic import nearest_passages
from search.text_index import storage
from search.text_query import TextQuery, text_query

from .base import Retriever


def as_queryset(results):
    """A Wagtail database search result as a queryset (none when the query held no words)."""
    if isinstance(results, EmptySearchResults):
        return KnowledgePage.objects.none()
    return results.get_queryset()


class DatabaseRetriever(Retriever):
    """The embedded default: no engine needed. A ranked search is one SQL query for its slice
    and total (``_ranked``), however many pages match, and its facets one more (``facet_counts``):
    the full-text match runs once in each. One retriever reads the slices of one answer: the
    reader's text is looked up in the index's vocabulary once."""

    def __init__(self):
        super().__init__()
        self._queries = {}

    def _text_query(self, request):
        """``(TextQuery, Expansion or None)`` of the request's text, read once per language."""
        key = (request.text, request.language)
        if key not in self._queries:
            parsed = split_query(request.text)
            expansion = expansion_of(parsed, request.language)
            excluded = excluded_concepts(parsed, request.language)
            self._queries[key] = (text_query(parsed, expansion, excluded), expansion)
        return self._queries[key]

    def read(self, request, start, stop, facets=False, highlights=False):
        query, expansion = self._text_query(request)
        near = self.nearest_items(request, has_words=bool(query.groups))
        words_total = None
        base = None  # built when needed: a ranked search's results do not read it
        if request.ranked and query.groups:
            # The filters read the match that the ranking computes once (``_ranked``).
            matched = RawSQL("SELECT page_id FROM matched", ())  # noqa: S611
            pages = _ranked_pages(request)
            candidates = within_scope(_matching(query, request, matched, pages), request)
            results = visible_pages(candidates, request.filters, request.language)
            if near:
                ids, total, words_total = _fused(query, request, results, near, start, stop)
            else:
                ids, total = _ranked(query, request.language, results, start, stop)
        else:
            base = _base(query, request, near)
            results = visible_pages(base, request.filters, request.language)
            results = results.order_by(*SORTS[request.sort])
            ids = list(results.values_list("pk", flat=True)[start:stop]) if stop > start else []
            total = _total(results, start, stop, ids)
        by_words = _holding_words(ids, query, request.language) if near else ids
        by_concept = _by_concept(by_words, query, expansion) if highlights else {}
        if facets and base is None:
            base = _base(query, request, near)
        typed = [pk for pk in by_words if pk not in by_concept]
        return Reading(
            ids=ids,
            total=total,
            facet_counts=facet_counts(base, request.filters) if facets else None,
            highlights=highlights_of(by_words, query) if highlights and query.groups else {},
            missing_terms=missing_terms(typed, query) if highlights else {},
            by_concept=by_concept,
            by_meaning=frozenset(ids) - set(by_words),
            passages=nearest_passages(set(ids) - set(by_words), near) if highlights else {},
            words_total=words_total,
        )


def _base(query, request, near=None):
    """The pages ``request`` covers before its filters: those matching ``query`` or of the items
    ``near`` it (translation keys), within scope."""
    matched = _matched_ids(query, request.language)
    return within_scope(_matching(query, request, matched, near=near), request)


def _ranked_pages(request):
    """Where a ranked search reads its candidates among the match: ``visible`` page rows, without
    the knowledge page's own row unless a filter reads one of its fields (a year, publication
    dates). The match comes from the text index, which holds knowledge pages only
    (``search.text_index``), so both give the same pages; but a knowledge page's row holds its
    whole text, and reading it for each of thousands of matches cost SQLite more than the match."""
    if request.filters.year or request.published_after or request.published_before:
        return public_knowledge_pages()
    return visible(Page.objects.all())


def _matching(query, request, matched_ids, pages=None, near=None):
    """Live, public knowledge pages among ``matched_ids`` (an SQL expression of the pages matching
    ``query``'s groups) or versions of the items ``near`` (translation keys), and matching none of
    its exclusions; all of them when the request has no text, none when its text holds stop words
    only. ``pages``: the visible pages to draw from, ``public_knowledge_pages()`` unless given
    (``_ranked_pages``)."""
    pages = public_knowledge_pages() if pages is None else pages
    if query.groups:
        pages = pages.filter(Q(pk__in=matched_ids) | Q(translation_key__in=near or ()))
    elif request.text.strip() and not query.exclusions:
        return pages.none()
    for group in query.exclusions:
        # An item is left out when any of its versions holds the word: its other versions would
        # otherwise show it in a language that lacks the word.
        excluded = _matched_ids(TextQuery(words=((group,),)), request.language)
        keys = KnowledgePage.objects.filter(pk__in=excluded).values("translation_key")
        pages = pages.exclude(translation_key__in=keys)
    return pages


def _holding_words(page_ids, query, language):
    """Those of ``page_ids`` (in order) whose own text matches ``query``: a version shown because
    its item is near in meaning may hold none of the words, even when another version does."""
    if not query.groups or not page_ids:
        return []
    matched = Page.objects.filter(pk__in=page_ids).filter(pk__in=_matched_ids(query, language))
    holding = set(matched.values_list("pk", flat=True))
    return [pk for pk in page_ids if pk in holding]


def _by_concept(page_ids, query, expansion):
    """``{page id: ((name, url, language), ...)}`` for those of ``page_ids`` that match
    ``query`` only through the labels of the concepts it names (``expansion``), not the words
    typed."""
    if not query.variants or not page_ids:
        return {}
    held = storage().holding(page_ids, [query.without_variants()])
    return {page_id: expansion.shown() for page_id, (typed,) in held.items() if not typed}


def missing_terms(page_ids, query):
    """``{page id: [word as typed]}``: the words of ``query`` (a ``TextQuery``) that each of
    ``page_ids`` lacks, when a page may lack one; pages holding all are left out."""
    if query.required == len(query.words) or not page_ids:
        return {}
    each_word = [TextQuery(words=(word,)) for word in query.words]
    held = storage().holding(page_ids, each_word)
    return {
        page_id: [label for label, holds in zip(query.labels, flags, strict=True) if not holds]
        for page_id, flags in held.items()
        if not all(flags)
    }


def _matched_ids(query, language):
    if not query.groups:
        return None
    sql, params = storage().matched(query, language)
    return RawSQL(f"SELECT page_id FROM ({sql}) AS matched_text", params)  # noqa: S608, S611


def _ranked(query, language, results, start, stop):
    """``(ids, total)`` of ``results`` (the pages shown, drawn from the ``matched`` table) ranked by
    relevance, in one query: the full-text match runs once, as a materialised common table
    expression that the filters and the ranking both read. ``total`` is None when the slice does
    not tell it."""
    match_sql, match_params = storage().matched(query, language)
    # Unordered: a page's default order (its tree path) would sort every match for nothing.
    filter_sql, filter_params = results.order_by().values("pk").query.sql_with_params()
    head = f"WITH matched AS MATERIALIZED ({match_sql}) "
    where = f"FROM matched WHERE page_id IN ({filter_sql})"
    with connection.cursor() as cursor:
        if stop <= start:
            cursor.execute(f"{head}SELECT COUNT(*) {where}", [*match_params, *filter_params])  # noqa: S608
            return [], cursor.fetchone()[0]
        cursor.execute(
            f"{head}SELECT page_id, COUNT(*) OVER () {where} "  # noqa: S608
            "ORDER BY score, page_id DESC LIMIT %s OFFSET %s",
            [*match_params, *filter_params, stop - start, start],
        )
        rows = cursor.fetchall()
    if rows:
        return [page_id for page_id, _total in rows], rows[0][1]
    return [], (0 if start == 0 else None)


def _fused(query, request, lexical, near, start, stop):
    """``(ids, total, words total)`` of results ``start`` to ``stop`` of the words' ranking
    (``lexical``, the results ``_ranked`` reads) fused with the items ``near`` the text's
    meaning (``search.fusion``). An item is one result however it was found, shown in the
    version collapsing picks among the versions either side brings. ``words total``: how many
    of the results the words found."""
    # A result is an item, or a version when a language is selected (nothing collapses).
    unit_field = "pk" if request.filters.language else "translation_key"
    near_pages = Page.objects.filter(translation_key__in=near).values("pk")
    depth = words_to_read(stop)
    positions, word_total = _word_positions(query, request.language, lexical, depth, near_pages)
    units = dict(Page.objects.filter(pk__in=positions).values_list("pk", unit_field))
    in_order = sorted((position, pk) for pk, position in positions.items() if pk in units)
    words = [units[pk] for position, pk in in_order if position <= depth]
    both = visible_pages(_base(query, request, near), request.filters, request.language)
    near_rows = both.filter(translation_key__in=near).values_list(
        unit_field, "pk", "translation_key"
    )
    ranks = {key: rank for rank, key in enumerate(near, 1)}  # ``near`` is nearest first
    meaning_ranks = {unit: ranks[key] for unit, _pk, key in near_rows}
    holding = {units[pk] for _position, pk in in_order}
    total = word_total + sum(1 for unit in meaning_ranks if unit not in holding)
    shown = {units[pk]: pk for _position, pk in in_order}
    shown |= {unit: pk for unit, pk, _key in near_rows}  # collapsing picks among all versions
    return (
        [shown[unit] for unit in fused_slice(words, meaning_ranks, start, stop)],
        total,
        word_total,
    )


def _word_positions(query, language, results, stop, near_pages):
    """``({page id: position}, total)``: the words' ranking of ``results`` (as ``_ranked`` orders
    them, positions from 1) for its first ``stop`` pages and for every page of ``near_pages`` (a
    values queryset) wherever it ranks, and the number of ``results``, in one query."""
    match_sql, match_params = storage().matched(query, language)
    filter_sql, filter_params = results.order_by().values("pk").query.sql_with_params()
    near_sql, near_params = near_pages.order_by().query.sql_with_params()
    sql = (
        f"WITH matched AS MATERIALIZED ({match_sql}), "  # noqa: S608
        "ranked AS (SELECT page_id, ROW_NUMBER() OVER (ORDER BY score, page_id DESC) AS position, "
        f"COUNT(*) OVER () AS total FROM matched WHERE page_id IN ({filter_sql})) "
        "SELECT page_id, position, total FROM ranked "
        f"WHERE position <= %s OR page_id IN ({near_sql})"
    )
    with connection.cursor() as cursor:
        # One row at least whenever anything matches, so that the total is told.
        cursor.execute(sql, [*match_params, *filter_params, max(stop, 1), *near_params])
        rows = cursor.fetchall()
    return {page_id: position for page_id, position, _total in rows}, rows[0][2] if rows else 0


def _total(results, start, stop, ids):
    """The number of ``results`` when the slice tells it (it holds the last ones) or when only the
    total was asked for; else None: counting costs a query a caller may not need (a feed)."""
    if 0 < len(ids) < stop - start or (start == 0 and stop > 0 and not ids):
        return start + len(ids)
    return results.count() if start == stop else None


def within_scope(pages, query):
    """``pages`` limited to what ``query`` covers beyond the reader's filters: its publication
    dates and, for a digest, items first published after ``first_published_after``."""
    if query.published_after:
        pages = pages.filter(publication_date__gte=query.published_after)
    if query.published_before:
        pages = pages.filter(publication_date__lte=query.published_before)
    if query.first_published_after:
        pages = pages.filter(first_published_at__gt=query.first_published_after)
    return pages
