"""Reader-facing filters shared by listings and search: type, country, theme, GCM objective, year,
language, tag.

Query parameters may repeat (``?country=ML&country=NE``): values of one dimension are ORed, the
dimensions are ANDed. Values are validated; an unknown value is an error the page reports (HTTP 400).
"""

import re
from dataclasses import dataclass, fields, replace

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from knowledge.models.knowledge_pages import KNOWLEDGE_TYPES, MAX_YEAR, MIN_YEAR, KnowledgePage
from knowledge.models.objectives import GCM_OBJECTIVES, KnowledgePageObjective
from knowledge.models.tags import TaggedKnowledgePage
from knowledge.models.taxonomy import Country, Theme

#: Query parameter of each filter dimension, in the order facets are shown.
DIMENSIONS = ("type", "country", "theme", "objective", "year", "language", "tag")
_TAG_SLUG = re.compile(r"[-\w]{1,100}")
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class KnowledgeFilters:
    """Selected values per dimension; an empty tuple means "any"."""

    type: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    objective: tuple[int, ...] = ()
    year: tuple[int, ...] = ()
    language: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()

    def without(self, dimension):
        """The same filters with ``dimension`` cleared (used for that dimension's facet counts)."""
        return replace(self, **{dimension: ()})

    def is_empty(self):
        return not any(getattr(self, field.name) for field in fields(self))


class _OpenMultipleChoiceField(forms.MultipleChoiceField):
    """Several values matching ``pattern``, no fixed list of choices; ``item_schema`` is the JSON
    Schema each value meets (the API's OpenAPI description reads it)."""

    def __init__(self, *, pattern, item_schema, **kwargs):
        self.pattern = pattern
        self.item_schema = item_schema
        super().__init__(**kwargs)

    def valid_value(self, value):
        return bool(self.pattern.fullmatch(value))


class KnowledgeFilterForm(forms.Form):
    """Validates filter query parameters; ``filters()`` returns them as ``KnowledgeFilters``."""

    # help_text: the parameter's description in the API's OpenAPI schema.
    type = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        choices=[(key, key) for key in KNOWLEDGE_TYPES],
        help_text="Item type.",
    )
    # Countries and themes are the database's: their choices are read when a form is made, and
    # item_schema describes them without reading it.
    country = forms.MultipleChoiceField(
        label=_("Country"),
        required=False,
        help_text="ISO 3166-1 alpha-2 code of a partner country, e.g. ML.",
    )
    country.item_schema = {"type": "string", "pattern": "^[A-Za-z]{2}$"}
    theme = forms.MultipleChoiceField(
        label=_("Theme"),
        required=False,
        help_text="Theme slug, e.g. protection (see /api/v1/themes/).",
    )
    theme.item_schema = {"type": "string", "minLength": 1}
    objective = forms.TypedMultipleChoiceField(
        label=_("GCM objective"),
        required=False,
        coerce=int,
        choices=[(str(number), str(number)) for number in GCM_OBJECTIVES],
        help_text="Number of an objective of the Global Compact for Migration (1-23) that items "
        "serve through their themes and keywords (see /vocabulary/).",
    )
    objective.item_schema = {
        "type": "integer",
        "minimum": GCM_OBJECTIVES[0],
        "maximum": GCM_OBJECTIVES[-1],
    }
    year = _OpenMultipleChoiceField(
        label=_("Year"),
        required=False,
        pattern=_YEAR,
        item_schema={"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
        help_text="Publication year.",
    )
    language = forms.MultipleChoiceField(
        label=_("Language"),
        required=False,
        choices=settings.LANGUAGES,
        help_text="Item language. Selecting one or more lists every version in them; without it, "
        "each item appears once, in prefer_language when it has that version.",
    )
    tag = _OpenMultipleChoiceField(
        label=_("Keyword"),
        required=False,
        pattern=_TAG_SLUG,
        item_schema={"type": "string", "minLength": 1, "maxLength": 100},
        help_text="Keyword slug, e.g. border; an unknown keyword gives no items.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = Country.objects.order_by("code").values_list("code", flat=True).distinct()
        slugs = Theme.objects.order_by("slug").values_list("slug", flat=True).distinct()
        self.fields["country"].choices = [(c, c) for code in codes for c in (code, code.lower())]
        self.fields["theme"].choices = [(slug, slug) for slug in slugs]

    def clean_country(self):
        return [code.upper() for code in self.cleaned_data["country"]]

    def clean_tag(self):
        return [slug.lower() for slug in self.cleaned_data["tag"]]

    def clean_year(self):
        years = [int(year) for year in self.cleaned_data["year"]]
        for year in years:
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise forms.ValidationError(
                    _("%(year)s is not a year between %(min)s and %(max)s.")
                    % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
                )
        return years

    def filters(self):
        """The validated filters; call only after ``is_valid()`` returned True."""
        return KnowledgeFilters(**{name: tuple(self.cleaned_data[name]) for name in DIMENSIONS})

    def error_messages(self):
        """One readable message per invalid parameter, e.g. 'Country: Select a valid choice...'.

        Control characters a reader sent (such as NUL) are shown as U+FFFD, never echoed raw.
        """
        messages = []
        for name, errors in self.errors.items():
            text = " ".join(errors)
            if name in self.fields:
                text = f"{self.fields[name].label}: {text}"
            messages.append(printable(text))
        return messages


#: C0 controls (but tab and newlines), DEL, and the bidirectional embeddings, overrides and
#: isolates (U+202A-U+202E, U+2066-U+2069), which reorder the text after them on screen
#: (Unicode TR9; the "Trojan Source" attack, CVE-2021-42574).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def printable(text):
    """``text`` with control and bidirectional-override characters replaced by U+FFFD, safe to
    show back to a reader."""
    return _UNPRINTABLE.sub("\ufffd", text)


def validate_printable(text):
    """Django validator: refuse ``text`` holding a control or bidirectional-override character
    (``printable`` would replace), which could reorder what readers see after it.

    Raises ``ValidationError``."""
    if _UNPRINTABLE.search(text or ""):
        raise forms.ValidationError(
            _("Remove the control or text-direction characters (often pasted unseen)."),
            code="unprintable",
        )


def apply_filters(queryset, filters):
    """Restrict a ``KnowledgePage`` queryset to ``filters``.

    Many-to-many dimensions filter through ``pk__in`` subqueries so a page matching two selected
    countries still appears once.
    """
    if filters.type:
        content_types = ContentType.objects.get_for_models(
            *(KNOWLEDGE_TYPES[key] for key in filters.type)
        ).values()
        queryset = queryset.filter(content_type__in=list(content_types))
    if filters.country:
        through = KnowledgePage.countries.through.objects
        ids = through.filter(country__code__in=filters.country).values("knowledgepage_id")
        queryset = queryset.filter(pk__in=ids)
    if filters.theme:
        through = KnowledgePage.themes.through.objects
        ids = through.filter(theme__slug__in=filters.theme).values("knowledgepage_id")
        queryset = queryset.filter(pk__in=ids)
    if filters.objective:
        ids = KnowledgePageObjective.objects.filter(number__in=filters.objective).values("page_id")
        queryset = queryset.filter(pk__in=ids)
    if filters.year:
        queryset = queryset.filter(publication_date__year__in=filters.year)
    if filters.language:
        queryset = queryset.filter(locale__language_code__in=filters.language)
    if filters.tag:
        ids = TaggedKnowledgePage.objects.filter(tag__slug__in=filters.tag).values(
            "content_object_id"
        )
        queryset = queryset.filter(pk__in=ids)
    return queryset
