"""Admin form for knowledge pages."""

import unicodedata

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

#: What an editor sees when a required field is empty: what is missing and why readers need it.
#: Wagtail checks these when the page is submitted for review or published; saving a draft defers
#: them (deferred validation), except the title and the publication date, which a draft needs too.
REQUIRED_MESSAGES = {
    "title": _("Give the item a title: readers see it on the page, in listings and in citations."),
    "summary": _(
        "Write a summary: readers see it on cards in listings and search results, and in feeds."
    ),
    "publication_date": _(
        "Give the publication date: listings sort by it and readers filter by its year."
    ),
    "countries": _(
        "Choose at least one country. Readers filter by country, and country pages list the item."
    ),
    "themes": _(
        "Choose at least one theme. Readers filter by theme, and theme pages list the item."
    ),
    "community": _(
        "Name the community that leads the practice: the brief credits them in listings."
    ),
    "practice": _("Describe the practice: it is what readers of a brief come for."),
}

#: Errors for values a field cannot read at all.
INVALID_MESSAGES = {
    "publication_date": _("Enter the publication date as a date, e.g. 2024-05-01."),
}

#: Go-live and expiry dates must fall in these years: dates near year 1 or 9999 cannot be shown in
#: every time zone (the edit view would fail for some editors).
SCHEDULE_YEARS = (2000, 2100)
SCHEDULE_MESSAGE = _("Choose a date between the years %(first)s and %(last)s.")

#: Error of an attachment row without a document.
ATTACHMENT_DOCUMENT_REQUIRED = _(
    "Choose the document readers will download, or delete this attachment."
)


def collation_key(name):
    """Sort key that orders names as readers of most languages expect: ignoring case and accents.

    "Égypte" sorts with the E's, not after "Tunisie" as a byte-wise database ordering would put it.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return (base.casefold(), name)


def ordered_by_name(queryset):
    """``queryset`` ordered by ``str()`` of its rows under ``collation_key``, still a queryset.

    Used for the (small) country and theme vocabularies, so form validation keeps working on the
    queryset while the editor reads the options in alphabetical order of their own language.
    """
    rows = sorted(queryset, key=lambda row: collation_key(str(row)))
    if not rows:
        return queryset
    position = Case(
        *(When(pk=row.pk, then=Value(index)) for index, row in enumerate(rows)),
        output_field=IntegerField(),
    )
    return queryset.order_by(position)


class KnowledgePageForm(WagtailAdminPageForm):
    """Knowledge page form: the page's own language's countries and themes, clear required errors.

    Countries and themes are offered in the page's language (its locale), labelled and sorted by
    their names in that language; a new item in a country's section starts with that country ticked.
    Every required field says what is missing and why readers need it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale_id = self.instance.locale_id or getattr(self.parent_page, "locale_id", None)
        for name in ("countries", "themes"):
            field = self.fields.get(name)
            if field is None:
                continue
            field.required = True
            queryset = field.queryset
            if locale_id:
                queryset = queryset.filter(locale_id=locale_id)
            field.queryset = ordered_by_name(queryset)
        for name, message in REQUIRED_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        for name, message in INVALID_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["invalid"] = message
        section_country_id = getattr(self.parent_page, "country_id", None)
        if not self.instance.pk and section_country_id and "countries" in self.fields:
            self.initial["countries"] = [section_country_id]
        attachments = self.formsets.get("attachments")
        if attachments is not None:
            for form in attachments.forms:
                form.fields["document"].error_messages["required"] = ATTACHMENT_DOCUMENT_REQUIRED

    def clean(self):
        cleaned_data = super().clean()
        first, last = SCHEDULE_YEARS
        for name in ("go_live_at", "expire_at"):
            value = cleaned_data.get(name)
            if value and not first <= value.year <= last:
                self.add_error(name, SCHEDULE_MESSAGE % {"first": first, "last": last})
        return cleaned_data
