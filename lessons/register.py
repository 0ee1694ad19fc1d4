"""The lesson register's search: the public lessons a reader's query finds, ranked, filtered and
counted per facet.

Text is searched by the portal's search service (``search.results.search_knowledge``), on
whichever backend answers it (the engine, or the database when there is none or it is down),
in every language and across languages: its items are the candidates. Their entries are then
ranked by reciprocal rank fusion (``search.fusion``) of two rankings: their item's rank, and
how near each entry's own passages lie to the query (``search.semantic.entry_scores``), so a
report's lesson on the subject comes before its others. Without text, lessons come newest item
first.

Filters and facet counts are the register's own, computed over the candidate lessons in Python:
its unit is the lesson, whose status, kind and audience the search index does not hold, and a
register holds thousands of lessons, not millions (six queries whatever their number). A facet
counts the lessons matching every other selected dimension, as the search page's facets do.
"""

from dataclasses import dataclass, field, fields

from django.contrib.contenttypes.models import ContentType

from knowledge.filters import KnowledgeFilters
from knowledge.models import KNOWLEDGE_TYPES
from knowledge.visibility import public_knowledge_pages
from lessons.selectors import public_lessons
from search.fusion import reciprocal_rank_fusion
from search.query import SORT_RELEVANCE, KnowledgeQuery
from search.results import search_knowledge
from search.semantic import entry_scores

#: The dimensions of an item a lesson is filtered by (``knowledge.filters``), in facet order.
ITEM_DIMENSIONS = ("type", "country", "theme", "year", "language")
#: The dimensions of a lesson itself.
LESSON_DIMENSIONS = ("kind", "status", "audience")
DIMENSIONS = ("kind", "status", *ITEM_DIMENSIONS, "audience")
#: Items of the search service's answer whose lessons are candidates for a text query.
CANDIDATE_ITEMS = 100


@dataclass(frozen=True)
class RegisterFilters:
    """Selected values per dimension of the register; an empty tuple means "any"."""

    kind: tuple = ()
    status: tuple = ()
    type: tuple = ()
    country: tuple = ()
    theme: tuple = ()
    year: tuple = ()
    language: tuple = ()
    audience: tuple = ()

    def is_empty(self):
        return not any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class RegisterQuery:
    """A reader's query of the register: ``text`` (``searchable_text``, may be empty), the
    ``filters`` and the reader's ``language``."""

    text: str = ""
    filters: RegisterFilters = field(default_factory=RegisterFilters)
    language: str = "en"


@dataclass(frozen=True)
class RegisterResults:
    """``lesson_ids`` found, best first; ``counts`` ``{dimension: [(value, count)]}``;
    ``degraded`` when the search service answered from the database while an engine is
    configured (the engine was down)."""

    lesson_ids: list
    counts: dict
    degraded: bool = False


def find_lessons(query):
    """The ``RegisterResults`` of ``query`` (a ``RegisterQuery``)."""
    rows = list(
        public_lessons().values_list("pk", "item_key", "block_id", "kind", "status", "audience")
    )
    facts = _item_facts({row[1] for row in rows})
    lessons = {
        pk: {"item": key, "block": str(block), "kind": {kind}, "status": {status}}
        | {"audience": {audience} - {""}}
        | facts.get(key, {})
        for pk, key, block, kind, status, audience in rows
    }
    degraded = False
    order = list(lessons)
    if query.text:
        order, degraded = _ranked(query, lessons)
    selected = {d: {str(v) for v in getattr(query.filters, d)} for d in DIMENSIONS}
    found = [pk for pk in order if _matches(lessons[pk], selected)]
    counts = {dimension: _counted(order, lessons, selected, dimension) for dimension in DIMENSIONS}
    return RegisterResults(found, counts, degraded)


def _matches(lesson, selected, leaving_out=None):
    return all(
        not wanted or lesson.get(dimension, set()) & wanted
        for dimension, wanted in selected.items()
        if dimension != leaving_out
    )


def _counted(order, lessons, selected, dimension):
    """``[(value, count)]`` of ``dimension`` among the lessons matching the other dimensions."""
    counts = {}
    for pk in order:
        lesson = lessons[pk]
        if _matches(lesson, selected, leaving_out=dimension):
            for value in lesson.get(dimension, ()):
                counts[value] = counts.get(value, 0) + 1
    return sorted(counts.items())


def _item_facts(keys):
    """``{translation key: {dimension: {value, ...}}}`` of the items ``keys`` over their public
    versions (a lesson is in a language when its item has a public version in it): three
    queries."""
    types = {
        ContentType.objects.get_for_model(model).pk: key for key, model in KNOWLEDGE_TYPES.items()
    }
    pages = public_knowledge_pages().filter(translation_key__in=keys)
    facts = {}
    for key, content_type, published, language in pages.values_list(
        "translation_key", "content_type", "publication_date", "locale__language_code"
    ):
        item = facts.setdefault(key, {d: set() for d in ITEM_DIMENSIONS})
        item["type"].add(types.get(content_type, ""))
        item["year"].add(str(published.year))
        item["language"].add(language)
    for dimension, column in (("country", "countries__code"), ("theme", "themes__slug")):
        for key, value in pages.filter(**{f"{column}__isnull": False}).values_list(
            "translation_key", column
        ):
            facts[key][dimension].add(value)
    return facts


def _ranked(query, lessons):
    """``(lesson ids best first, degraded)``: the lessons of the items the search service finds
    for ``query.text``, by their item's rank fused with their own nearness to the text."""
    results = search_knowledge(
        KnowledgeQuery(
            text=query.text,
            filters=KnowledgeFilters(),
            sort=SORT_RELEVANCE,
            language=query.language,
        )
    )
    item_rank = {}
    for page in results[:CANDIDATE_ITEMS]:
        item_rank.setdefault(page.translation_key, len(item_rank) + 1)
    candidates = [pk for pk, lesson in lessons.items() if lesson["item"] in item_rank]
    by_item = {pk: item_rank[lessons[pk]["item"]] for pk in candidates}
    nearness = _nearness(query.text, candidates, lessons)
    by_meaning = {pk: rank for rank, pk in enumerate(nearness, start=1)}
    order = reciprocal_rank_fusion(by_item, by_meaning)
    return order, results.degraded


def _nearness(text, candidates, lessons):
    """The ``candidates`` (lesson ids) with vectors, nearest ``text`` first."""
    keys = {lessons[pk]["item"] for pk in candidates}
    pages = public_knowledge_pages().filter(translation_key__in=keys)
    scores = entry_scores(text, list(pages.values_list("pk", flat=True)))
    scored = [
        (scores[lessons[pk]["block"]], pk) for pk in candidates if lessons[pk]["block"] in scores
    ]
    return [pk for _score, pk in sorted(scored, key=lambda pair: -pair[0])]
