"""Read-side selectors for listing pages: scope, filters, facets and pagination; related items."""

from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q

from knowledge.collation import collated
from knowledge.facets import build_facets, facet_counts, without_page
from knowledge.filters import DIMENSIONS, KnowledgeFilterForm, KnowledgeFilters, apply_filters
from knowledge.models.knowledge_pages import KNOWLEDGE_TYPES, KnowledgePage
from knowledge.models.taxonomy import Theme
from knowledge.visibility import (
    collapse_translations,
    public_knowledge_pages,
    reader_language,
    visible_pages,
    with_card_relations,
    with_other_versions,
)


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
    # Imported here: the page models import this module to serve their listings.
    from knowledge.models.site_pages import CountrySectionPage

    condition = Q(pk__in=[])
    for section in CountrySectionPage.objects.filter(country__isnull=True):
        condition |= KnowledgePage.objects.descendant_of_q(section)
    return KnowledgePage.objects.filter(condition).values("pk")


@dataclass
class Listing:
    """What a listing template renders."""

    page: object
    total: int
    filters: KnowledgeFilters
    facets: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    query_string: str = ""


def sliced(queryset, start, stop):
    """``queryset[start:stop]`` (an ordered knowledge page queryset), in one query that sorts and
    slices the ids alone, then reads the rows of those ids only. Sorting whole rows made the
    database read every matching page's full text (its body) to keep a dozen of them."""
    ids = queryset.values("pk")[start:stop]
    return queryset.model.objects.filter(pk__in=ids).order_by(*queryset.query.order_by)


class ListingPaginator(Paginator):
    """A ``Paginator`` whose pages are read with ``sliced``: Django's ``page()`` chooses the
    slice (orphans included) and this reads the same rows by id."""

    def _get_page(self, object_list, number, paginator):
        query = object_list.query  # Django's own slice, not yet evaluated
        rows = sliced(self.object_list, query.low_mark, query.high_mark)
        return super()._get_page(rows, number, paginator)


def paginate(queryset, request):
    """The requested page of ``queryset`` (ordered); a bad or out-of-range ``page`` gives the
    nearest page. Its ``object_list`` is a queryset of the page's rows, in order."""
    paginator = ListingPaginator(queryset, settings.KNOWLEDGE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def build_listing(request, scope):
    """Filter, facet and paginate the pages of ``scope`` as the request's query parameters ask."""
    language = reader_language()
    form = KnowledgeFilterForm(request.GET)
    query_string = without_page(request.GET).urlencode()
    if not form.is_valid():
        empty = Paginator(KnowledgePage.objects.none(), settings.KNOWLEDGE_PAGE_SIZE).get_page(1)
        return Listing(empty, 0, KnowledgeFilters(), errors=form.error_messages())
    filters = form.filters()
    base = scope.queryset()
    results = visible_pages(base, filters, language).order_by("-publication_date", "-pk")
    page = paginate(results, request)
    page.object_list = with_other_versions(list(with_card_relations(page.object_list)))
    dimensions = [d for d in DIMENSIONS if d not in scope.fixed_dimensions()]
    counts = facet_counts(base, filters, dimensions)
    facets = build_facets(counts, filters, language, request.GET)
    return Listing(page, page.paginator.count, filters, facets, query_string=query_string)


def latest_by_type(language, per_type=3):
    """``[(type key, plural label, [pages])]``: the newest ``per_type`` visible items of each type."""
    latest = []
    for key, model in KNOWLEDGE_TYPES.items():
        pages = visible_pages(public_knowledge_pages(), KnowledgeFilters(type=(key,)), language)
        pages = with_card_relations(sliced(pages.order_by("-publication_date", "-pk"), 0, per_type))
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
    return list(with_card_relations(related))


def theme_counts(locale):
    """Themes of ``locale``, each with ``item_count``: the number of items its theme page lists.

    One count per theme slug, all in one query (the theme facet's count with no filter: the items
    with a visible version on that theme), whatever the number of themes."""
    themes = collated(
        Theme.objects.filter(locale=locale), locale.language_code, key=attrgetter("name")
    )
    counts = dict(facet_counts(public_knowledge_pages(), KnowledgeFilters(), ["theme"])["theme"])
    for theme in themes:
        theme.item_count = counts.get(theme.slug, 0)
    return themes
