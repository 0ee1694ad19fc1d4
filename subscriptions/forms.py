"""The subscribe form: an address, a frequency and the followed search (a hidden field)."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .following import followed_query
from .models import Subscription


class SubscribeForm(forms.Form):
    """``email``, ``frequency`` and ``query``; ``cleaned_data["query"]`` is the canonical query."""

    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("Used only to send you what you follow; never shown or shared."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Subscription.FREQUENCIES, initial=Subscription.WEEKLY
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)

    def clean_query(self):
        query, errors = followed_query(QueryDict(self.cleaned_data["query"]))
        if errors:
            raise forms.ValidationError(errors)
        return query
