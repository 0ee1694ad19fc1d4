"""Template tags for the public pages: language switcher, navigation, names in the reader's language."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page

from knowledge.models import (
    Country,
    CountrySectionPage,
    KnowledgeIndexPage,
    KnowledgePage,
    Theme,
    ThemeIndexPage,
)
from knowledge.navigation import home_for
from knowledge.objectives import objective_label, objective_names
from knowledge.visibility import translations_of, visible
from portal import dates

register = template.Library()


def _place_within(page, request):
    """What the reader's URL adds to ``page``'s own: a routed sub-path and the query string."""
    if request is None:
        return ""
    page_path = page.get_url(request) or ""
    suffix = request.path[len(page_path) :] if request.path.startswith(page_path) else ""
    query = request.META.get("QUERY_STRING", "")
    return suffix + (f"?{query}" if query else "")


def _is_visible_version(translations, page):
    """Whether ``page`` is among its own visible versions (``translations``: {code: version})."""
    return any(version.pk == page.pk for version in translations.values())


def _is_item(page):
    return isinstance(page.specific_deferred, KnowledgePage)


@register.simple_tag(takes_context=True)
def language_links(context):
    """``[{code, name, url, current}]``: where the reader is, in each language.

    A page links to its live, public translation (keeping a routed sub-path such as a theme and the
    filters), a view such as search to the same URL under the other prefix, a knowledge item
    without a translation to the page that says so in that language (``untranslated``), and any
    other page without one to that language's home page.
    """
    request = context.get("request")
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    translations = {}
    if page is not None:
        versions = translations_of([page])[page.translation_key]
        translations = {version.locale.language_code: version for version in versions}
    place = _place_within(page, request) if page is not None else ""
    links = []
    for code, _name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request) + place
        elif page is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        elif page is not None and _is_visible_version(translations, page) and _is_item(page):
            with translation.override(code):
                url = reverse("untranslated", args=[page.pk])
        else:
            home = home_for(code)
            url = home.get_url(request) if home else f"/{code}/"
        links.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": url,
                "current": code == translation.get_language(),
            }
        )
    return links


@register.simple_tag(takes_context=True)
def portal_navigation(context):
    """Home, type listings and themes of the reader's language, for the header."""
    home = home_for(translation.get_language()) or home_for(settings.LANGUAGE_CODE)
    if home is None:
        return {"home": None, "items": []}
    listings = visible(KnowledgeIndexPage.objects.child_of(home))
    themes = visible(ThemeIndexPage.objects.child_of(home))
    return {"home": home, "items": list(listings) + list(themes)}


@register.simple_tag(takes_context=True)
def breadcrumbs(context, within=None):
    """``{"language": code or "", "links": [(label, url)]}``: the way down to the context's page,
    the page itself left out: its language's home ("Home"), then each public ancestor below it; a
    theme's listing adds its theme index. No links on a home page or a view that is not a page.

    With ``within`` (a page the view shows part of, e.g. a lesson's report), the way down to that
    page, itself included. ``language`` is the tree's language when it is not the reader's (the
    links are named in it, and marked ``lang`` for screen readers).
    """
    page = within or context.get("page")
    if not isinstance(page, Page) or page.depth <= 2 or page.pk is None:
        return {"language": "", "links": []}
    request = context.get("request")
    language = page.locale.language_code
    ancestors = visible(
        Page.objects.ancestor_of(page, inclusive=within is not None).filter(depth__gte=2)
    ).order_by("depth")
    with translation.override(language):
        home = gettext("Home")
    links = [
        (home if ancestor.depth == 2 else ancestor.title, ancestor.get_url(request))
        for ancestor in ancestors
    ]
    if isinstance(context.get("theme"), Theme):
        links.append((page.title, page.get_url(request)))
    return {
        "language": "" if language == translation.get_language() else language,
        "links": links,
    }


@register.simple_tag
def other_languages(page, translations):
    """``[(code, version or None)]``: each portal language but ``page``'s, in the settings' order,
    with its version among ``translations`` (the page's live, public ones) when there is one."""
    by_language = {version.locale.language_code: version for version in translations}
    own = page.locale.language_code
    return [(code, by_language.get(code)) for code, _name in settings.LANGUAGES if code != own]


register.filter("long_date", dates.long_date)
register.filter("month_year", dates.month_year)


@register.filter
def language_name(code):
    """Name of a language code in the active language, e.g. 'fr' -> 'French'."""
    return str(dict(settings.LANGUAGES).get(code, code))


@register.filter
def language_direction(code):
    """'rtl' for a right-to-left language code such as 'ar', else 'ltr'."""
    return "rtl" if translation.get_language_info(code)["bidi"] else "ltr"


@dataclass(frozen=True)
class ReaderTerm:
    """A country or theme as the reader sees it: its ``name`` in the reader's language and the
    ``url`` of its listing there (its country section, its theme page), or "" when none is public."""

    name: str
    url: str


@register.simple_tag(takes_context=True)
def reader_term(context, term):
    """``ReaderTerm`` of a ``Country`` or ``Theme`` (falls back to the term's own name, no link).

    Loads the countries, themes, country sections and theme index of the reader's language once per
    request (four queries), so a listing of any length links its chips without further queries.
    """
    request = context.get("request")
    language = translation.get_language()
    cache = getattr(request, "_reader_taxonomy", None)
    if cache is None or cache[0] != language:
        cache = (language, _reader_taxonomy(request, language))
        if request is not None:
            request._reader_taxonomy = cache
    key = ("country", term.code) if isinstance(term, Country) else ("theme", term.slug)
    return cache[1].get(key) or ReaderTerm(str(term), "")


@register.simple_tag(takes_context=True)
def reader_name(context, term):
    """Name of a ``Country`` or ``Theme`` in the reader's language (see ``reader_term``)."""
    return reader_term(context, term).name


def _reader_taxonomy(request, language):
    """``{("country", code) | ("theme", slug): ReaderTerm}`` in ``language``."""
    sections = visible(
        CountrySectionPage.objects.filter(locale__language_code=language, country__isnull=False)
    ).select_related("country")
    section_urls = {section.country.code: section.get_url(request) for section in sections}
    theme_index = visible(ThemeIndexPage.objects.filter(locale__language_code=language)).first()
    theme_index_url = theme_index.get_url(request) if theme_index else None
    terms = {}
    for code, name in _names(Country, "code", language):
        terms["country", code] = ReaderTerm(name, section_urls.get(code) or "")
    for slug, name in _names(Theme, "slug", language):
        url = ThemeIndexPage.theme_path(theme_index_url, slug) if theme_index_url else ""
        terms["theme", slug] = ReaderTerm(name, url)
    return terms


def _names(model, key_field, language):
    return model.objects.filter(locale__language_code=language).values_list(key_field, "name")


@dataclass(frozen=True)
class ServedObjective:
    """A GCM objective a page serves, as its reader sees it: ``number``, ``label`` and the
    label's ``language`` when it is not the reader's (else "")."""

    number: int
    label: str
    language: str


@register.simple_tag
def objectives_served(page):
    """``[ServedObjective]`` of ``page``, by number, named in the interface language; none for
    a page not saved yet (a preview of a new page)."""
    if page.pk is None:
        return []
    numbers = sorted(link.number for link in page.objective_links.all())
    if not numbers:
        return []
    names = objective_names(translation.get_language())
    return [ServedObjective(number, *objective_label(names, number)) for number in numbers]
