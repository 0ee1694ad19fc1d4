"""What ``templates/seo/head.html`` puts in every public page's ``<head>``.

``head_metadata(context)`` returns a ``HeadMetadata``: the canonical URL, the ``hreflang``
alternates, a robots directive, a description, the Open Graph properties (https://ogp.me) and
Twitter card fields (https://developer.x.com/en/docs/x-for-websites/cards/overview/markup) as
``(name, content)`` pairs in output order, and for knowledge pages the schema.org JSON-LD (see
``seo.schema``). Every URL is absolute.

A Wagtail page (``page`` in the context) gets all of it; a theme's listing (``theme`` in the context,
served by the theme index) is described as itself, with the theme index's translations that have the
same theme; the search page is marked ``noindex, follow``; any other view gets nothing but that.
"""

from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page

from knowledge.models import KnowledgePage, Theme, ThemeIndexPage
from knowledge.visibility import attachments_shown_on, translations_of
from portal.addresses import absolute, page_address

from .lessons import lesson_json_ld
from .schema import json_ld_script, knowledge_json_ld
from .urls_of_pages import Version, alternates

#: Open Graph locales (``language_TERRITORY``) of the portal's languages, as Facebook knows them.
OG_LOCALES = {"en": "en_GB", "fr": "fr_FR", "ar": "ar_AR", "es": "es_ES"}
#: Views whose pages search engines may follow but should not index.
NOINDEX_VIEWS = {"search", "untranslated"}
#: Size of the cover image shared on social networks (Open Graph's recommended 1.91:1).
SHARE_IMAGE_SPEC = "fill-1200x630"


@dataclass
class HeadMetadata:
    canonical: str = ""
    alternates: list = field(default_factory=list)
    robots: str = ""
    description: str = ""
    open_graph: list = field(default_factory=list)
    twitter: list = field(default_factory=list)
    json_ld: str = ""


def og_locale(language):
    """Open Graph locale of a language code, e.g. ``fr`` -> ``fr_FR``."""
    return OG_LOCALES.get(language, language)


def head_metadata(context):
    """The ``HeadMetadata`` of the page being rendered with ``context`` (a template context)."""
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return HeadMetadata()
    if context.get("lesson") is not None and page is None:
        return _lesson_head(request, context["lesson"])
    match = getattr(request, "resolver_match", None)
    robots = "noindex, follow" if match and match.url_name in NOINDEX_VIEWS else ""
    if not isinstance(page, Page) or page.pk is None:
        # A view that is not a page may say what it shows (``meta_description`` in its context).
        return HeadMetadata(robots=robots, description=str(context.get("meta_description", "")))
    page = page.specific
    own_url = page_address(page, request)
    if own_url is None:
        return HeadMetadata(robots=robots)
    theme = context.get("theme") if isinstance(context.get("theme"), Theme) else None
    suffix = _routed_suffix(page.get_url(request), request.path) if theme is None else ""
    current_url = ThemeIndexPage.theme_path(own_url, theme.slug) if theme else own_url + suffix
    canonical = _canonical(request, current_url)

    is_item = isinstance(page, KnowledgePage)
    if is_item:
        # The page's template reads these too: prefetched once, they cost it nothing more.
        prefetch_related_objects([page], "themes", "countries", "tags")
    versions = _versions(request, page, theme, suffix, context)
    languages = [version.language for version in versions]
    language = page.locale.language_code
    title, description = _title_and_description(page, theme)
    with translation.override(language):
        site_name = gettext("COMPASS Knowledge Portal")
    image = _share_image(request, page)

    open_graph = [
        ("og:site_name", site_name),
        ("og:type", "article" if is_item else "website"),
        ("og:title", title),
        ("og:description", description),
        ("og:url", canonical),
        ("og:locale", og_locale(language)),
        *[("og:locale:alternate", og_locale(code)) for code in languages if code != language],
    ]
    twitter = [("twitter:card", "summary"), ("twitter:title", title)]
    twitter += [("twitter:description", description)] if description else []
    if image:
        open_graph += [
            ("og:image", image["url"]),
            ("og:image:width", image["width"]),
            ("og:image:height", image["height"]),
            ("og:image:alt", image["alt"]),
        ]
        twitter += [("twitter:image", image["url"]), ("twitter:image:alt", image["alt"])]

    json_ld = ""
    if is_item:
        open_graph += _article_properties(page)
        json_ld = json_ld_script(_item_json_ld(request, page, canonical, context, image))

    return HeadMetadata(
        canonical=canonical,
        # A draft's preview or a private page has no public versions to point to.
        alternates=alternates(versions) if any(v.pk == page.pk for v in versions) else [],
        robots=robots,
        # base.html writes the editor's search description itself.
        description="" if page.search_description else description,
        open_graph=[(name, value) for name, value in open_graph if value not in ("", None)],
        twitter=twitter,
        json_ld=json_ld,
    )


def _lesson_head(request, lesson):
    """A lesson's page (``lessons.views.lesson_view``): canonical URL, Open Graph and JSON-LD."""
    url = absolute(reverse("lesson", args=[lesson.record.pk]), request)
    language = lesson.page.locale.language_code
    return HeadMetadata(
        canonical=url,
        open_graph=[
            ("og:type", "article"),
            ("og:title", lesson.statement),
            ("og:url", url),
            ("og:locale", og_locale(language)),
        ],
        twitter=[("twitter:card", "summary"), ("twitter:title", lesson.statement)],
        json_ld=json_ld_script(lesson_json_ld(request, lesson, url)),
    )


def _routed_suffix(page_path, request_path):
    """What a routed view adds to the page's path, e.g. a theme's slug; '' elsewhere (previews)."""
    if page_path and request_path.startswith(page_path):
        return request_path[len(page_path) :]
    return ""


def _canonical(request, url):
    """``url`` with the listing's page number when past the first, so each page of results stays
    its own (Google's advice for paginated listings); other query parameters are dropped."""
    number = request.GET.get("page", "")
    if number.isascii() and number.isdigit() and int(number) > 1:
        return f"{url}?page={int(number)}"
    return url


def _versions(request, page, theme, suffix, context):
    """The live, public language versions of ``page`` (itself included) as ``Version``s.

    For a theme's listing, only theme indexes whose language has that theme. A knowledge page's
    context already holds its other live, public versions (``translations``), which its template
    lists too; the page itself counts when it is live (crawlers see only public pages).
    """
    translations = context.get("translations")
    if isinstance(page, KnowledgePage) and translations is not None:
        pages = ([page] if page.live else []) + list(translations)
    else:
        pages = translations_of([page])[page.translation_key]
        if theme is not None:
            with_theme = set(
                Theme.objects.filter(slug=theme.slug).values_list("locale_id", flat=True)
            )
            pages = [version for version in pages if version.locale_id in with_theme]
    versions = []
    for version in pages:
        url = page_address(version, request)
        if url:
            url = ThemeIndexPage.theme_path(url, theme.slug) if theme else url + suffix
            versions.append(Version(version.locale.language_code, url, version.pk))
    return versions


def _title_and_description(page, theme):
    if theme is not None:
        return theme.name, theme.description
    title = page.seo_title or page.title
    description = (
        page.search_description
        or getattr(page, "summary", "")
        or getattr(page, "lead", "")
        or getattr(page, "intro", "")
        or ""
    )
    return title, " ".join(description.split())


def _share_image(request, page):
    """``{url, width, height, alt}`` of the page's cover image at sharing size, or ``None``."""
    image = getattr(page, "cover_image", None)
    if image is None:
        return None
    rendition = image.get_rendition(SHARE_IMAGE_SPEC)
    return {
        "url": absolute(rendition.url, request),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text,
    }


def _article_properties(page):
    """Open Graph ``article:*`` properties of a knowledge page (https://ogp.me/#type_article)."""
    modified = page.last_published_at or page.latest_revision_created_at
    properties = [("article:published_time", page.publication_date.isoformat())]
    if modified:
        properties.append(("article:modified_time", modified.isoformat()))
    properties += [("article:tag", tag.name) for tag in page.tags.all()]
    return properties


def _item_json_ld(request, page, canonical, context, image):
    attachments = context.get("attachments")
    if attachments is None:
        attachments = attachments_shown_on(page)
    return knowledge_json_ld(
        request,
        page,
        url=canonical.split("?")[0],
        home_url=_home_url(request, page.locale.language_code),
        attachments=attachments,
        image_url=image["url"] if image else None,
    )


def _home_url(request, language):
    """Absolute URL of the home page of ``language`` (the site root's, e.g. ``/fr/``), without a
    query: Wagtail serves the root page at the language prefix."""
    with translation.override(language):
        return absolute(reverse("wagtail_serve", args=[""]), request)
