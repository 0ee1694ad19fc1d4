"""Title suggestions for the search box: the engine's search_as_you_type field, else the database."""

from elasticsearch.dsl import Q, Search

from knowledge.filters import KnowledgeFilters
from knowledge.models import KnowledgePage
from knowledge.visibility import pages_in_order, visible, visible_pages
from search.circuit import engine_or_database
from search.client import alias_name, engine_configured
from search.dsl import inner_hit_ids, preferred_version
from search.retrievers.database import as_queryset

MAX_SUGGESTIONS = 8


def suggest_titles(text, language, limit=MAX_SUGGESTIONS):
    """Visible pages whose title starts with the words of ``text``, one version per item."""

    def database():
        return _database_suggestions(text, language, limit)

    if not engine_configured():
        return database()
    return engine_or_database(
        lambda engine: _engine_suggestions(engine, text, language, limit), database, "Autocomplete"
    )


def suggestion_search(text, language, limit):
    """The elasticsearch-dsl ``Search`` for ``text`` (bool_prefix over the shingle sub-fields)."""
    fields = ["title_suggest", "title_suggest._2gram", "title_suggest._3gram"]
    query = Q("multi_match", query=text, type="bool_prefix", fields=fields, operator="and")
    collapse = {"field": "translation_key", "inner_hits": preferred_version(language)}
    return Search().query(query).extra(collapse=collapse).source(["page_id"])[:limit]


def _engine_suggestions(engine, text, language, limit):
    response = engine.search(suggestion_search(text, language, limit), alias_name())
    return pages_in_order(inner_hit_ids(response), relations=lambda pages: pages)


def _database_suggestions(text, language, limit):
    matches = as_queryset(KnowledgePage.objects.autocomplete(text, operator="and"))
    suggestions = visible_pages(visible(matches), KnowledgeFilters(), language)
    return list(suggestions.select_related("locale")[:limit])
