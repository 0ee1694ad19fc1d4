"""Reading and validating the API's query parameters; each bad one raises ``BadParameter``.

The filter dimensions are the site's (``knowledge.filters.KnowledgeFilterForm``): the same values
are accepted and refused, with the same messages. Unknown parameters and single-valued parameters
given twice are refused too, so a typing mistake never silently widens a result.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from knowledge.filters import DIMENSIONS, KnowledgeFilterForm, KnowledgeFilters, printable
from search.forms import QueryTextField

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
    "tags",
    "organisation",
    "authors",
    "attachments",
    "translations",
    "last_published_at",
)
SORT_RELEVANCE = "relevance"
SORT_NEWEST = "-publication_date"
#: Orders of ``?sort=`` and the database ordering of each (``relevance`` needs ``q``).
SORTS = {
    SORT_NEWEST: ("-publication_date", "-pk"),
    "publication_date": ("publication_date", "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    SORT_RELEVANCE: None,
}
#: Sorts the search service can give when ``q`` is present.
SEARCH_SORTS = (SORT_RELEVANCE, SORT_NEWEST)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)

_SINGLE = (
    "q",
    "sort",
    "page",
    "page_size",
    "fields",
    "published_after",
    "published_before",
    "prefer_language",
)
ITEM_LIST_PARAMETERS = frozenset(DIMENSIONS) | frozenset(_SINGLE)


@dataclass(frozen=True)
class ItemQuery:
    """What ``/api/v1/items/`` was asked for, validated."""

    filters: KnowledgeFilters
    text: str | None = None
    published_after: datetime.date | None = None
    published_before: datetime.date | None = None
    sort: str = SORT_NEWEST
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    fields: tuple[str, ...] = ITEM_FIELDS
    prefer_language: str = settings.LANGUAGE_CODE


def refuse_unknown(query_params, known):
    """Raise ``BadParameter`` for a parameter outside ``known``."""
    for name in query_params:
        if name not in known:
            raise BadParameter(
                name,
                _("Unknown parameter. This endpoint takes: %(names)s.")
                % {"names": ", ".join(sorted(known)) or _("no parameters")},
            )


def single(query_params, name):
    """The one value of ``name``, or None when absent; given twice it is an error."""
    values = query_params.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, _("Give this parameter once."))
    return values[0] if values else None


def read_fields(query_params):
    """``?fields=title,url``: the item fields to return, in the API's order."""
    value = single(query_params, "fields")
    if value is None:
        return ITEM_FIELDS
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in ITEM_FIELDS]
    if unknown or not names:
        raise BadParameter(
            "fields",
            _("Unknown field %(name)s. Fields: %(fields)s.")
            % {
                "name": printable(unknown[0]) if unknown else "''",
                "fields": ", ".join(ITEM_FIELDS),
            },
        )
    return tuple(name for name in ITEM_FIELDS if name in names)


def read_language(query_params, name="language"):
    """A language code among the portal's languages, by default the site's default language."""
    value = single(query_params, name)
    if value is None:
        return settings.LANGUAGE_CODE
    if value not in LANGUAGE_CODES:
        raise BadParameter(
            name,
            _("Unknown language. Languages: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)},
        )
    return value


def _positive_int(query_params, name, default, maximum=None):
    value = single(query_params, name)
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise BadParameter(name, _("Give a whole number from 1."))
    number = int(value)
    if maximum and number > maximum:
        raise BadParameter(name, _("At most %(maximum)s.") % {"maximum": maximum})
    return number


def _date(query_params, name):
    value = single(query_params, name)
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name):
    raise BadParameter(name, _("Give a date as YYYY-MM-DD, e.g. 2024-05-31."))


def _filters(query_params):
    form = KnowledgeFilterForm(query_params)
    if form.is_valid():
        return form.filters()
    name = next(name for name in DIMENSIONS if name in form.errors)
    raise BadParameter(name, printable(" ".join(form.errors[name])))


def _text(query_params):
    value = single(query_params, "q")
    if value is None:
        return None
    try:
        return QueryTextField().clean(value)
    except forms.ValidationError as error:
        raise BadParameter("q", " ".join(error.messages)) from error


def read_item_query(query_params):
    """The ``ItemQuery`` of ``/api/v1/items/``'s query parameters."""
    refuse_unknown(query_params, ITEM_LIST_PARAMETERS)
    filters = _filters(query_params)
    text = _text(query_params)
    after = _date(query_params, "published_after")
    before = _date(query_params, "published_before")
    if after and before and after > before:
        raise BadParameter("published_before", _("The range ends before it starts."))
    if text is not None and (after or before):
        raise BadParameter(
            "published_after" if after else "published_before",
            _("A date range cannot be combined with q; filter search results by year instead."),
        )
    sort = single(query_params, "sort")
    if sort is None:
        sort = SORT_RELEVANCE if text is not None else SORT_NEWEST
    if sort not in SORTS:
        raise BadParameter("sort", _("Sort by one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)})
    if text is None and sort == SORT_RELEVANCE:
        raise BadParameter("sort", _("Sorting by relevance needs a search text, q."))
    if text is not None and sort not in SEARCH_SORTS:
        raise BadParameter(
            "sort",
            _("With q, sort by one of: %(sorts)s.") % {"sorts": ", ".join(SEARCH_SORTS)},
        )
    return ItemQuery(
        filters=filters,
        text=text,
        published_after=after,
        published_before=before,
        sort=sort,
        page=_positive_int(query_params, "page", 1),
        page_size=_positive_int(query_params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
        fields=read_fields(query_params),
        prefer_language=read_language(query_params, "prefer_language"),
    )
