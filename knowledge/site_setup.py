"""Create what every installation needs: locales, taxonomy and each language's page tree.

Every function is idempotent: it creates what is missing and leaves what exists alone.
"""

import logging

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, Site

from knowledge.models import (
    Country,
    CountrySectionPage,
    HomePage,
    KnowledgeIndexPage,
    Theme,
    ThemeIndexPage,
    country_name,
)
from knowledge.vocabulary import (
    LISTING_TYPES,
    PARTNER_COUNTRIES,
    SITE_PAGE_TITLES,
    THEMES,
    section_slug,
)

logger = logging.getLogger(__name__)


def language_codes():
    """Language codes of the portal, default language first: ['en', 'fr', 'ar', 'es']."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def ensure_locales():
    """One Wagtail ``Locale`` per configured language; returns ``{code: Locale}``."""
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in language_codes()}


def ensure_taxonomy(locales):
    """The partner countries and the themes in every locale, sharing one translation key per item."""
    default, *others = language_codes()
    for code in PARTNER_COUNTRIES:
        original = _ensure_country(code, locales[default], translation_key=None)
        for language in others:
            _ensure_country(code, locales[language], original.translation_key)
    for slug, texts in THEMES.items():
        original = _ensure_theme(slug, texts[default], locales[default], translation_key=None)
        for language in others:
            _ensure_theme(slug, texts[language], locales[language], original.translation_key)


def _ensure_country(code, locale, translation_key):
    country = Country.objects.filter(code=code, locale=locale).first()
    if country:
        return country
    fields = {"code": code, "locale": locale, "name": country_name(code, locale.language_code)}
    if translation_key:
        fields["translation_key"] = translation_key
    return Country.objects.create(**fields)


def _ensure_theme(slug, texts, locale, translation_key):
    theme = Theme.objects.filter(slug=slug, locale=locale).first()
    if theme:
        return theme
    name, description = texts
    fields = {"slug": slug, "locale": locale, "name": name, "description": description}
    if translation_key:
        fields["translation_key"] = translation_key
    return Theme.objects.create(**fields)


def ensure_site_tree(locales):
    """Home, country sections, type listings and the theme index in every locale.

    The default site's root becomes the default-language home page (replacing Wagtail's welcome
    page); other languages' homes are its translations, served under their language prefix.
    """
    default, *others = language_codes()
    home = _ensure_default_home(locales[default])
    children = _ensure_children(home, default)
    for language in others:
        _ensure_translation(home, locales[language], _title("home", language))
        for page in children:
            title = _child_title(page, language)
            extra = _localised_fields(page, locales[language])
            _ensure_translation(page, locales[language], title, **extra)
    return home


def _title(slug, language):
    return SITE_PAGE_TITLES[slug][language]


def _ensure_default_home(locale):
    home = HomePage.objects.filter(locale=locale, depth=2).first()
    site = Site.objects.filter(is_default_site=True).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title=_title("home", locale.language_code), slug="compass", locale=locale
            )
        )
        home.save_revision().publish()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        welcome = site.root_page
        site.root_page = home
        site.save()
        if not isinstance(welcome.specific, HomePage) and not welcome.get_children().exists():
            welcome.delete()
    return home


def _ensure_children(home, language):
    """Sections, listings and theme index under ``home``, found by what they are, not by slug,
    so pages editors renamed or moved are kept rather than duplicated."""
    pages = []
    for code in PARTNER_COUNTRIES:
        country = Country.objects.get(code=code, locale=home.locale)
        slug = section_slug(country_name(code, "en"))
        pages.append(_ensure_child(home, CountrySectionPage, slug, country.name, country=country))
    regional_title = _title("regional-and-global", language)
    pages.append(
        _ensure_child(home, CountrySectionPage, "regional-and-global", regional_title, country=None)
    )
    for slug, knowledge_type in LISTING_TYPES.items():
        title = _title(slug, language)
        pages.append(
            _ensure_child(home, KnowledgeIndexPage, slug, title, knowledge_type=knowledge_type)
        )
    pages.append(_ensure_child(home, ThemeIndexPage, "themes", _title("themes", language)))
    return pages


def _ensure_child(parent, model, slug, title, **identity):
    """The child of ``parent`` of type ``model`` with the ``identity`` fields, created if missing."""
    existing = model.objects.child_of(parent).filter(**identity).first()
    if existing:
        return existing
    page = model(title=title, slug=find_available_slug(parent, slug), **identity)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _child_title(page, language):
    if isinstance(page, CountrySectionPage):
        if page.country_id:
            return country_name(page.country.code, language)
        return _title("regional-and-global", language)
    if isinstance(page, KnowledgeIndexPage):
        slug = next(slug for slug, key in LISTING_TYPES.items() if key == page.knowledge_type)
        return _title(slug, language)
    return _title("themes", language)


def _localised_fields(page, locale):
    if isinstance(page, CountrySectionPage) and page.country_id:
        return {"country": Country.objects.get(code=page.country.code, locale=locale)}
    return {}


def _ensure_translation(page, locale, title, **fields):
    """``page``'s translation into ``locale`` (created under the parent's translation if missing)."""
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific
    with transaction.atomic():
        translated = page.copy_for_translation(locale).specific
        translated.title = title
        for name, value in fields.items():
            setattr(translated, name, value)
        translated.save_revision().publish()
    logger.debug("Created %s (%s)", translated.title, locale.language_code)
    return translated


def set_up_portal():
    """Locales, taxonomy and page trees, as ``manage.py setup_portal`` runs them."""
    with transaction.atomic():
        locales = ensure_locales()
        ensure_taxonomy(locales)
        return ensure_site_tree(locales)
