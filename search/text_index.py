"""The database backend's full-text index: the portal's own table of analysed text, one entry per
live, public knowledge page, in the database the site already uses.

Each page is written with the same fields and weights as the engine's document (``serialize_pages``,
``FIELD_BOOSTS``), every field analysed in the page's language (``search.analysis``). SQLite keeps
the terms in an FTS5 table ranked with ``bm25()``; PostgreSQL in a weighted ``tsvector`` column
with a GIN index, ranked with ``ts_rank``. A search is one ranked, limited SQL query
(``search.retrievers.database``): the match is computed once, in a ``MATERIALIZED`` common table expression, and the
reader's filters and the collapsing of translations read from it, instead of re-running the
full-text match for every matching row.

Why our own table rather than Wagtail's database search index: that index stores raw text (no
stemming, folding or Arabic normalisation), joins pages through a text ``object_id`` and orders by a
correlated subquery that re-runs the match per row (72-141 s for one word at 10,000 items).
Wagtail's index still serves the admin's search boxes.
"""

from django.db import connection, transaction

from portal.batching import batched
from portal.progress import progress
from search.analysis import analysed_words
from search.documents import FIELD_BOOSTS
from search.indexing import indexable_pages, pages_with_relations
from search.models import TextIndexEntry, TextIndexWord
from search.query import ALL_TERMS_FACTOR, READER_LANGUAGE_FACTOR, TYPED_WORDS_FACTOR
from search.serialize import serialize_pages

FIELDS = tuple(FIELD_BOOSTS)
#: Pages serialised and written together.
BATCH_SIZE = 200
#: Longest word kept in the typo vocabulary (longer runs are codes or URLs, never misspelt).
MAX_WORD_LENGTH = 40


def update_pages(page_ids, extract=False, advance=None):
    """Bring the entries of ``page_ids`` up to date: write those that are live and public,
    remove the others (unpublished, restricted or deleted). Attachment text not extracted yet
    is left out unless ``extract`` (a web request never reads a PDF: the upload's background
    task extracts it and updates the pages then). ``advance(n)``, when given, is called after
    each batch of ``n`` pages (a command's progress bar)."""
    page_ids = sorted({int(pk) for pk in page_ids})
    # In batches: a renamed country may touch tens of thousands of pages, more than one
    # statement may name (SQLite allows 32,766 parameters) or memory should hold at once.
    for batch in batched(page_ids, BATCH_SIZE):
        pages = pages_with_relations(indexable_pages().filter(pk__in=batch))
        write_entries(serialize_pages(pages, extract=extract))
        delete_entries(set(batch) - {page.pk for page in pages})
        if advance:
            advance(len(batch))


def rebuild(verbosity=0, stream=None):
    """Empty the index and write every live, public page again, extracting attachment text not
    read yet; returns the number of pages written. Progress as ``portal.progress`` shows it."""
    clear()
    ids = list(indexable_pages().values_list("pk", flat=True))
    with progress("Writing the text index", len(ids), verbosity, stream) as bar:
        update_pages(ids, extract=True, advance=bar.advance)
    return len(ids)


def write_entries(documents):
    """Write the entries of ``documents`` (``KnowledgePageDocument``s of ``serialize_pages``),
    replacing what each page had, and add their words to the typo vocabulary."""
    rows, vocabulary = [], set()
    for document in documents:
        fields = {}
        for name in FIELDS:
            found = analysed_words(getattr(document, name) or "", document.language)
            fields[name] = " ".join(term for _word, term in found)
            vocabulary.update(pair for pair in found if len(pair[0]) <= MAX_WORD_LENGTH)
        rows.append((document.page_id, document.language, fields))
    if not rows:
        return
    with transaction.atomic():
        storage().write(rows)
        TextIndexWord.objects.bulk_create(
            [TextIndexWord.of(word, term) for word, term in vocabulary],
            ignore_conflicts=True,
            batch_size=500,
        )


def delete_entries(page_ids):
    """Remove ``page_ids`` from the index (pages no longer live or public)."""
    page_ids = [int(pk) for pk in page_ids]
    if page_ids:
        with transaction.atomic():
            storage().delete(page_ids)


def clear():
    """Empty the index (before a rebuild)."""
    with transaction.atomic():
        storage().clear()
        TextIndexWord.objects.all().delete()


def language_factor(column):
    """SQL of the factor of a match's score in a page whose language is in ``column``: the first
    parameter (the reader's language) gives ``READER_LANGUAGE_FACTOR``, any other 1."""
    return f"(CASE WHEN {column} = %s THEN {READER_LANGUAGE_FACTOR} ELSE 1 END)"


def all_terms_factor(query, condition, expression):
    """``(sql, params)`` of the factor of a match's score in a page: ``ALL_TERMS_FACTOR`` when the
    page holds every word of ``query``, else 1; a plain 1 when ``query`` requires them all
    anyway. ``condition`` is the SQL testing that a page matches its one parameter, the
    ``expression(groups)`` of the query's groups."""
    if query.required == len(query.words):
        return "1", []
    return (
        f"(CASE WHEN {condition} THEN {ALL_TERMS_FACTOR} ELSE 1 END)",
        [expression(query.groups)],
    )


def typed_words_factor(query, condition, expression):
    """``(sql, params)`` of the factor of a match's score in a page: 1 when the page matches the
    words as typed, ``1 / TYPED_WORDS_FACTOR`` when it matches only a variant in which a concept
    stands for its labels; a plain 1 when the query has no variant. ``condition`` as in
    ``all_terms_factor``; ``expression(query)`` the storage's expression of a ``TextQuery``."""
    if not query.variants:
        return "1", []
    factor = 1 / TYPED_WORDS_FACTOR
    return (
        f"(CASE WHEN {condition} THEN 1 ELSE {factor} END)",
        [expression(query.without_variants())],
    )


def storage():
    """The storage of the database in use: ``SQLiteStorage`` or ``PostgresStorage``."""
    return PostgresStorage() if connection.vendor == "postgresql" else SQLiteStorage()


class SQLiteStorage:
    """An FTS5 table (``search_textindex_fts``) whose rowid is the page id; ``bm25()`` ranks."""

    table = "search_textindex_fts"

    def write(self, rows):
        ids = [page_id for page_id, _language, _fields in rows]
        self.delete(ids)
        TextIndexEntry.objects.bulk_create(
            [TextIndexEntry(page_id=page_id, language=language) for page_id, language, _ in rows]
        )
        columns = ", ".join(FIELDS)
        marks = ", ".join(["%s"] * (len(FIELDS) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} (rowid, {columns}) VALUES ({marks})",  # noqa: S608
                [(page_id, *(fields[name] for name in FIELDS)) for page_id, _, fields in rows],
            )

    def delete(self, page_ids):
        TextIndexEntry.objects.filter(page_id__in=page_ids).delete()
        marks = ", ".join(["%s"] * len(page_ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE rowid IN ({marks})", page_ids)  # noqa: S608

    def clear(self):
        TextIndexEntry.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")  # noqa: S608

    def matched(self, query, language):
        """``(sql, params)`` selecting ``page_id, score`` (lower is better) of the pages that match
        ``query``, pages in the reader's ``language`` first among equals (``language_factor``)."""
        weights = ", ".join(str(FIELD_BOOSTS[name]) for name in FIELDS)
        entries = TextIndexEntry._meta.db_table
        factor, factor_params = all_terms_factor(query, self.holds, self._all_of)
        typed, typed_params = typed_words_factor(query, self.holds, self.expression)
        sql = (
            f"SELECT {self.table}.rowid AS page_id, bm25({self.table}, {weights}) * "  # noqa: S608
            f"{language_factor('entry.language')} * {factor} * {typed} AS score "
            f"FROM {self.table} JOIN {entries} AS entry ON entry.page_id = {self.table}.rowid "
            f"WHERE {self.table} MATCH %s"
        )
        return sql, [language, *factor_params, *typed_params, self.expression(query)]

    def holding(self, page_ids, queries):
        """``{page id: [bool per query of queries]}``: whether each of ``page_ids`` matches
        each ``TextQuery``; pages without an entry are left out."""
        tests = ", ".join(self.holds for _query in queries)
        marks = ", ".join(["%s"] * len(page_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {tests} FROM {self.table} WHERE rowid IN ({marks})",  # noqa: S608
                [*map(self.expression, queries), *page_ids],
            )
            return {page_id: list(map(bool, flags)) for page_id, *flags in cursor.fetchall()}

    @property
    def holds(self):
        """SQL testing that a row matches the FTS5 query given as its one parameter."""
        table = self.table
        return f"{table}.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)"  # noqa: S608

    @classmethod
    def expression(cls, query):
        """The FTS5 query of ``query``: ``(("a" OR "b c") AND ("d")) NOT ("e")``, each of its
        ``required_combinations`` joined by OR. Terms hold letters and digits only, so quoting
        them needs no escaping."""
        combinations = " OR ".join(
            f"({cls._all_of(groups)})" for groups in query.required_combinations()
        )
        return f"({combinations})" + "".join(
            f" NOT {cls._group(alternatives)}" for alternatives in query.exclusions
        )

    @classmethod
    def _all_of(cls, groups):
        return " AND ".join(cls._group(alternatives) for alternatives in groups)

    @staticmethod
    def _group(alternatives):
        return "(" + " OR ".join(f'"{" ".join(terms)}"' for terms in alternatives) + ")"


class PostgresStorage:
    """A weighted ``tsvector`` per page (``TextIndexEntry.vector``, GIN-indexed); ``ts_rank``
    ranks, normalised by the log of the page's length (``ts_rank_cd``, which rewards words near one
    another, ranked worse on the judged set: nDCG@10 0.855 against 0.873). Weights: title A, summary and key sections B, other sections and taxonomy C,
    attachments D; attachment text is stored without positions (phrases do not match in it), as a
    long report's positions would pass PostgreSQL's one-megabyte limit on a ``tsvector``."""

    #: ``FIELD_BOOSTS`` as PostgreSQL's four weight classes.
    CLASSES = {
        "title": "A",
        "summary": "B",
        "lessons": "B",
        "sections": "C",
        "taxonomy": "C",
        "attachments": "D",
    }
    #: SQL testing that a row matches the ``tsquery`` given as its one parameter.
    holds = "vector @@ to_tsquery('simple', %s)"
    #: The rank of a match in classes D, C, B and A (title 6 : summary 4 : sections 2 : files 1).
    RANK_WEIGHTS = "{0.17, 0.33, 0.67, 1.0}"

    def write(self, rows):
        parts = []
        for name in FIELDS:
            vector = "to_tsvector('simple', %s)"
            if name == "attachments":
                vector = f"strip({vector})"
            parts.append(f"setweight({vector}, '{self.CLASSES[name]}')")
        sql = (
            f"INSERT INTO {TextIndexEntry._meta.db_table} (page_id, language, vector) "  # noqa: S608
            f"VALUES (%s, %s, {' || '.join(parts)}) ON CONFLICT (page_id) DO UPDATE "
            "SET language = EXCLUDED.language, vector = EXCLUDED.vector"
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                sql,
                [
                    (page_id, language, *(fields[n] for n in FIELDS))
                    for page_id, language, fields in rows
                ],
            )

    def delete(self, page_ids):
        TextIndexEntry.objects.filter(page_id__in=page_ids).delete()

    def clear(self):
        TextIndexEntry.objects.all().delete()

    def matched(self, query, language):
        """``(sql, params)`` selecting ``page_id, score`` (lower is better: the negated rank) of
        the pages that match ``query``, as ``SQLiteStorage.matched``."""
        table = TextIndexEntry._meta.db_table
        factor, factor_params = all_terms_factor(query, self.holds, self._all_of)
        typed, typed_params = typed_words_factor(query, self.holds, self.expression)
        sql = (
            f"SELECT page_id, -ts_rank('{self.RANK_WEIGHTS}', vector, query, 1) * "  # noqa: S608
            f"{language_factor('language')} * {factor} * {typed} AS score "
            f"FROM {table}, to_tsquery('simple', %s) AS query WHERE vector @@ query"
        )
        return sql, [language, *factor_params, *typed_params, self.expression(query)]

    def holding(self, page_ids, queries):
        """``{page id: [bool per query of queries]}``, as ``SQLiteStorage.holding``."""
        tests = ", ".join(self.holds for _query in queries)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT page_id, {tests} FROM {TextIndexEntry._meta.db_table} "  # noqa: S608
                "WHERE page_id = ANY(%s)",
                [*map(self.expression, queries), list(page_ids)],
            )
            return {page_id: list(flags) for page_id, *flags in cursor.fetchall()}

    @classmethod
    def expression(cls, query):
        """The ``tsquery`` of ``query``: ``(('a' | 'b' <-> 'c') & ('d')) & !('e')``, each of its
        ``required_combinations`` joined by ``|``."""
        combinations = " | ".join(
            f"({cls._all_of(groups)})" for groups in query.required_combinations()
        )
        exclusions = [f"!{cls._group(alternatives)}" for alternatives in query.exclusions]
        return " & ".join([f"({combinations})", *exclusions])

    @classmethod
    def _all_of(cls, groups):
        return " & ".join(cls._group(alternatives) for alternatives in groups)

    @staticmethod
    def _group(alternatives):
        phrases = (" <-> ".join(f"'{term}'" for term in terms) for terms in alternatives)
        return "(" + " | ".join(phrases) + ")"
