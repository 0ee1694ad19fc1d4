"""Template tags for the public pages: language switcher, navigation, names in the reader's language."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from knowledge.models import Country, HomePage, KnowledgeIndexPage, Theme, ThemeIndexPage
from knowledge.objectives import objective_label, objective_names
from knowledge.visibility import translations_of, visible

register = template.Library()


def _home_for(language_code):
    # A home page is a child of the tree's root (depth 2): the depth lets the database find it
    # among the few pages at that depth (an index, see migration 0007), not among every page of
    # its language.
    homes = HomePage.objects.filter(depth=2, locale__language_code=language_code)
    return visible(homes).first()


def _place_within(page, request):
    """What the reader's URL adds to ``page``'s own: a routed sub-path and the query string."""
    if request is None:
        return ""
    page_path = page.get_url(request) or ""
    suffix = request.path[len(page_path) :] if request.path.startswith(page_path) else ""
    query = request.META.get("QUERY_STRING", "")
    return suffix + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def language_links(context):
    """``[{code, name, url, current}]``: where the reader is, in each language.

    A page links to its live, public translation (keeping a routed sub-path such as a theme and the
    filters), a view such as search to the same URL under the other prefix, and anything without a
    translation to that language's home page.
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
        else:
            home = _home_for(code)
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
    home = _home_for(translation.get_language()) or _home_for(settings.LANGUAGE_CODE)
    if home is None:
        return {"home": None, "items": []}
    listings = visible(KnowledgeIndexPage.objects.child_of(home))
    themes = visible(ThemeIndexPage.objects.child_of(home))
    return {"home": home, "items": list(listings) + list(themes)}


@register.filter
def language_name(code):
    """Name of a language code in the active language, e.g. 'fr' -> 'French'."""
    return str(dict(settings.LANGUAGES).get(code, code))


@register.filter
def language_direction(code):
    """'rtl' for a right-to-left language code such as 'ar', else 'ltr'."""
    return "rtl" if translation.get_language_info(code)["bidi"] else "ltr"


@register.simple_tag(takes_context=True)
def reader_name(context, term):
    """Name of a ``Country`` or ``Theme`` in the reader's language (falls back to the term's own).

    Loads every country and theme of the reader's language once per request (two queries), so a
    listing of any length shows its chips without further queries.
    """
    request = context.get("request")
    language = translation.get_language()
    cache = getattr(request, "_reader_taxonomy", None)
    if cache is None or cache[0] != language:
        names = {
            **{("country", c): n for c, n in _names(Country, "code", language)},
            **{("theme", s): n for s, n in _names(Theme, "slug", language)},
        }
        cache = (language, names)
        if request is not None:
            request._reader_taxonomy = cache
    key = ("country", term.code) if isinstance(term, Country) else ("theme", term.slug)
    return cache[1].get(key, str(term))


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
