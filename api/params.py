"""Reading and validating the API's query parameters; each bad one raises ``BadParameter``.

Each endpoint's parameters are one Django form, which both validates them and describes them in
the OpenAPI schema (``api.schema``). A list's query is the site's own form
(``search.forms.KnowledgeQueryForm``): the same values are accepted and refused, with the same
messages. Unknown parameters and single-valued parameters given twice are refused too, so a
typing mistake never silently widens a result.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from knowledge.filters import printable
from search.forms import KnowledgeQueryForm
from search.query import SORT_ALIASES, SORT_RELEVANCE, SORTS, KnowledgeQuery

from .errors import BadParameter

#: Fields of an item, in the order they are returned; ``?fields=`` picks among them.
ITEM_FIELDS = (
    "id",
    "title",
    "url",
    "type",
    "language",
    "summary",
    "publication_date",
    "countries",
    "themes",
    "objectives",
    "tags",
    "organisation",
    "authors",
    "attachments",
    "translations",
    "last_published_at",
    "found_by_meaning",
)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: Deepest page asked for: ten million items at the largest page size, beyond any corpus here,
#: and an offset every database can take.
MAX_PAGE = 100_000
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


class WholeNumberField(forms.Field):
    """A whole number from 1 (to ``maximum``), in digits; absent, ``default``."""

    def __init__(self, default, maximum=None, **kwargs):
        self.default, self.maximum = default, maximum
        self.schema = {"type": "integer", "minimum": 1, **({"maximum": maximum} if maximum else {})}
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if value is None:
            return self.default
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise forms.ValidationError(_("Give a whole number from 1."))
        if self.maximum and int(value) > self.maximum:
            raise forms.ValidationError(_("At most %(maximum)s.") % {"maximum": self.maximum})
        return int(value)


class FieldsField(forms.Field):
    """``title,url``: fields to return among ``names``, in their order; absent, all of them."""

    explode = False

    def __init__(self, names, **kwargs):
        self.names = tuple(names)
        self.schema = {
            "type": "array",
            "items": {"type": "string", "enum": list(self.names)},
            "minItems": 1,
        }
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if value is None:
            return self.names
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in self.names]
        if unknown or not names:
            raise forms.ValidationError(
                _("Unknown field %(name)s. Fields: %(fields)s.")
                % {
                    "name": printable(unknown[0]) if unknown else "''",
                    "fields": ", ".join(self.names),
                }
            )
        return tuple(name for name in self.names if name in names)


class LanguageField(forms.Field):
    """One of the portal's language codes; absent, the site's default language."""

    schema = {"type": "string", "enum": list(LANGUAGE_CODES)}

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if value is None:
            return settings.LANGUAGE_CODE
        if value not in LANGUAGE_CODES:
            raise forms.ValidationError(
                _("Unknown language. Languages: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)}
            )
        return value


class ItemFieldsForm(forms.Form):
    """``/api/v1/items/<id>/``'s parameter."""

    fields = FieldsField(
        ITEM_FIELDS,
        help_text="Comma-separated item fields to return, e.g. title,url,countries (default all).",
    )


class LanguageForm(forms.Form):
    """The parameter of the lists of countries, themes and types."""

    language = LanguageField(help_text="Language of the names (default en).")


class ItemListForm(KnowledgeQueryForm):
    """``/api/v1/items/``'s parameters, declared once: the reader's query (the site's own form),
    paging, field selection and the preferred version's language. The fields' ``help_text`` and
    value shapes are also the parameters' OpenAPI description (``api.schema.form_parameters``).
    """

    page = WholeNumberField(1, MAX_PAGE, help_text=f"Page, from 1 to {MAX_PAGE:,}.")
    page_size = WholeNumberField(
        DEFAULT_PAGE_SIZE,
        MAX_PAGE_SIZE,
        help_text=f"Items per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
    )
    fields = ItemFieldsForm.base_fields["fields"]
    prefer_language = LanguageField(
        help_text="Version shown of an item with several languages (default en)."
    )

    def clean(self):
        data = super().clean()
        sort = self.data.get("sort")
        if sort == "" or sort in SORT_ALIASES:  # the site's form reads these; here, a mistake
            self.add_error("sort", _("Sort by one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)})
        for name in ("published_after", "published_before"):
            if self.data.get(name) == "":
                self.add_error(name, _("Give a date as YYYY-MM-DD, e.g. 2024-05-31."))
        if not data.get("q") and sort == SORT_RELEVANCE:
            self.add_error("sort", _("Sorting by relevance needs a search text, q."))
        return data


@dataclass(frozen=True)
class ItemQuery:
    """What ``/api/v1/items/`` was asked for, validated: the reader's ``query`` (its language
    is ``prefer_language``), the page and the item fields to return."""

    query: KnowledgeQuery
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    fields: tuple[str, ...] = ITEM_FIELDS


def refuse_unknown(query_params, known):
    """Raise ``BadParameter`` for a parameter outside ``known``."""
    for name in query_params:
        if name not in known:
            raise BadParameter(
                name,
                _("Unknown parameter. This endpoint takes: %(names)s.")
                % {"names": ", ".join(sorted(known)) or _("no parameters")},
            )


def read_params(form_class, query_params):
    """The cleaned data of ``form_class`` (one of the forms above) for ``query_params``.

    Raises ``BadParameter`` for a parameter the form does not take, for one it takes once given
    twice, and for the first invalid one, in the form's order.
    """
    form = form_class(query_params)
    refuse_unknown(query_params, form.fields)
    for name, field in form.fields.items():
        if not isinstance(field, forms.MultipleChoiceField) and len(query_params.getlist(name)) > 1:
            raise BadParameter(name, _("Give this parameter once."))
    if not form.is_valid():
        name = next(name for name in form.fields if name in form.errors)
        raise BadParameter(name, printable(" ".join(form.errors[name])))
    return form


def read_item_query(query_params):
    """The ``ItemQuery`` of ``/api/v1/items/``'s query parameters."""
    form = read_params(ItemListForm, query_params)
    data = form.cleaned_data
    return ItemQuery(
        query=form.knowledge_query(data["prefer_language"]),
        page=data["page"],
        page_size=data["page_size"],
        fields=data["fields"],
    )
