"""The sitemap: every page readers can open, in every language, with its translations.

Built on Wagtail's ``wagtail.contrib.sitemaps.Sitemap`` and served by its view, which is Django's
sitemap view (``django.contrib.sitemaps``). Wagtail's own sitemap lists one language only (the
descendants of the site's root page, here the English home) and no translations; this one:

- lists the live, public pages under every translation of the site's root page (drafts, private
  pages and pages under private sections are left out, as in listings and search);
- adds each theme's listing, which ``ThemeIndexPage`` serves as a routed sub-page
  (``/en/themes/<slug>/``), for every theme of the theme index's language;
- gives each URL its language versions as ``<xhtml:link rel="alternate" hreflang="…">`` plus an
  ``x-default`` (https://developers.google.com/search/docs/specialty/international/localized-versions#sitemap);
- gives ``<lastmod>``: a knowledge page's last publication, and for a listing (home, section, type
  listing, theme index, one theme) the later of its own publication and that of the newest item it
  lists, since that is when its content last changed.

Each entry is a dict Django's sitemap template understands: ``{"location", "lastmod",
"alternates": [{"lang_code", "location"}]}`` (https://www.sitemaps.org/protocol.html). Django's view
splits more than 50,000 URLs into pages (``?p=2``), as the protocol requires.

The whole sitemap costs a fixed number of queries, whatever the number of pages: pages, sections,
listings and themes are each read once, and the listings' dates come from grouped aggregates.
"""

from collections import defaultdict
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from knowledge.listings import ListingScope
from knowledge.models import (
    KNOWLEDGE_TYPES,
    CountrySectionPage,
    HomePage,
    KnowledgeIndexPage,
    Theme,
    ThemeIndexPage,
)
from knowledge.visibility import public_knowledge_pages, visible
from portal.addresses import page_address

from .urls_of_pages import Version, alternates


def _later(*moments):
    """The latest of ``moments``, ignoring ``None``; ``None`` if there is none."""
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def _published(page):
    return page.last_published_at or page.latest_revision_created_at


class ItemDates:
    """When the newest public knowledge item of each listing scope was published.

    Listings span every language, so scopes are language-independent: a country code, a theme slug,
    a knowledge type, the regional section, or everything. A handful of aggregate queries in all.
    """

    def __init__(self):
        published = Coalesce("last_published_at", "latest_revision_created_at")
        pages = public_knowledge_pages()
        self.newest = pages.aggregate(newest=Max(published))["newest"]
        self.by_country = dict(
            pages.filter(countries__isnull=False)
            .values_list("countries__code")
            .annotate(newest=Max(published))
            .order_by()
        )
        self.by_theme = dict(
            pages.filter(themes__isnull=False)
            .values_list("themes__slug")
            .annotate(newest=Max(published))
            .order_by()
        )
        by_content_type = dict(
            pages.values_list("content_type").annotate(newest=Max(published)).order_by()
        )
        content_types = ContentType.objects.get_for_models(*KNOWLEDGE_TYPES.values())
        self.by_type = {
            model.knowledge_type: by_content_type.get(content_type.pk)
            for model, content_type in content_types.items()
        }
        self.regional = (
            ListingScope(regional=True).queryset().aggregate(newest=Max(published))["newest"]
        )


class PortalSitemap(Sitemap):
    """Every live, public page of every language, theme listings included, with alternates.

    ``items()`` returns the finished entries (see the module docstring); ``_urls`` hands Django's
    view one page of them and records ``latest_lastmod`` for its ``Last-Modified`` header.
    """

    def pages(self):
        """Live, public pages under any translation of the site's root page, in tree order."""
        root = self.get_wagtail_site().root_page
        homes = root.get_translations(inclusive=True)
        condition = Q(pk__in=[])
        for home in homes:
            condition |= Page.objects.descendant_of_q(home, inclusive=True)
        return list(
            visible(Page.objects.filter(condition)).select_related("locale").order_by("path")
        )

    def items(self):
        return self.entries

    @cached_property
    def entries(self):
        pages = self.pages()
        urls = {page.pk: page_address(page, self.request) for page in pages}
        dates = ItemDates()
        kinds = _listing_kinds(pages)
        themes = _theme_slugs({page.locale_id for page in pages if page.pk in kinds["themes"]})

        # Each URL with the key its translations share: a page's translation_key, or for a theme
        # listing that of its theme index plus the theme's slug.
        rows = []
        for page in pages:
            url = urls[page.pk]
            if url is None:
                continue
            rows.append((page.translation_key, page, url, _lastmod(page, kinds, dates)))
            if page.pk in kinds["themes"]:
                for slug in themes[page.locale_id]:
                    lastmod = _later(_published(page), dates.by_theme.get(slug))
                    rows.append(
                        (
                            (page.translation_key, slug),
                            page,
                            ThemeIndexPage.theme_path(url, slug),
                            lastmod,
                        )
                    )

        versions = defaultdict(list)
        for key, page, url, _date in rows:
            versions[key].append(Version(page.locale.language_code, url, page.pk))
        return [
            {
                "location": url,
                "lastmod": lastmod,
                "alternates": [
                    {"lang_code": code, "location": href}
                    for code, href in alternates(versions[key])
                ],
            }
            for key, page, url, lastmod in rows
        ]

    def _urls(self, page, protocol, domain):
        urls = list(self.paginator.page(page).object_list)
        last_mods = [url["lastmod"] for url in urls]
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def _listing_kinds(pages):
    """Which of ``pages`` are listings, and what each lists: three queries.

    ``{"home": {pk}, "themes": {pk}, "sections": {pk: country code or None},
    "types": {pk: knowledge type}}``.
    """
    pks = [page.pk for page in pages]
    return {
        "home": set(HomePage.objects.filter(pk__in=pks).values_list("pk", flat=True)),
        "themes": set(ThemeIndexPage.objects.filter(pk__in=pks).values_list("pk", flat=True)),
        "sections": dict(
            CountrySectionPage.objects.filter(pk__in=pks).values_list("pk", "country__code")
        ),
        "types": dict(
            KnowledgeIndexPage.objects.filter(pk__in=pks).values_list("pk", "knowledge_type")
        ),
    }


def _theme_slugs(locale_ids):
    """``{locale_id: [slug, …]}`` of the themes of those locales, by name: one query."""
    slugs = defaultdict(list)
    rows = Theme.objects.filter(locale_id__in=locale_ids).order_by("name")
    for locale_id, slug in rows.values_list("locale_id", "slug"):
        slugs[locale_id].append(slug)
    return slugs


def _lastmod(page, kinds, dates):
    """A page's ``<lastmod>``: its publication, or for a listing the newest item it lists if later."""
    own = _published(page)
    if page.pk in kinds["home"] or page.pk in kinds["themes"]:
        return _later(own, dates.newest)
    if page.pk in kinds["sections"]:
        code = kinds["sections"][page.pk]
        return _later(own, dates.by_country.get(code) if code else dates.regional)
    if page.pk in kinds["types"]:
        return _later(own, dates.by_type.get(kinds["types"][page.pk]))
    return own
