"""Read-side selectors: what readers may see, listings with facet counts, related items.

``public_knowledge_pages()`` is the one definition of what is visible: live pages with no view
restriction on themselves or any ancestor, in every locale.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import translation

from knowledge.filters import DIMENSIONS, KnowledgeFilterForm, KnowledgeFilters, apply_filters
from knowledge.models.knowledge_pages import KNOWLEDGE_TYPES, KnowledgePage
from knowledge.models.tags import TaggedKnowledgePage
from knowledge.models.taxonomy import Country, Theme, country_name

MAX_TAG_FACETS = 20


def public_knowledge_pages():
    """Live, public knowledge pages of every type and locale (a ``PageQuerySet``)."""
    return KnowledgePage.objects.live().public()


def reader_language():
    """Two-letter code of the active language, e.g. 'fr'."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def collapse_translations(queryset, language):
    """Keep one version of each item: the one in ``language``, else the first one created."""
    same_item = queryset.filter(translation_key=OuterRef("translation_key"))
    in_language = same_item.filter(locale__language_code=language)
    earlier = same_item.filter(pk__lt=OuterRef("pk"))
    return queryset.filter(
        Q(locale__language_code=language) | (~Exists(in_language) & ~Exists(earlier))
    )


def visible_pages(base, filters, language, collapse=True):
    """``base`` restricted by ``filters``; translations collapsed unless a language is selected."""
    queryset = apply_filters(base, filters)
    if collapse and not filters.language:
        queryset = collapse_translations(queryset, language)
    return queryset


@dataclass(frozen=True)
class ListingScope:
    """The fixed part of a listing page: its type, country, theme or the regional section."""

    knowledge_type: str = ""
    country_code: str = ""
    theme_slug: str = ""
    regional: bool = False

    def queryset(self):
        queryset = public_knowledge_pages()
        fixed = KnowledgeFilters(
            type=(self.knowledge_type,) if self.knowledge_type else (),
            country=(self.country_code,) if self.country_code else (),
            theme=(self.theme_slug,) if self.theme_slug else (),
        )
        queryset = apply_filters(queryset, fixed)
        if self.regional:
            queryset = queryset.filter(
                Q(pk__in=_multi_country_ids()) | Q(pk__in=_regional_child_ids())
            )
        return queryset

    def fixed_dimensions(self):
        """Dimensions the scope fixes, which the page therefore shows no facet for."""
        return {
            name
            for name, value in (
                ("type", self.knowledge_type),
                ("country", self.country_code),
                ("theme", self.theme_slug),
            )
            if value
        }


def _multi_country_ids():
    through = KnowledgePage.countries.through.objects
    return (
        through.values("knowledgepage_id")
        .annotate(n=Count("country_id"))
        .filter(n__gt=1)
        .values("knowledgepage_id")
    )


def _regional_child_ids():
    from knowledge.models.site_pages import CountrySectionPage

    paths = CountrySectionPage.objects.filter(country__isnull=True).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return KnowledgePage.objects.filter(condition).values("pk")


@dataclass
class FacetBucket:
    """One value of a facet: ``count`` pages match if the reader toggles it (``url``)."""

    value: str
    label: str
    count: int
    selected: bool
    url: str = ""


@dataclass
class Listing:
    """What a listing template renders."""

    page: object
    total: int
    filters: KnowledgeFilters
    facets: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    query_string: str = ""


def _count_types(ids):
    rows = (
        KnowledgePage.objects.filter(pk__in=ids)
        .order_by()
        .values("content_type")
        .annotate(n=Count("pk"))
    )
    by_content_type = {ct.pk: key for key, ct in _type_content_types().items()}
    return [(by_content_type[row["content_type"]], row["n"]) for row in rows]


def _count_countries(ids):
    through = KnowledgePage.countries.through.objects.filter(knowledgepage_id__in=ids)
    rows = through.values("country__code").annotate(n=Count("knowledgepage_id", distinct=True))
    return [(row["country__code"], row["n"]) for row in rows]


def _count_themes(ids):
    through = KnowledgePage.themes.through.objects.filter(knowledgepage_id__in=ids)
    rows = through.values("theme__slug").annotate(n=Count("knowledgepage_id", distinct=True))
    return [(row["theme__slug"], row["n"]) for row in rows]


def _count_years(ids):
    rows = (
        KnowledgePage.objects.filter(pk__in=ids)
        .annotate(year=ExtractYear("publication_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    return [(row["year"], row["n"]) for row in rows]


def _count_languages(ids):
    rows = (
        KnowledgePage.objects.filter(pk__in=ids)
        .order_by()
        .values("locale__language_code")
        .annotate(n=Count("pk"))
    )
    return [(row["locale__language_code"], row["n"]) for row in rows]


def _count_tags(ids):
    rows = (
        TaggedKnowledgePage.objects.filter(content_object_id__in=ids)
        .values("tag__slug")
        .annotate(n=Count("content_object_id", distinct=True))
        .order_by("-n", "tag__slug")[:MAX_TAG_FACETS]
    )
    return [(row["tag__slug"], row["n"]) for row in rows]


_COUNTERS = {
    "type": _count_types,
    "country": _count_countries,
    "theme": _count_themes,
    "year": _count_years,
    "language": _count_languages,
    "tag": _count_tags,
}


def _type_content_types():
    """``{type key: ContentType}``, from Django's content type cache."""
    return {key: ContentType.objects.get_for_model(model) for key, model in KNOWLEDGE_TYPES.items()}


def facet_counts(base, filters, language, dimensions=DIMENSIONS):
    """Counts per value of each dimension, computed with every other dimension's filter applied.

    A count is what a click on that value gives (the post_filter rule of faceted search). Returns
    ``{dimension: [(value, count), ...]}``; one SQL query per dimension.
    """
    counts = {}
    for dimension in dimensions:
        ids = visible_pages(
            base, filters.without(dimension), language, collapse=dimension != "language"
        ).values("pk")
        counts[dimension] = _COUNTERS[dimension](ids)
    return counts


class FacetLabeller:
    """Turns facet values into labels in the reader's language (two queries, made once)."""

    def __init__(self, language):
        self.language = language
        self.countries = dict(
            Country.objects.filter(locale__language_code=language).values_list("code", "name")
        )
        self.themes = dict(
            Theme.objects.filter(locale__language_code=language).values_list("slug", "name")
        )

    def label(self, dimension, value):
        if dimension == "type":
            return str(KNOWLEDGE_TYPES[value]._meta.verbose_name_plural).capitalize()
        if dimension == "country":
            return self.countries.get(value) or country_name(value, self.language)
        if dimension == "theme":
            return self.themes.get(value, value)
        if dimension == "language":
            return str(dict(settings.LANGUAGES).get(value, value))
        return str(value)


def _sort_buckets(dimension, buckets):
    if dimension == "year":
        return sorted(buckets, key=lambda bucket: -int(bucket.value))
    if dimension == "tag":
        return buckets
    return sorted(buckets, key=lambda bucket: (-bucket.count, bucket.label))


def build_facets(counts, filters, labeller, query_dict):
    """``{dimension: [FacetBucket]}`` with a toggle URL per bucket (page number dropped)."""
    facets = {}
    for dimension, rows in counts.items():
        selected = {str(value) for value in getattr(filters, dimension)}
        buckets = [
            FacetBucket(
                value=str(value),
                label=labeller.label(dimension, str(value)),
                count=count,
                selected=str(value) in selected,
                url=_toggle_url(query_dict, dimension, str(value)),
            )
            for value, count in rows
        ]
        facets[dimension] = _sort_buckets(dimension, buckets)
    return facets


def _toggle_url(query_dict, dimension, value):
    params = query_dict.copy()
    params.pop("page", None)
    values = params.getlist(dimension)
    values = [v for v in values if v != value] if value in values else [*values, value]
    params.setlist(dimension, values)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def paginate(queryset, request):
    """The requested page of ``queryset``; a bad or out-of-range ``page`` gives the nearest page."""
    paginator = Paginator(queryset, settings.KNOWLEDGE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def with_listing_relations(queryset):
    """Prefetch what a result card shows, so a page of results costs a fixed number of queries."""
    return queryset.select_related("locale").prefetch_related("countries", "themes", "tags")


def build_listing(request, scope):
    """Filter, facet and paginate the pages of ``scope`` as the request's query parameters ask."""
    language = reader_language()
    form = KnowledgeFilterForm(request.GET)
    query_dict = request.GET.copy()
    query_dict.pop("page", None)
    query_string = query_dict.urlencode()
    if not form.is_valid():
        empty = Paginator(KnowledgePage.objects.none(), settings.KNOWLEDGE_PAGE_SIZE).get_page(1)
        return Listing(empty, 0, KnowledgeFilters(), errors=form.error_messages())
    filters = form.filters()
    base = scope.queryset()
    results = visible_pages(base, filters, language).order_by("-publication_date", "-pk")
    page = paginate(with_listing_relations(results), request)
    dimensions = [d for d in DIMENSIONS if d not in scope.fixed_dimensions()]
    counts = facet_counts(base, filters, language, dimensions)
    facets = build_facets(counts, filters, FacetLabeller(language), request.GET)
    return Listing(page, page.paginator.count, filters, facets, query_string=query_string)


def latest_by_type(language, per_type=3):
    """``[(type key, plural label, [pages])]``: the newest ``per_type`` visible items of each type."""
    latest = []
    for key, model in KNOWLEDGE_TYPES.items():
        pages = visible_pages(public_knowledge_pages(), KnowledgeFilters(type=(key,)), language)
        pages = with_listing_relations(pages.order_by("-publication_date", "-pk"))[:per_type]
        latest.append((key, model._meta.verbose_name_plural, list(pages)))
    return latest


def related_pages(page, limit=4):
    """Up to ``limit`` visible items sharing most countries and themes with ``page``, newest first."""
    codes = list(page.countries.values_list("code", flat=True))
    slugs = list(page.themes.values_list("slug", flat=True))
    candidates = collapse_translations(
        public_knowledge_pages().exclude(translation_key=page.translation_key),
        page.locale.language_code,
    )
    shared = Count("countries", filter=Q(countries__code__in=codes), distinct=True) + Count(
        "themes", filter=Q(themes__slug__in=slugs), distinct=True
    )
    related = (
        candidates.annotate(shared=shared)
        .filter(shared__gt=0)
        .order_by("-shared", "-publication_date", "-pk")[:limit]
    )
    return list(with_listing_relations(related))


def theme_counts(locale):
    """Themes of ``locale`` with ``item_count``: visible items about each theme (all languages)."""
    ids = collapse_translations(public_knowledge_pages(), locale.language_code).values("pk")
    counts = dict(_count_themes(ids))
    themes = list(Theme.objects.filter(locale=locale))
    for theme in themes:
        theme.item_count = counts.get(theme.slug, 0)
    return themes
