"""Reading and validating the API's query parameters; each bad one raises ``BadParameter``.

A list's query is validated by the site's own form (``search.forms.KnowledgeQueryForm``): the same
values are accepted and refused, with the same messages. Unknown parameters and single-valued
parameters given twice are refused too, so a typing mistake never silently widens a result.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from knowledge.filters import DIMENSIONS, printable
from search.forms import KnowledgeQueryForm
from search.query import SORT_RELEVANCE, SORTS, KnowledgeQuery

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


#: The order in which invalid parameters are reported, one at a time.
_VALIDATED = (*DIMENSIONS, "q", "published_after", "published_before", "sort")


def _refuse_empty(query_params):
    """An empty ``sort`` or date is a mistake here (the site's form reads it as absent): refused,
    so it never silently widens a result."""
    if single(query_params, "sort") == "":
        raise BadParameter("sort", _("Sort by one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)})
    for name in ("published_after", "published_before"):
        if single(query_params, name) == "":
            raise BadParameter(name, _("Give a date as YYYY-MM-DD, e.g. 2024-05-31."))


def _knowledge_query(query_params):
    _refuse_empty(query_params)
    form = KnowledgeQueryForm(query_params)
    if not form.is_valid():
        name = next(name for name in (*_VALIDATED, "__all__") if name in form.errors)
        raise BadParameter(name, printable(" ".join(form.errors[name])))
    query = form.knowledge_query(read_language(query_params, "prefer_language"))
    if not query.text and single(query_params, "sort") == SORT_RELEVANCE:
        raise BadParameter("sort", _("Sorting by relevance needs a search text, q."))
    return query


def read_item_query(query_params):
    """The ``ItemQuery`` of ``/api/v1/items/``'s query parameters."""
    refuse_unknown(query_params, ITEM_LIST_PARAMETERS)
    for name in _SINGLE:
        single(query_params, name)
    return ItemQuery(
        query=_knowledge_query(query_params),
        page=_positive_int(query_params, "page", 1),
        page_size=_positive_int(query_params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
        fields=read_fields(query_params),
    )
