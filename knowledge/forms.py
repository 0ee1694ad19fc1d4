"""Admin form for knowledge pages."""

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from knowledge.collation import collated

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
    "organisation": _(
        "Name the publishing organisation: the page shows it and citations name it as publisher."
    ),
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


def ordered_by_name(queryset, language):
    """``queryset`` ordered by ``str()`` of its rows in ``language``'s alphabetical order
    (``knowledge.collation``), still a queryset.

    Used for the (small) country and theme vocabularies, so form validation keeps working on the
    queryset while the editor reads the options in alphabetical order of their own language.
    """
    rows = collated(queryset, language)
    if not rows:
        return queryset
    position = Case(
        *(When(pk=row.pk, then=Value(index)) for index, row in enumerate(rows)),
        output_field=IntegerField(),
    )
    return queryset.order_by(position)


def section_organisation(section):
    """The publishing organisation a new item under ``section`` starts with: that of the section's
    newest item naming one, or "" when none does yet (the editor then names it before publishing).
    """
    # Imported here: the knowledge page models name this module's form as theirs.
    from knowledge.models import KnowledgePage

    items = KnowledgePage.objects.descendant_of(section).exclude(organisation="")
    return items.order_by("-pk").values_list("organisation", flat=True).first() or ""


class KnowledgePageForm(WagtailAdminPageForm):
    """Knowledge page form: the page's own language's countries and themes, clear required errors.

    Countries and themes are offered in the page's language (its locale), labelled and sorted by
    their names in that language; a new item in a country's section starts with that country ticked.
    Every required field says what is missing and why readers need it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = self.instance.locale if self.instance.locale_id else self._parent_locale()
        locale_id = locale.pk if locale else None
        for name in ("countries", "themes"):
            field = self.fields.get(name)
            if field is None:
                continue
            field.required = True
            queryset = field.queryset
            if locale_id:
                queryset = queryset.filter(locale_id=locale_id)
            field.queryset = ordered_by_name(queryset, locale.language_code if locale else "en")
        for name, message in REQUIRED_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        for name, message in INVALID_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["invalid"] = message
        section_country_id = getattr(self.parent_page, "country_id", None)
        if not self.instance.pk and section_country_id and "countries" in self.fields:
            self.initial["countries"] = [section_country_id]
        if not self.instance.pk and not self.instance.organisation and self.parent_page:
            self.initial["organisation"] = section_organisation(self.parent_page)
        attachments = self.formsets.get("attachments")
        if attachments is not None:
            for form in attachments.forms:
                form.fields["document"].error_messages["required"] = ATTACHMENT_DOCUMENT_REQUIRED

    def _parent_locale(self):
        return getattr(self.parent_page, "locale", None)

    def clean(self):
        cleaned_data = super().clean()
        first, last = SCHEDULE_YEARS
        for name in ("go_live_at", "expire_at"):
            value = cleaned_data.get(name)
            if value and not first <= value.year <= last:
                self.add_error(name, SCHEDULE_MESSAGE % {"first": first, "last": last})
        return cleaned_data
