"""The search form: free text and sort on top of the shared knowledge filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from knowledge.filters import KnowledgeFilterForm
from search.query import SORT_DATE, SORT_RELEVANCE

MAX_QUERY_LENGTH = 500


class SearchForm(KnowledgeFilterForm):
    """``q`` (at most 500 characters), ``sort`` (relevance or date) and the filter dimensions."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH, strip=True)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(SORT_RELEVANCE, _("Relevance")), (SORT_DATE, _("Newest first"))],
    )
