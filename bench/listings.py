"""Listing benchmark: listing, country, theme and home pages against hand-written SQL.

``run_listing_benchmark(repeats)`` renders each kind of page through ``django.test.Client`` as HTML
(the whole request: middleware, page routing, the listing's queries and the template) and times
it against hand-written SQL returning what that page shows from the database: the page's rows
(one version per item, in the reader's language where it exists, newest first), their countries,
themes and other language versions, the total and every facet's counts (``_raw_listing``); the home
page's newest items of each type (``_raw_home``); the theme list's counts (``_raw_theme_counts``).
The SQL is what a developer would write by hand for the page: each count a ``GROUP BY`` over the
matching rows, translations collapsed with a window function. The two sides are checked to agree
before anything is timed, so the comparison is of the same work.

It measures whatever knowledge pages the database holds (``manage.py bench_listings``); the
shared harness (``bench.timing.compare``) randomises the order, keeps min/median/p95 and records the
machine's load.
"""

# The SQL below is assembled from this module's own constants; every value is a parameter.
# ruff: noqa: S608

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from wagtail.models import Locale

from bench.timing import Case, compare
from knowledge.filters import DIMENSIONS, KnowledgeFilters
from knowledge.listings import ListingScope, build_listing, latest_by_type, theme_counts
from knowledge.models import KNOWLEDGE_TYPES, CountrySectionPage, KnowledgePage, Theme
from knowledge.visibility import public_knowledge_pages

LANGUAGE = "en"
#: Where a page's rows come from: Wagtail's page row and the knowledge page's own.
_FROM = (
    "FROM wagtailcore_page p JOIN knowledge_knowledgepage k ON k.page_ptr_id = p.id "
    "JOIN wagtailcore_locale l ON l.id = p.locale_id"
)
#: Live, not expired, under no view restriction: what readers may see.
_VISIBLE = (
    "p.live AND (p.expire_at IS NULL OR p.expire_at > %s) AND NOT EXISTS ("
    "SELECT 1 FROM wagtailcore_pageviewrestriction r JOIN wagtailcore_page rp ON rp.id = r.page_id "
    "WHERE substr(p.path, 1, length(rp.path)) = rp.path)"
)


@dataclass(frozen=True)
class ListingCase:
    """One listing page to time: its URL, what it lists (``scope``), the reader's filters and the
    page number."""

    kind: str
    url: str
    scope: ListingScope
    filters: KnowledgeFilters = field(default_factory=KnowledgeFilters)
    page: int = 1


def _year_sql():
    if connection.vendor == "postgresql":
        return "CAST(EXTRACT(YEAR FROM k.publication_date) AS integer)"
    return "CAST(strftime('%%Y', k.publication_date) AS integer)"


def _in(values):
    return ", ".join(["%s"] * len(values))


def _conditions(filters):
    """``(sql, params)``: the conditions of ``filters`` (type, country, theme, objective, year)
    on ``p``/``k``."""
    parts, params = [], []
    if filters.type:
        ids = [ContentType.objects.get_for_model(KNOWLEDGE_TYPES[key]).pk for key in filters.type]
        parts.append(f"p.content_type_id IN ({_in(ids)})")
        params += ids
    for relation, column, values in (
        ("countries", "c.code", filters.country),
        ("themes", "c.slug", filters.theme),
    ):
        if values:
            term = "country" if relation == "countries" else "theme"
            parts.append(
                f"p.id IN (SELECT x.knowledgepage_id FROM knowledge_knowledgepage_{relation} x "
                f"JOIN knowledge_{term} c ON c.id = x.{term}_id WHERE {column} IN ({_in(values)}))"
            )
            params += list(values)
    if filters.objective:
        parts.append(
            "p.id IN (SELECT o.page_id FROM knowledge_knowledgepageobjective o "
            f"WHERE o.number IN ({_in(filters.objective)}))"
        )
        params += list(filters.objective)
    if filters.year:
        parts.append(f"{_year_sql()} IN ({_in(filters.year)})")
        params += list(filters.year)
    return " AND ".join(["1 = 1", *parts]), params


def _matching(filters):
    """``(sql, params)`` of the visible pages matching ``filters``: ``FROM … WHERE …``."""
    sql, params = _conditions(filters)
    return f"{_FROM} WHERE {_VISIBLE} AND {sql}", [timezone.now(), *params]


def _merged(scope_filters, filters):
    return KnowledgeFilters(
        **{name: (*getattr(scope_filters, name), *getattr(filters, name)) for name in DIMENSIONS}
    )


def _scope_filters(scope):
    return KnowledgeFilters(
        type=(scope.knowledge_type,) if scope.knowledge_type else (),
        country=(scope.country_code,) if scope.country_code else (),
        theme=(scope.theme_slug,) if scope.theme_slug else (),
    )


def _raw_rows(cursor, filters, language_id, offset, limit):
    """``(rows, total)``: the page's collapsed rows, newest first, with the number of items."""
    where, params = _matching(filters)
    cursor.execute(
        "WITH chosen AS (SELECT p.id, k.publication_date, ROW_NUMBER() OVER ("
        "PARTITION BY p.translation_key ORDER BY CASE WHEN p.locale_id = %s THEN 0 ELSE 1 END, "
        f"p.id) AS version {where}), "
        "shown AS (SELECT id, publication_date, COUNT(*) OVER () AS total FROM chosen "
        "WHERE version = 1 ORDER BY publication_date DESC, id DESC LIMIT %s OFFSET %s) "
        "SELECT p.id, p.title, p.url_path, p.translation_key, p.content_type_id, l.language_code, "
        "k.summary, k.publication_date, shown.total FROM shown "
        "JOIN wagtailcore_page p ON p.id = shown.id "
        "JOIN knowledge_knowledgepage k ON k.page_ptr_id = p.id "
        "JOIN wagtailcore_locale l ON l.id = p.locale_id "
        "ORDER BY shown.publication_date DESC, shown.id DESC",
        [language_id, *params, limit, offset],
    )
    rows = cursor.fetchall()
    return rows, (rows[0][-1] if rows else 0)


def _raw_card_relations(cursor, rows):
    """The countries, themes and other visible versions of the cards in ``rows``."""
    if not rows:
        return
    ids = [row[0] for row in rows]
    for relation, term in (("countries", "country"), ("themes", "theme")):
        cursor.execute(
            f"SELECT x.knowledgepage_id, c.id, c.name FROM knowledge_knowledgepage_{relation} x "
            f"JOIN knowledge_{term} c ON c.id = x.{term}_id WHERE x.knowledgepage_id IN ({_in(ids)})",
            ids,
        )
        cursor.fetchall()
    keys = [row[3] for row in rows]
    cursor.execute(
        f"SELECT p.translation_key, p.id, p.url_path, l.language_code {_FROM} "
        f"WHERE {_VISIBLE} AND p.translation_key IN ({_in(keys)}) ORDER BY l.language_code, p.id",
        [timezone.now(), *keys],
    )
    cursor.fetchall()


#: Each dimension's value and the join it needs, for a facet's ``GROUP BY``.
_FACET_VALUES = {
    "type": ("p.content_type_id", ""),
    "country": (
        "c.code",
        "JOIN knowledge_knowledgepage_countries x ON x.knowledgepage_id = p.id "
        "JOIN knowledge_country c ON c.id = x.country_id",
    ),
    "theme": (
        "c.slug",
        "JOIN knowledge_knowledgepage_themes x ON x.knowledgepage_id = p.id "
        "JOIN knowledge_theme c ON c.id = x.theme_id",
    ),
    "objective": (
        "o.number",
        "JOIN knowledge_knowledgepageobjective o ON o.page_id = p.id",
    ),
    "year": (None, ""),
    "language": ("l.language_code", ""),
    "tag": (
        "t.slug",
        "JOIN knowledge_taggedknowledgepage x ON x.content_object_id = p.id "
        "JOIN knowledge_knowledgetag t ON t.id = x.tag_id",
    ),
}


def _raw_facets(cursor, filters, dimensions):
    """``{dimension: {value: count}}``, each counted with the other dimensions' filters: items
    (distinct translation keys), languages by version, the 20 most frequent keywords."""
    counts = {}
    for dimension in dimensions:
        value, join = _FACET_VALUES[dimension]
        value = value or _year_sql()
        where, params = _matching(filters.without(dimension))
        counted = "p.id" if dimension == "language" else "DISTINCT p.translation_key"
        where = where.replace(" WHERE ", f" {join} WHERE ", 1)
        tail = " ORDER BY n DESC, value LIMIT 20" if dimension == "tag" else ""
        cursor.execute(
            f"SELECT {value} AS value, COUNT({counted}) AS n {where} GROUP BY {value}{tail}", params
        )
        counts[dimension] = {str(v): n for v, n in cursor.fetchall()}
    return counts


def raw_listing(case, language_id):
    """What ``case``'s page shows, by hand-written SQL: ``(rows, total, facet counts)``."""
    size = settings.KNOWLEDGE_PAGE_SIZE
    filters = _merged(_scope_filters(case.scope), case.filters)
    dimensions = [d for d in DIMENSIONS if d not in case.scope.fixed_dimensions()]
    with connection.cursor() as cursor:
        rows, total = _raw_rows(cursor, filters, language_id, (case.page - 1) * size, size)
        _raw_card_relations(cursor, rows)
        facets = _raw_facets(cursor, _facet_filters(case), dimensions)
    return rows, total, facets


def _facet_filters(case):
    """Facets count within the scope: the scope's values stay when a dimension's filter is off."""
    scope = _scope_filters(case.scope)
    return _ScopedFilters(scope, case.filters)


@dataclass(frozen=True)
class _ScopedFilters:
    scope: KnowledgeFilters
    filters: KnowledgeFilters

    def without(self, dimension):
        return _merged(self.scope, self.filters.without(dimension))


def raw_home(language_id, per_type=3):
    """The home page's newest ``per_type`` items of each type, with their cards' relations."""
    with connection.cursor() as cursor:
        latest = []
        for key in KNOWLEDGE_TYPES:
            rows, _total = _raw_rows(
                cursor, KnowledgeFilters(type=(key,)), language_id, 0, per_type
            )
            _raw_card_relations(cursor, rows)
            latest.append(rows)
        cursor.execute(
            "SELECT id, slug, name FROM knowledge_theme WHERE locale_id = %s", [language_id]
        )
        cursor.fetchall()
    return latest


def raw_theme_counts(language_id):
    """``{slug: items}`` of the theme list: each theme of the reader's locale with its items."""
    where, params = _matching(KnowledgeFilters())
    where = where.replace(
        " WHERE ",
        " JOIN knowledge_knowledgepage_themes x ON x.knowledgepage_id = p.id "
        "JOIN knowledge_theme c ON c.id = x.theme_id WHERE ",
        1,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.slug, t.name, counts.n FROM knowledge_theme t LEFT JOIN ("
            f"SELECT c.slug AS slug, COUNT(DISTINCT p.translation_key) AS n {where} GROUP BY c.slug"
            ") counts ON counts.slug = t.slug WHERE t.locale_id = %s",
            [*params, language_id],
        )
        return {slug: n or 0 for slug, _name, n in cursor.fetchall()}


def _most_common(relation, key):
    through = getattr(KnowledgePage, relation).through.objects
    row = (
        through.filter(knowledgepage__in=public_knowledge_pages())
        .values(key)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return row[key] if row else None


def listing_cases():
    """The listing pages to time, chosen from what the database holds: the lessons listing's first
    page and a deep one (half way), the lessons filtered by the most common country and theme, the
    most common country's page and theme's page."""
    size = settings.KNOWLEDGE_PAGE_SIZE
    code = _most_common("countries", "country__code")
    slug = _most_common("themes", "theme__slug")
    lessons = ListingScope(knowledge_type="lessons_report")
    lessons_total = _total_of(lessons)
    deep = max(2, (lessons_total // size) // 2)
    section = CountrySectionPage.objects.get(locale__language_code=LANGUAGE, country__code=code)
    return [
        ListingCase("listing_first_page", "/en/lessons/", lessons),
        ListingCase("listing_deep_page", f"/en/lessons/?page={deep}", lessons, page=deep),
        ListingCase(
            "listing_filtered",
            f"/en/lessons/?country={code}&theme={slug}",
            lessons,
            KnowledgeFilters(country=(code,), theme=(slug,)),
        ),
        ListingCase("country_page", section.url, section.listing_scope()),
        ListingCase("theme_page", f"/en/themes/{slug}/", ListingScope(theme_slug=slug)),
    ]


def _total_of(scope):
    """The number of items ``scope`` lists, by the hand-written SQL."""
    language_id = Locale.objects.get(language_code=LANGUAGE).pk
    filters = _scope_filters(scope)
    with connection.cursor() as cursor:
        _rows, total = _raw_rows(cursor, filters, language_id, 0, 1)
    return total


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def check_agreement(case, language_id):
    """Raise when the hand-written SQL and the portal's listing disagree on ``case``'s page."""
    rows, total, facets = raw_listing(case, language_id)
    request = RequestFactory().get(case.url)
    with translation.override(LANGUAGE):
        listing = build_listing(request, case.scope)
    portal_ids = [page.pk for page in listing.page.object_list]
    raw_ids = [row[0] for row in rows]
    portal_facets = {
        dimension: {bucket.value: bucket.count for bucket in buckets}
        for dimension, buckets in listing.facets.items()
    }
    raw_facets = _labelled_types(facets)
    if (portal_ids, listing.total) != (raw_ids, total) or portal_facets != raw_facets:
        raise RuntimeError(
            f"{case.kind}: the hand-written SQL disagrees with the page: "
            f"{portal_ids, listing.total, portal_facets} != {raw_ids, total, raw_facets}"
        )


def _labelled_types(facets):
    by_id = {ContentType.objects.get_for_model(m).pk: key for key, m in KNOWLEDGE_TYPES.items()}
    if "type" in facets:
        facets = {**facets, "type": {by_id[int(v)]: n for v, n in facets["type"].items()}}
    return facets


def check_home_and_themes(language_id):
    """Raise when the hand-written home and theme list disagree with the portal's."""
    portal = [[page.pk for page in pages] for _key, _label, pages in latest_by_type(LANGUAGE)]
    raw = [[row[0] for row in rows] for rows in raw_home(language_id)]
    if portal != raw:
        raise RuntimeError(f"home: {portal} != {raw}")
    locale = Locale.objects.get(pk=language_id)
    portal_counts = {theme.slug: theme.item_count for theme in theme_counts(locale)}
    if portal_counts != raw_theme_counts(language_id):
        raise RuntimeError(f"themes: {portal_counts} != {raw_theme_counts(language_id)}")


def run_listing_benchmark(repeats=10, kinds=None, check=True):
    """Time each page kind against its hand-written SQL; returns ``compare``'s figures plus the
    corpus's size and the database's vendor."""
    client = Client(HTTP_HOST="127.0.0.1")
    language_id = Locale.objects.get(language_code=LANGUAGE).pk
    cases = {}
    for case in listing_cases():
        if check:
            check_agreement(case, language_id)
        cases[case.kind] = Case(
            portal=[partial(_get, client, case.url)], raw=[partial(raw_listing, case, language_id)]
        )
    if check:
        check_home_and_themes(language_id)
    cases["home_page"] = Case(
        portal=[partial(_get, client, "/en/")], raw=[partial(raw_home, language_id)]
    )
    cases["theme_list"] = Case(
        portal=[partial(_get, client, "/en/themes/")], raw=[partial(raw_theme_counts, language_id)]
    )
    if kinds:
        cases = {kind: case for kind, case in cases.items() if kind in kinds}
    figures = compare(cases, repeats)
    return {
        "vendor": connection.vendor,
        "knowledge_pages": KnowledgePage.objects.count(),
        "visible_items": public_knowledge_pages().values("translation_key").distinct().count(),
        "themes": Theme.objects.filter(locale_id=language_id).count(),
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        **figures,
    }
