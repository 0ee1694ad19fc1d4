"""Facet counts for listings and database search, with labels and toggle links for templates.

Each dimension is counted with every other dimension's filter applied but not its own, so a count is
what a click on that value gives (the post_filter rule of faceted search).
"""

import sqlite3
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.checks import register
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Min, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear
from django.utils.module_loading import import_string
from django.utils.text import capfirst

from knowledge.collation import sort_key
from knowledge.filters import DIMENSIONS, KnowledgeFilters, apply_filters
from knowledge.models.knowledge_pages import KNOWLEDGE_TYPES, KnowledgePage
from knowledge.models.objectives import KnowledgePageObjective
from knowledge.models.tags import KnowledgeTag, TaggedKnowledgePage
from knowledge.models.taxonomy import term_names
from knowledge.objectives import objective_label, objective_names
from knowledge.visibility import public_knowledge_pages
from portal.hooks import hook_errors

MAX_TAG_FACETS = 20


@dataclass
class FacetBucket:
    """One value of a facet: ``count`` pages match if the reader toggles it (``url``)."""

    value: str
    label: str
    count: int
    selected: bool
    url: str = ""
    #: The label's language when it is not the reader's (``lang`` for screen readers), else "".
    language: str = ""


class PublicationYear(ExtractYear):
    """The year of a date, read on SQLite from the date's text rather than through the Python
    function Django registers there, which costs a call per row."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS integer)", params


#: The columns of a page that a dimension's count reads (besides the page, ``f_page``).
_DIMENSION_COLUMNS = {
    "type": {"f_type": F("content_type_id")},
    "language": {"f_language": F("locale__language_code")},
    "year": {"f_year": PublicationYear("publication_date")},
}


def _set_columns(dimensions, by_item):
    """What ``facet_counts`` reads of each page counted: the page, the columns of ``dimensions``
    and, when items are counted, the page's item. With several dimensions counting items, the item
    is the lowest id among its versions: an integer is cheaper to count distinct than a
    translation key, for one sort shared by every dimension; with one, that sort would cost more
    than it saves (the theme list), so the item is its translation key."""
    columns = {"f_page": F("pk")}
    for dimension in dimensions:
        columns |= _DIMENSION_COLUMNS.get(dimension, {})
    by_items = [dimension for dimension in dimensions if dimension != "language"]
    if by_item and len(by_items) > 1:
        columns["f_item"] = Window(Min("pk"), partition_by=[F("translation_key")])
    elif by_item and by_items:
        columns["f_item"] = F("translation_key")
    return columns


def _quoted(*names):
    return ".".join(connection.ops.quote_name(name) for name in names)


def _joined(through, page_column, related_column, related, value_field):
    """``(join SQL, value column)`` from a set of pages ``s`` through the table ``through`` (its
    columns naming the page and the related row) to ``related``'s ``value_field``."""
    meta = related._meta
    join = (
        f"JOIN {_quoted(through)} AS t ON {_quoted('t', page_column)} = s.f_page "
        f"JOIN {_quoted(meta.db_table)} AS r "
        f"ON {_quoted('r', meta.pk.column)} = {_quoted('t', related_column)}"
    )
    return join, _quoted("r", meta.get_field(value_field).column)


def _through(field_name, value_field):
    """``_joined`` for a page many-to-many field (e.g. ``countries``)."""
    field = KnowledgePage._meta.get_field(field_name)
    through = field.remote_field.through._meta.db_table
    related = field.related_model
    return _joined(through, field.m2m_column_name(), field.m2m_reverse_name(), related, value_field)


def _tags(value_field):
    """``_joined`` for a page's keywords."""
    tagged = TaggedKnowledgePage._meta
    page, tag = tagged.get_field("content_object").column, tagged.get_field("tag").column
    return _joined(tagged.db_table, page, tag, KnowledgeTag, value_field)


def _objectives():
    """``(join SQL, value column)`` from a set of pages ``s`` to its pages' objectives."""
    meta = KnowledgePageObjective._meta
    page, number = meta.get_field("page").column, meta.get_field("number").column
    join = f"JOIN {_quoted(meta.db_table)} AS t ON {_quoted('t', page)} = s.f_page"
    return join, _quoted("t", number)


#: ``{dimension: (join SQL or "", value column, whether items count)}``: how a dimension's
#: values are read from a set of pages ``s``. Languages always count versions.
_VALUES = {
    "type": lambda: ("", "s.f_type", True),
    "country": lambda: (*_through("countries", "code"), True),
    "theme": lambda: (*_through("themes", "slug"), True),
    "objective": lambda: (*_objectives(), True),
    "year": lambda: ("", "s.f_year", True),
    "language": lambda: ("", "s.f_language", False),
    "tag": lambda: (*_tags("slug"), True),
}


def _arm(dimension, table, by_item):
    """SQL of one dimension's ``(dimension, value as text, count)`` rows over the set ``table``:
    its values but empty ones (a page with no country, say); for tags the ``MAX_TAG_FACETS``
    largest (ties by value)."""
    join, value, items_count = _VALUES[dimension]()
    counted = "s.f_item" if by_item and items_count else "s.f_page"
    sql = (
        f"SELECT '{dimension}' AS dimension, CAST({value} AS text) AS value, "  # noqa: S608
        f"COUNT(DISTINCT {counted}) AS n FROM {table} AS s {join} "
        f"WHERE {value} IS NOT NULL GROUP BY {value}"
    )
    if dimension == "tag":
        sql = f"SELECT * FROM ({sql} ORDER BY n DESC, value LIMIT {MAX_TAG_FACETS}) AS top_tags"  # noqa: S608
    return sql


def _typed(dimension, rows):
    """``[(value, count)]`` of one dimension, values in their own type, as the filters take them."""
    if dimension == "type":
        by_content_type = {str(ct.pk): key for key, ct in _type_content_types().items()}
        return [(by_content_type[value], n) for value, n in rows]
    if dimension == "year":
        return sorted(((int(value), n) for value, n in rows), reverse=True)
    if dimension == "objective":
        return [(int(value), n) for value, n in rows]
    if dimension == "tag":  # the largest first, as ``_arm`` kept them
        return sorted(rows, key=lambda row: (-row[1], row[0]))
    return rows


def _type_content_types():
    """``{type key: ContentType}``, from Django's content type cache."""
    return {key: ContentType.objects.get_for_model(model) for key, model in KNOWLEDGE_TYPES.items()}


def facet_counts(base, filters, dimensions=DIMENSIONS):
    """Counts per value of each dimension, computed with every other dimension's filter applied.

    A count is what a click on that value gives (the post_filter rule of faceted search): the
    versions matching the other filters are counted once per item (translation key) unless a
    language is selected, so an item whose translations differ (another year, another keyword)
    counts under each of their values, as a click on any of them finds it; the engine counts the
    same way. Languages always count versions. Returns ``{dimension: [(value, count), ...]}``.

    One SQL statement whatever the dimensions: ``base`` (a ``KnowledgePage`` queryset; a
    database search's holds the full-text match) is read once, as a materialised common table
    expression, and so is each distinct set of filters (the dimensions not filtered share one);
    each dimension groups its set's rows. Counting each dimension in its own statement read
    every page of ``base`` six times: seconds at 100,000 items (issue 12).
    """
    counts = {dimension: [] for dimension in dimensions}
    if not dimensions:
        return counts
    by_item = not filters.language
    # The base itself first, then each distinct set of filters a dimension is counted under.
    sets = list(dict.fromkeys([KnowledgeFilters(), *map(filters.without, dimensions)]))
    try:
        head, params = _sets_sql(base, sets, _set_columns(dimensions, by_item))
    except EmptyResultSet:  # ``base`` is ``none()``: nothing to count
        return counts
    arms = [
        _arm(dimension, f"facet_set_{sets.index(filters.without(dimension))}", by_item)
        for dimension in dimensions
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"{head} {' UNION ALL '.join(arms)}", params)
        for dimension, value, n in cursor.fetchall():
            counts[dimension].append((value, n))
    return {dimension: _typed(dimension, rows) for dimension, rows in counts.items()}


def _materialized():
    """``"MATERIALIZED "``, or ``""`` on SQLite before 3.35, which lacks the keyword (Django 5.2
    supports SQLite from 3.31) and materialises a common table expression read more than once
    anyway (SQLite's "WITH clause" documentation, 3.35.0 changes)."""
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        return ""
    return "MATERIALIZED "


def _sets_sql(base, sets, columns):
    """``(sql, params)`` of the ``WITH`` clause of ``facet_counts``: ``facet_set_0``, the
    ``columns`` of ``base`` (``_set_columns``), and ``facet_set_<n>``, its rows matching ``sets[n]``
    (``facet_set_0`` itself when those filters are empty). Raises ``EmptyResultSet`` when
    ``base`` is empty by construction."""
    sql, params = base.order_by().values(**columns).query.sql_with_params()
    ctes = [f"facet_set_0 ({', '.join(columns)}) AS {_materialized()}({sql})"]
    in_base = KnowledgePage.objects.filter(pk__in=RawSQL("SELECT f_page FROM facet_set_0", ()))  # noqa: S611
    for number, filters in enumerate(sets[1:], start=1):
        sql, set_params = apply_filters(in_base, filters).values("pk").query.sql_with_params()
        ctes.append(
            f"facet_set_{number} AS {_materialized()}"  # noqa: S608
            f"(SELECT * FROM facet_set_0 WHERE f_page IN ({sql}))"
        )
        params = (*params, *set_params)
    return "WITH " + ", ".join(ctes), params


@register()
def check_keyword_names(app_configs, **kwargs):
    """Django system check: ``KNOWLEDGE_KEYWORD_NAMES`` names a function that can be imported."""
    return hook_errors("KNOWLEDGE_KEYWORD_NAMES", "knowledge.E003")


def keyword_names(tags, language):
    """``{slug: (name, language of the name or "")}`` of ``tags`` (``KnowledgeTag``s) as readers
    of ``language`` see them: named by the function ``KNOWLEDGE_KEYWORD_NAMES`` names (the
    vocabulary's concept labels, as on an item's page), else by their own names."""
    if not settings.KNOWLEDGE_KEYWORD_NAMES:
        return {tag.slug: (tag.name, "") for tag in tags}
    named = import_string(settings.KNOWLEDGE_KEYWORD_NAMES)(tags, language)
    return {keyword.slug: (keyword.name, keyword.language) for keyword in named}


class FacetLabeller:
    """Turns facet values into labels in the reader's language (four queries, made once);
    ``language_of`` tells the language of a label given in another one (GCM objectives
    the vocabulary has no name for in ``language``; a keyword only items of another language
    carry, written in theirs)."""

    def __init__(self, language, counts):
        self.language = language
        values = {
            dimension: [str(value) for value, _n in rows] for dimension, rows in counts.items()
        }
        self.tag_names = keyword_names(
            KnowledgeTag.objects.filter(slug__in=values.get("tag", [])), language
        )
        self.tag_languages = {}
        if values.get("tag"):
            carriers = TaggedKnowledgePage.objects.filter(
                tag__slug__in=values["tag"], content_object__in=public_knowledge_pages()
            )
            pairs = carriers.values_list("tag__slug", "content_object__locale__language_code")
            for slug, code in pairs.distinct():
                self.tag_languages.setdefault(slug, set()).add(code)
        self.countries, self.themes = term_names(
            language, values.get("country", ()), values.get("theme", ())
        )
        self.objectives = objective_names(language) if values.get("objective") else {}

    def label(self, dimension, value):
        if dimension == "type":
            return capfirst(KNOWLEDGE_TYPES[value]._meta.verbose_name_plural)
        if dimension == "country":
            return self.countries[value]
        if dimension == "theme":
            return self.themes[value]
        if dimension == "objective":
            return objective_label(self.objectives, value)[0]
        if dimension == "tag":
            return self.tag_names.get(value, (value, ""))[0]
        if dimension == "language":
            return str(dict(settings.LANGUAGES).get(value, value))
        return str(value)

    def language_of(self, dimension, value):
        """The language of ``label(dimension, value)`` when it is not the reader's, else ""."""
        if dimension == "objective":
            return objective_label(self.objectives, value)[1]
        if dimension == "tag":
            named_in = self.tag_names.get(value, (value, ""))[1]
            if named_in:
                return "" if named_in == self.language else named_in
            languages = self.tag_languages.get(value, set())
            if len(languages) == 1 and self.language not in languages:
                return next(iter(languages))
        return ""


def _sort_buckets(dimension, buckets, language):
    if dimension == "year":
        return sorted(buckets, key=lambda bucket: -int(bucket.value))
    if dimension == "objective":
        return sorted(buckets, key=lambda bucket: int(bucket.value))
    if dimension == "tag":
        return buckets
    label_key = sort_key(language)
    return sorted(buckets, key=lambda bucket: (-bucket.count, label_key(bucket.label)))


def build_facets(counts, filters, language, query_dict):
    """``{dimension: [FacetBucket]}`` with a link per bucket (page number dropped).

    A bucket's link selects that value alone in its dimension, keeping the other dimensions'
    filters, so it gives exactly the bucket's count; a selected bucket's link removes that value
    (others selected in its dimension, as a shared address may hold, stay).
    Selected values always get a bucket (count 0 when nothing matches) so they can be cleared.
    """
    counts = {
        dimension: _with_selected_values(rows, getattr(filters, dimension))
        for dimension, rows in counts.items()
    }
    labeller = FacetLabeller(language, counts)
    facets = {}
    for dimension, rows in counts.items():
        selected = [str(value) for value in getattr(filters, dimension)]
        buckets = [
            FacetBucket(
                value=str(value),
                label=labeller.label(dimension, str(value)),
                count=count,
                selected=str(value) in selected,
                url=_facet_url(
                    query_dict, dimension, str(value), selected if str(value) in selected else None
                ),
                language=labeller.language_of(dimension, str(value)),
            )
            for value, count in rows
        ]
        facets[dimension] = _sort_buckets(dimension, buckets, language)
    return facets


def _with_selected_values(rows, selected):
    """``rows`` plus a zero count for each selected value nothing matched."""
    present = {str(value) for value, _count in rows}
    return [*rows, *((value, 0) for value in selected if str(value) not in present)]


def without_page(query_dict):
    """A mutable copy of ``query_dict`` (e.g. ``request.GET``) without its ``page`` parameter."""
    params = query_dict.copy()
    params.pop("page", None)
    return params


def _facet_url(query_dict, dimension, value, selected):
    """The link of ``value``'s bucket: ``selected`` is the dimension's selection (normalised
    values, e.g. "ML" for "ml") when the value is in it, else ``None``."""
    params = without_page(query_dict)
    if selected is None:
        params.setlist(dimension, [value])
    else:
        params.setlist(dimension, [other for other in selected if other != value])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
