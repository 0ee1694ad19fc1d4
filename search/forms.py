"""The search form: free text and sort on top of the shared knowledge filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from knowledge.filters import KnowledgeFilterForm
from search.query import SORT_DATE, SORT_RELEVANCE, searchable_text, split_query

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


class SearchForm(KnowledgeFilterForm):
    """``q`` (at most 500 characters), ``sort`` (relevance or date) and the filter dimensions."""

    q = QueryTextField()
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(SORT_RELEVANCE, _("Relevance")), (SORT_DATE, _("Newest first"))],
    )
