"""Taxonomy snippets: partner countries and themes, translatable per Wagtail locale.

Each locale holds its own row of a country or theme; the rows share a ``translation_key`` and the
language-independent ``code`` (countries) or ``slug`` (themes) that URLs and filters use.
"""

import gettext
from contextlib import suppress
from functools import lru_cache

import babel
import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index


@lru_cache(maxsize=8)
def _iso3166_catalogue(language_code):
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language_code], fallback=True
    )


def country_name(code, language_code):
    """Return the name of an ISO 3166-1 alpha-2 ``code`` in ``language_code`` (e.g. 'fr').

    Names come from the Unicode CLDR (through Babel), which writes them as each language does
    ("Túnez", "Níger" in Spanish); pycountry's ISO 3166-1 data and Debian's iso-codes translations
    name a code CLDR lacks. Raises ``LookupError`` for a code that ISO 3166-1 does not define.
    """
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        raise LookupError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
    with suppress(babel.UnknownLocaleError, ValueError):
        cldr_name = babel.Locale.parse(language_code).territories.get(code.upper())
        if cldr_name:
            return cldr_name
    english = getattr(country, "common_name", None) or country.name
    return _iso3166_catalogue(language_code).gettext(english)


class CountryForm(WagtailAdminModelForm):
    """The country snippet's form: the ISO code is fixed once the country exists, because country
    sections, team groups and URLs are keyed on it; renaming stays possible."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            self.fields["code"].disabled = True


class Country(TranslatableMixin, index.Indexed, models.Model):
    """A country knowledge is tagged with, identified by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        help_text=_("Two-letter ISO 3166-1 code, e.g. ML for Mali. Used in URLs and filters."),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("Name shown to readers in this language. Left empty, the ISO name is used."),
    )

    panels = [FieldPanel("code"), FieldPanel("name")]
    base_form_class = CountryForm
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.AutocompleteField("code"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "locale"], name="unique_country_code_per_locale"
            )
        ]

    def __str__(self):
        return self.name or self.code

    def clean(self):
        self.code = (self.code or "").upper()
        try:
            default_name = country_name(self.code, self._language_code())
        except LookupError as error:
            message = _("%(code)s is not an ISO 3166-1 alpha-2 code.") % {"code": self.code}
            raise ValidationError({"code": message}) from error
        if not self.name:
            self.name = default_name
        _refuse_duplicate_in_locale(
            self, "code", _("%(value)s is already a country in this language.")
        )

    def _language_code(self):
        return self.locale.language_code if self.locale_id else "en"


class Theme(TranslatableMixin, index.Indexed, models.Model):
    """A theme of the programme's managed vocabulary, e.g. counter-trafficking."""

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Name shown to readers in this language, in filters and on the theme page."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Same in every language, e.g. counter-trafficking. Used in URLs and filters."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("One or two sentences shown on the theme page so readers know what it covers."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("slug"),
        index.AutocompleteField("slug"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_theme_slug_per_locale")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        _refuse_duplicate_in_locale(
            self, "slug", _("“%(value)s” is already the slug of a theme in this language.")
        )


def _refuse_duplicate_in_locale(instance, field, message):
    """Raise ``ValidationError`` on ``field`` when another row of the same locale has its value.

    The database's unique constraint pairs the field with ``locale``, which the admin form does not
    show, so Django's form validation skips the constraint; this check gives the editor a message
    where the database would give an integrity error.
    """
    if not instance.locale_id:
        return
    value = getattr(instance, field)
    duplicates = type(instance).objects.filter(locale_id=instance.locale_id, **{field: value})
    if duplicates.exclude(pk=instance.pk).exists():
        raise ValidationError({field: message % {"value": value}})


def term_names(language, countries=(), themes=()):
    """``({country code: name}, {theme slug: name})``: the names readers see for these countries
    and themes in ``language`` (a query per kind asked for).

    The one fallback, used wherever a term is named (facets, feed titles, digests): the term's own
    name in ``language``; else, for a country, its ISO 3166-1 name in ``language``
    (``country_name``); else its name in the site's default language, then in any language;
    else its code or slug. So a term is always named, never dropped.
    """
    found_countries = _ranked_names(Country, "code", countries, language)
    found_themes = _ranked_names(Theme, "slug", themes, language)
    return (
        {code: _country_label(code, found_countries.get(code), language) for code in countries},
        {slug: found_themes.get(slug, (None, slug))[1] for slug in themes},
    )


def _country_label(code, found, language):
    if found and found[0] == 0:
        return found[1]
    with suppress(LookupError):
        return country_name(code, language)
    return found[1] if found else code


def _ranked_names(model, key, values, language):
    """``{value: (rank, name)}``: the row of ``language`` (rank 0), else of the default language
    (1), else of any (2)."""
    rank = {language: 0, settings.LANGUAGE_CODE: 1}
    found = {}
    if values:
        rows = model.objects.filter(**{f"{key}__in": list(values)}).exclude(name="")
        for value, code, name in rows.values_list(key, "locale__language_code", "name"):
            candidate = (rank.get(code, 2), name)
            if value not in found or candidate < found[value]:
                found[value] = candidate
    return found
