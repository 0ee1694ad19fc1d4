"""Facet counts for listings and database search, with labels and toggle links for templates.

Each dimension is counted with every other dimension's filter applied but not its own, so a count is
what a click on that value gives (the post_filter rule of faceted search).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.text import capfirst

from knowledge.filters import DIMENSIONS, apply_filters
from knowledge.models.knowledge_pages import KNOWLEDGE_TYPES
from knowledge.models.tags import KnowledgeTag
from knowledge.models.taxonomy import term_names

MAX_TAG_FACETS = 20


@dataclass
class FacetBucket:
    """One value of a facet: ``count`` pages match if the reader toggles it (``url``)."""

    value: str
    label: str
    count: int
    selected: bool
    url: str = ""


def _counted(by_item):
    """What a bucket counts: items (distinct translation keys, when translations collapse into
    one result) or pages (when a language is selected and every version is its own result)."""
    return Count("translation_key" if by_item else "pk", distinct=True)


def _grouped(pages, value, counted, most=None):
    """``[(value, count)]`` of ``pages`` grouped by ``value`` (a lookup), groups without a value
    (a page with no country, say) left out: one pass over the pages. ``most``: only that many
    groups, the largest (ties by value)."""
    rows = pages.order_by().values_list(value).annotate(n=counted)
    if most is not None:
        rows = rows.order_by("-n", value)[: most + 1]  # one more: the group without a value
    return [(key, n) for key, n in rows if key is not None][:most]


class PublicationYear(ExtractYear):
    """The year of a date, read on SQLite from the date's text rather than through the Python
    function Django registers there, which costs a call per row."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS integer)", params


def _count_types(pages, by_item):
    by_content_type = {ct.pk: key for key, ct in _type_content_types().items()}
    rows = _grouped(pages, "content_type", _counted(by_item))
    return [(by_content_type[content_type], n) for content_type, n in rows]


def _count_through(lookup):
    """A counter over a page many-to-many ``lookup`` (e.g. ``countries__code``)."""

    def count(pages, by_item):
        return _grouped(pages, lookup, _counted(by_item))

    return count


def _count_years(pages, by_item):
    years = pages.annotate(year=PublicationYear("publication_date"))
    return sorted(_grouped(years, "year", _counted(by_item)), reverse=True)


def _count_languages(pages, by_item):
    return _grouped(pages, "locale__language_code", Count("pk"))


def _count_tags(pages, by_item):
    return _grouped(pages, "tagged_items__tag__slug", _counted(by_item), most=MAX_TAG_FACETS)


_COUNTERS = {
    "type": _count_types,
    "country": _count_through("countries__code"),
    "theme": _count_through("themes__slug"),
    "year": _count_years,
    "language": _count_languages,
    "tag": _count_tags,
}


def _type_content_types():
    """``{type key: ContentType}``, from Django's content type cache."""
    return {key: ContentType.objects.get_for_model(model) for key, model in KNOWLEDGE_TYPES.items()}


def facet_counts(base, filters, dimensions=DIMENSIONS):
    """Counts per value of each dimension, computed with every other dimension's filter applied.

    A count is what a click on that value gives (the post_filter rule of faceted search): the
    versions matching the other filters are counted once per item (translation key) unless a
    language is selected, so an item whose translations differ (another year, another keyword)
    counts under each of their values, as a click on any of them finds it; the engine counts the
    same way. Languages always count versions. Returns ``{dimension: [(value, count), ...]}``;
    one SQL query per dimension.
    """
    by_item = not filters.language
    counts = {}
    for dimension in dimensions:
        ids = apply_filters(base, filters.without(dimension)).values("pk")
        counts[dimension] = _COUNTERS[dimension](ids, by_item)
    return counts


class FacetLabeller:
    """Turns facet values into labels in the reader's language (three queries, made once)."""

    def __init__(self, language, counts):
        self.language = language
        values = {
            dimension: [str(value) for value, _n in rows] for dimension, rows in counts.items()
        }
        self.tag_names = dict(
            KnowledgeTag.objects.filter(slug__in=values.get("tag", [])).values_list("slug", "name")
        )
        self.countries, self.themes = term_names(
            language, values.get("country", ()), values.get("theme", ())
        )

    def label(self, dimension, value):
        if dimension == "type":
            return capfirst(KNOWLEDGE_TYPES[value]._meta.verbose_name_plural)
        if dimension == "country":
            return self.countries[value]
        if dimension == "theme":
            return self.themes[value]
        if dimension == "tag":
            return self.tag_names.get(value, value)
        if dimension == "language":
            return str(dict(settings.LANGUAGES).get(value, value))
        return str(value)


def _sort_buckets(dimension, buckets):
    if dimension == "year":
        return sorted(buckets, key=lambda bucket: -int(bucket.value))
    if dimension == "tag":
        return buckets
    return sorted(buckets, key=lambda bucket: (-bucket.count, bucket.label))


def build_facets(counts, filters, language, query_dict):
    """``{dimension: [FacetBucket]}`` with a link per bucket (page number dropped).

    A bucket's link selects that value alone in its dimension, keeping the other dimensions'
    filters, so it gives exactly the bucket's count; a selected bucket's link clears its dimension.
    Selected values always get a bucket (count 0 when nothing matches) so they can be cleared.
    """
    counts = {
        dimension: _with_selected_values(rows, getattr(filters, dimension))
        for dimension, rows in counts.items()
    }
    labeller = FacetLabeller(language, counts)
    facets = {}
    for dimension, rows in counts.items():
        selected = {str(value) for value in getattr(filters, dimension)}
        buckets = [
            FacetBucket(
                value=str(value),
                label=labeller.label(dimension, str(value)),
                count=count,
                selected=str(value) in selected,
                url=_facet_url(query_dict, dimension, str(value), str(value) in selected),
            )
            for value, count in rows
        ]
        facets[dimension] = _sort_buckets(dimension, buckets)
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
    params = without_page(query_dict)
    params.setlist(dimension, [] if selected else [value])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
