"""The answer to a ``KnowledgeQuery``: lazy and sliceable, in the shape of Wagtail's ``SearchResults``.

Nothing is read until the results are used. ``results[40:140]`` reads that slice, with the total
and (when asked for) the facet counts, in one engine request or one set of SQL queries;
``count()`` then costs nothing more, and Django's ``Paginator`` pages the results directly. Every
slice of one answer comes from one backend: if the engine fails while any part is read, the whole
answer is read again from the database (flagged ``degraded``), so no item is repeated or skipped
where two rankings would meet.
"""

from dataclasses import replace

from django.core.paginator import Paginator

from knowledge.visibility import pages_in_order, with_card_relations
from search.circuit import engine_or_database
from search.client import engine_configured
from search.retrievers import MAX_RESULT_WINDOW, DatabaseRetriever, EngineRetriever


def search_knowledge(query, *, facets=False, highlights=False, relations=with_card_relations):
    """The lazy ``SearchResults`` of ``query`` (a ``KnowledgeQuery``): from the engine when one
    is configured and answers, else from the database. ``facets`` and ``highlights`` ask for
    facet counts and highlighted fragments with the first slice read."""
    return SearchResults(query, facets=facets, highlights=highlights, relations=relations)


class _Answers:
    """What one answer's slices share: the backend that answers and what it has read so far."""

    def __init__(self, query, facets, highlights):
        self.query, self.facets, self.highlights = query, facets, highlights
        self.backend = "engine" if _engine_answers(query, facets) else "database"
        self.degraded = False
        # One retriever of each kind reads every slice of the answer: each reads the items near
        # the text's meaning once, so the slices are cut from one ranking.
        self.database = DatabaseRetriever()
        self.engine = None
        self._clear()

    def _clear(self):
        self.total, self.facet_counts, self.readings = None, None, {}
        self.pages = {}  # (ids, relations): the pages loaded for those ids

    def read(self, start, stop):
        """The ``Reading`` of ``start``..``stop`` (absolute), read once: a range within one read
        before (``Paginator`` trims the last page to the total) is cut from it."""
        covering = self._covering(start, stop)
        if covering is not None:
            return covering
        reading = self._read(start, stop)
        self.readings[(start, stop)] = reading
        if reading.total is not None:
            self.total = reading.total
        if reading.facet_counts is not None:
            self.facet_counts = reading.facet_counts
        return reading

    def _covering(self, start, stop):
        if start == stop:  # an empty range is read for its total
            return self.readings.get((start, stop))
        for (first, last), reading in self.readings.items():
            known = last if reading.total is None else min(last, reading.total)
            end = stop if reading.total is None else min(stop, reading.total)
            if first <= start and end <= known:
                ids = reading.ids[start - first : stop - first]
                return replace(reading, ids=ids) if (first, last) != (start, stop) else reading
        return None

    def _read(self, start, stop):
        def database():
            if self.backend == "engine":  # the engine failed: everything is read again here
                self.backend, self.degraded = "database", True
                self._clear()
            return self.database.read(
                self.query, start, stop, self._facets_wanted(), self.highlights
            )

        if self.backend == "database":
            return database()
        return engine_or_database(
            lambda engine: self._on_engine(engine).read(
                self.query, start, stop, self._facets_wanted(), self.highlights
            ),
            database,
            "Search",
        )

    def _on_engine(self, engine):
        if self.engine is None:
            self.engine = EngineRetriever(engine)
        self.engine.engine = engine  # the adapter of this reading: the same, or one reconnected
        return self.engine

    def _facets_wanted(self):
        return self.facets and self.facet_counts is None


def _engine_answers(query, facets):
    """Whether the engine should answer ``query``: when one is configured, it can sort so, and
    there is text to search or facets to count. A plain list (the API's, without ``q``) reads
    the database, which counts exactly and pages to any depth, as listings do."""
    wanted = bool(query.text.strip()) or facets
    return wanted and engine_configured() and query.sort in EngineRetriever.sorts


class SearchResults:
    """Live, public knowledge pages answering a ``KnowledgeQuery``, read lazily.

    Slicing (``results[20:40]``) returns new results sharing this answer; iterating a slice reads
    it (once) and yields pages loaded by ``relations`` (``with_card_relations`` by default). An
    open-ended slice reads at most ``MAX_RESULT_WINDOW`` results, the deepest an engine returns.
    ``count()`` is the number of results within the slice, as for a Django queryset;
    ``facet_counts()``, ``highlights``, ``matched_names``, ``missing_terms``, ``by_concept``,
    ``by_meaning``, ``backend`` and ``degraded`` describe the whole answer.
    """

    def __init__(self, query, *, facets=False, highlights=False, relations=with_card_relations):
        self._answers = _Answers(query, facets, highlights)
        self._relations = relations
        self._start, self._stop = 0, None
        self._pages = None

    def _clone(self, **changes):
        clone = object.__new__(SearchResults)
        clone.__dict__.update(self.__dict__ | {"_pages": None} | changes)
        return clone

    def __getitem__(self, key):
        if isinstance(key, int):
            if key < 0:
                raise IndexError("negative indexing is not supported")
            found = list(self[key : key + 1])
            if not found:
                raise IndexError(key)
            return found[0]
        if key.step not in (None, 1) or (key.start or 0) < 0 or (key.stop or 0) < 0:
            raise ValueError("only forward slices without a step are supported")
        start = self._start + (key.start or 0)
        stop = self._start + key.stop if key.stop is not None else self._stop
        if self._stop is not None and stop is not None:
            stop = min(stop, self._stop)
        return self._clone(_start=start, _stop=start if stop is not None and stop < start else stop)

    def _read(self):
        stop = self._stop if self._stop is not None else self._start + MAX_RESULT_WINDOW
        return self._answers.read(self._start, stop)

    def _loaded(self):
        # Slices of one answer share the pages they loaded: the Paginator slices again what
        # ``paginate`` read, and each load costs a round of SQL queries and model instances.
        if self._pages is None:
            ids = tuple(self._read().ids)
            key = (ids, self._relations)
            if key not in self._answers.pages:
                self._answers.pages[key] = pages_in_order(ids, self._relations)
            self._pages = self._answers.pages[key]
        return self._pages

    def __iter__(self):
        return iter(self._loaded())

    def __len__(self):
        return len(self._loaded())

    def count(self):
        """Results within this slice (all of them when unsliced), read with the first slice read
        or, if none was, with an empty one."""
        if self._answers.total is None:
            self._answers.read(0, 0)
        count = max(self._answers.total - self._start, 0)
        return count if self._stop is None else min(count, self._stop - self._start)

    def facet_counts(self):
        """``{dimension: [(value, count)]}`` of the whole answer (each dimension counted under
        the other dimensions' filters only); read now if they were not read with a slice."""
        if self._answers.facet_counts is None:
            self._answers.facets = True
            self._answers.readings.pop((0, 0), None)
            self._answers.read(0, 0)
        return self._answers.facet_counts

    @property
    def highlights(self):
        """``{page id: [fragments]}`` of the slices read so far (empty unless asked for)."""
        return self._merged("highlights")

    @property
    def matched_names(self):
        """``{page id: HTML}`` of the slices read so far: the reader's names of the countries
        and themes through which a result without highlighted text matched, marked."""
        return self._merged("matched_names")

    @property
    def missing_terms(self):
        """``{page id: [word or "phrase" as typed]}`` of the slices read so far: the terms of a
        longer query that a result lacks (empty unless highlights were asked for)."""
        return self._merged("missing_terms")

    @property
    def by_concept(self):
        """``{page id: ((concept name, url, its language), ...)}`` of the slices read so far:
        results found through the labels of the concepts the query names, not its own words."""
        return self._merged("by_concept")

    @property
    def words_total(self):
        """How many results the words found, when meaning added results to them; else None."""
        totals = [
            r.words_total for r in self._answers.readings.values() if r.words_total is not None
        ]
        return totals[0] if totals else None

    @property
    def passages(self):
        """``{page id: (language, text)}`` of the slices read so far: for results found by
        meaning alone, the passage nearest the query."""
        return self._merged("passages")

    @property
    def by_meaning(self):
        """Ids of the results read so far that were found by meaning alone, not by the words."""
        return frozenset().union(
            *(reading.by_meaning for reading in self._answers.readings.values())
        )

    def _merged(self, name):
        merged = {}
        for reading in self._answers.readings.values():
            merged.update(getattr(reading, name))
        return merged

    @property
    def backend(self):
        """``"engine"`` or ``"database"``: which answered."""
        return self._answers.backend

    @property
    def degraded(self):
        """True when the engine is configured but the database answered."""
        return self._answers.degraded


def paginate(results, number, per_page):
    """The Django ``Page`` numbered ``number`` (any text; unreadable is 1, past the end the last
    page) of ``results``, pages of ``per_page``, no deeper than ``MAX_RESULT_WINDOW`` (the
    deepest an engine returns: both backends page no further, so they answer the same pages).

    The requested page is read first, so on the engine one read gives both its results and the
    total that ``Paginator`` asks for (the database counts apart); a number past the last page
    costs more reads.
    """
    try:
        wanted = max(int(str(number)), 1)
    except (TypeError, ValueError):
        wanted = 1
    window = results[:MAX_RESULT_WINDOW]
    start = min((wanted - 1) * per_page, MAX_RESULT_WINDOW)
    list(window[start : start + per_page])
    page = Paginator(window, per_page).get_page(wanted)
    page.beyond_window = wanted > page.number and results.count() > MAX_RESULT_WINDOW
    return page
