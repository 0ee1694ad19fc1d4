"""The search form: free text and sort on top of the shared knowledge filters."""

import re

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from knowledge.filters import KnowledgeFilterForm
from search.query import (
    SORT_ALIASES,
    SORT_NEWEST,
    SORT_RELEVANCE,
    SORTS,
    TEXT_SORTS,
    KnowledgeQuery,
    searchable_text,
    split_query,
)

MAX_QUERY_LENGTH = 500


class QueryTextField(forms.CharField):
    """A reader's free search text ``q``, the same on the search page, feeds, the API and
    subscriptions: at most 500 characters, cleaned to ``searchable_text`` (may be empty).

    Text that holds no word to search for (``*``, ``&``, ``(((``) is refused with a message: read
    as no text, it would list every item as if it matched.
    """

    def __init__(self, **kwargs):
        kwargs = {"label": _("Search"), "required": False, "max_length": MAX_QUERY_LENGTH} | kwargs
        super().__init__(strip=True, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        searchable = searchable_text(text)
        if text and split_query(searchable).is_empty():
            raise forms.ValidationError(
                _("Type at least one word or number to search for."), code="no_words"
            )
        return searchable


class _DateField(forms.DateField):
    """A date written YYYY-MM-DD, nothing else (``strptime`` alone would take 2024-5-1)."""

    def __init__(self, **kwargs):
        message = _("Give a date as YYYY-MM-DD, e.g. 2024-05-31.")
        super().__init__(
            required=False,
            input_formats=["%Y-%m-%d"],
            error_messages={"invalid": message},
            **kwargs,
        )

    def to_python(self, value):
        if value and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def _sort_message():
    return _("Sort by one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)}


class KnowledgeQueryForm(KnowledgeFilterForm):
    """The one form of a reader's query (``KnowledgeQuery``), for the search page, feeds,
    subscriptions and the API: ``q`` (``QueryTextField``), ``sort`` (a key of ``SORTS``, or an
    older spelling of one), a publication date range and the filter dimensions.

    Free text takes only ``TEXT_SORTS`` and no date range (filter by year instead); an empty
    ``sort`` means relevance with text, newest first without. Call ``knowledge_query()`` once
    ``is_valid()``.
    """

    # help_text: the parameter's description in the API's OpenAPI schema.
    q = QueryTextField(
        help_text="Free text, searched like the site's search (quoted phrases, -exclusions). "
        "Cannot be combined with published_after/published_before."
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, key) for key in [*SORTS, *SORT_ALIASES]],
        error_messages={"invalid_choice": lazy(_sort_message, str)()},
        help_text="Order: -publication_date (default), publication_date, title, -title; "
        "relevance (default with q) needs q, and with q only relevance and -publication_date.",
    )
    sort.schema = {"type": "string", "enum": list(SORTS)}  # the older spellings go unadvertised
    published_after = _DateField(
        label=_("Published on or after"), help_text="On or after this date."
    )
    published_before = _DateField(
        label=_("Published on or before"), help_text="On or before this date."
    )

    def clean_sort(self):
        sort = self.cleaned_data["sort"]
        return SORT_ALIASES.get(sort, sort)

    def clean(self):
        data = super().clean()
        text, sort = data.get("q"), data.get("sort")
        after, before = data.get("published_after"), data.get("published_before")
        if after and before and after > before:
            self.add_error("published_before", _("The range ends before it starts."))
        if text and (after or before):
            self.add_error(
                "published_after" if after else "published_before",
                _("A date range cannot be combined with q; filter search results by year instead."),
            )
        if text and sort and sort not in TEXT_SORTS:
            self.add_error(
                "sort",
                _("With q, sort by one of: %(sorts)s.") % {"sorts": ", ".join(TEXT_SORTS)},
            )
        return data

    def knowledge_query(self, language):
        """The validated ``KnowledgeQuery``, read in ``language`` (the reader's)."""
        data = self.cleaned_data
        text = data["q"]
        return KnowledgeQuery(
            text=text,
            filters=self.filters(),
            sort=data["sort"] or (SORT_RELEVANCE if text else SORT_NEWEST),
            language=language,
            published_after=data["published_after"],
            published_before=data["published_before"],
        )
