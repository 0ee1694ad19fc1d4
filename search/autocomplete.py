"""Title suggestions for the search box: the engine's search_as_you_type field, else the database."""

import logging

from elasticsearch_dsl import Q, Search

from knowledge.filters import KnowledgeFilters
from knowledge.models import KnowledgePage
from knowledge.visibility import public_knowledge_pages, visible, visible_pages
from search.backends.database import as_queryset
from search.client import alias_name, engine_configured, get_engine
from search.engines import EngineUnavailable
from search.queries import inner_hit_ids, preferred_version

logger = logging.getLogger(__name__)

MAX_SUGGESTIONS = 8


def suggest_titles(text, language, limit=MAX_SUGGESTIONS):
    """Visible pages whose title starts with the words of ``text``, one version per item."""
    if engine_configured():
        try:
            return _engine_suggestions(text, language, limit)
        except EngineUnavailable as error:
            logger.warning("Autocomplete falling back to the database: %s", error)
        except Exception:  # noqa: BLE001  (see search.backends.search_knowledge)
            logger.exception("Autocomplete failed on the engine, falling back to the database")
    return _database_suggestions(text, language, limit)


def suggestion_search(text, language, limit):
    """The elasticsearch-dsl ``Search`` for ``text`` (bool_prefix over the shingle sub-fields)."""
    fields = ["title_suggest", "title_suggest._2gram", "title_suggest._3gram"]
    query = Q("multi_match", query=text, type="bool_prefix", fields=fields, operator="and")
    collapse = {"field": "translation_key", "inner_hits": preferred_version(language)}
    return Search().query(query).extra(collapse=collapse).source(["page_id"])[:limit]


def _engine_suggestions(text, language, limit):
    response = get_engine().search(suggestion_search(text, language, limit), alias_name())
    ids = inner_hit_ids(response)
    pages = {page.pk: page for page in public_knowledge_pages().filter(pk__in=ids)}
    return [pages[pk] for pk in ids if pk in pages]


def _database_suggestions(text, language, limit):
    matches = as_queryset(KnowledgePage.objects.autocomplete(text, operator="and"))
    suggestions = visible_pages(visible(matches), KnowledgeFilters(), language)
    return list(suggestions.select_related("locale")[:limit])
