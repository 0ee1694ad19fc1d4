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
from knowledge.models.knowledge_pages import KNOWLEDGE_TYPES, KnowledgePage
from knowledge.models.tags import KnowledgeTag, TaggedKnowledgePage
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


def _counted(by_item, page_field="pk", item_field="translation_key"):
    """What a bucket counts: items (distinct translation keys, when translations collapse into
    one result) or pages (when a language is selected and every version is its own result)."""
    return Count(item_field if by_item else page_field, distinct=True)


def _count_types(ids, by_item):
    rows = (
        KnowledgePage.objects.filter(pk__in=ids)
        .order_by()
        .values("content_type")
        .annotate(n=_counted(by_item))
    )
    by_content_type = {ct.pk: key for key, ct in _type_content_types().items()}
    return [(by_content_type[row["content_type"]], row["n"]) for row in rows]


def _count_through(relation, key):
    """``[(key value, count)]`` over a page many-to-many ``relation`` (e.g. countries, by code)."""

    def count(ids, by_item):
        through = getattr(KnowledgePage, relation).through.objects.filter(knowledgepage_id__in=ids)
        rows = through.values(key).annotate(
            n=_counted(by_item, "knowledgepage_id", "knowledgepage__translation_key")
        )
        return [(row[key], row["n"]) for row in rows]

    return count


def _count_years(ids, by_item):
    rows = (
        KnowledgePage.objects.filter(pk__in=ids)
        .annotate(year=ExtractYear("publication_date"))
        .values("year")
        .annotate(n=_counted(by_item))
        .order_by("-year")
    )
    return [(row["year"], row["n"]) for row in rows]


def _count_languages(ids, by_item):
    rows = (
        KnowledgePage.objects.filter(pk__in=ids)
        .order_by()
        .values("locale__language_code")
        .annotate(n=Count("pk"))
    )
    return [(row["locale__language_code"], row["n"]) for row in rows]


def _count_tags(ids, by_item):
    rows = (
        TaggedKnowledgePage.objects.filter(content_object_id__in=ids)
        .values("tag__slug")
        .annotate(n=_counted(by_item, "content_object_id", "content_object__translation_key"))
        .order_by("-n", "tag__slug")[:MAX_TAG_FACETS]
    )
    return [(row["tag__slug"], row["n"]) for row in rows]


_COUNTERS = {
    "type": _count_types,
    "country": _count_through("countries", "country__code"),
    "theme": _count_through("themes", "theme__slug"),
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
