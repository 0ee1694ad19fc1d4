"""Which of a reader's words a result lacks: a query of more than ``ALL_TERMS_REQUIRED_UP_TO``
terms also finds items missing one, and each such result says which ("Missing: Canada"), as web
search engines do, so a reader can tell a near miss from an answer.

Read from the database's full-text index whichever backend answered (the engine's hits do not say
which words matched without naming every clause): it holds every live, public page, analysed as
the engine analyses it.
"""

from search.analysis import content_words
from search.query import ALL_TERMS_REQUIRED_UP_TO, split_query
from search.text_index import storage
from search.text_query import text_query


def missing_terms(text, page_ids):
    """``{page id: [term as typed]}`` for the pages of ``page_ids`` that lack some of the words
    or quoted phrases of ``text`` (a reader's query); empty when the query has too few terms
    for a result to miss one. Stop words are not terms; a misspelt word is held when a word
    within typo distance is (``search.text_query``)."""
    parsed = split_query(text)
    terms = [*content_words(parsed.words), *(f'"{phrase}"' for phrase in parsed.phrases)]
    if len(terms) <= ALL_TERMS_REQUIRED_UP_TO or not page_ids:
        return {}
    queries = {term: text_query(split_query(term)) for term in terms}
    queries = {term: query for term, query in queries.items() if query.groups}
    if not queries:
        return {}
    held = storage().holding(list(page_ids), list(queries.values()))
    return {
        page_id: [term for term, holds in zip(queries, flags, strict=True) if not holds]
        for page_id, flags in held.items()
        if not all(flags)
    }
