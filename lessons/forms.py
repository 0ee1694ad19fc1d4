"""The register's query form: free text and the register's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from knowledge.blocks import AUDIENCES
from knowledge.filters import KnowledgeFilterForm
from lessons.models import Kind, Status
from lessons.register import DIMENSIONS, RegisterFilters, RegisterQuery
from search.forms import QueryTextField


class RegisterForm(KnowledgeFilterForm):
    """Validates the register's parameters: ``q`` (as on the search page), the item filters of
    ``KnowledgeFilterForm`` (type, country, theme, year, language) and the lesson's own: kind,
    status, audience. Call ``register_query()`` once ``is_valid()``; ``error_messages()`` says
    what was wrong, per parameter."""

    q = QueryTextField()
    kind = forms.MultipleChoiceField(label=_("Kind"), required=False, choices=Kind.choices)
    status = forms.MultipleChoiceField(label=_("Status"), required=False, choices=Status.choices)
    audience = forms.MultipleChoiceField(label=_("Audience"), required=False, choices=AUDIENCES)
    # Filters of items the register does not offer.
    objective = None
    tag = None

    def register_query(self, language):
        """The validated ``RegisterQuery``, read in ``language`` (the reader's)."""
        data = self.cleaned_data
        filters = RegisterFilters(**{name: tuple(map(str, data[name])) for name in DIMENSIONS})
        return RegisterQuery(text=data["q"], filters=filters, language=language)
