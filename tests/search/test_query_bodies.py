"""Request bodies built with elasticsearch-dsl, checked as dicts (fast; the same bodies run on the
real engine in test_contract and test_engine)."""

import pytest

from knowledge.filters import KnowledgeFilters
from search.dsl import highlight_search, knowledge_search, text_query, versions_search
from search.engines.detect import identify
from search.query import KnowledgeQuery, ParsedQuery, searchable_text, split_query


def test_split_query_separates_phrases_words_and_exclusions():
    parsed = split_query('returnees "host communities" -Mopti -"armed groups" -')
    assert parsed == ParsedQuery(("returnees",), ("host communities",), ("Mopti", '"armed groups"'))
    assert parsed.positive == 'returnees "host communities"'


def test_a_quote_left_open_makes_no_phrase():
    assert split_query('reintegration "mopti canada') == ParsedQuery(
        ("reintegration", "mopti", "canada")
    )


def test_queries_keep_at_most_ten_words_however_typed():
    assert len(split_query(" ".join(f"w{n}" for n in range(40))).words) == 10
    assert split_query("a-b-c-d-e-f g-h-i-j k l").words == ("a-b-c-d-e-f", "g-h-i-j")
    assert split_query('"a b c" d "e f g h i j k" l') == ParsedQuery(
        ("d",), ("a b c", "e f g h i j")
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("migrants *", "migrants"),
        ("*:*", ""),
        ("title:(", "title"),
        ("co-operation", "co-operation"),
    ],
)
def test_searchable_text_drops_engine_syntax(text, expected):
    assert searchable_text(text) == expected


@pytest.fixture(autouse=True)
def no_vocabulary(settings):
    """The bodies of the words typed, without the database's vocabulary; the test of a query
    naming a concept sets it again."""
    settings.SEARCH_QUERY_EXPANSION = ""


@pytest.mark.django_db
def test_a_query_naming_a_concept_also_matches_its_labels_and_the_rest_of_the_words(settings):
    settings.SEARCH_QUERY_EXPANSION = "vocabulary.expansion.concepts_named"
    body = text_query("personnes retournées Kayes", "fr").to_dict()["function_score"]["query"]
    words, concepts = body["bool"]["should"]
    assert words["bool"]["_name"] == "words"  # what the reader typed, as without a vocabulary
    assert concepts["bool"]["_name"] == "concepts"
    assert concepts["bool"]["boost"] == 1  # ten times less than the words typed
    labels, rest = concepts["bool"]["must"]
    phrases = {
        (clause["simple_query_string"]["query"], clause["simple_query_string"]["fields"][1])
        for clause in labels["bool"]["should"]
    }
    assert ('"returnees"', "title.en^6") in phrases
    assert ('"العائدون"', "title.ar^6") in phrases
    assert rest["simple_query_string"]["query"] == "Kayes"


def test_text_query_requires_every_word_and_excludes_negated_ones():
    scored = text_query('returnees "host communities" -Mopti', "en").to_dict()["function_score"]
    assert scored["functions"] == [{"filter": {"term": {"language": "en"}}, "weight": 2}]
    assert scored["boost_mode"] == "multiply"  # the reader's language first among equals
    body = scored["query"]
    exact, typo_tolerant = body["bool"]["should"]  # two terms: no clause missing one
    assert exact["simple_query_string"]["default_operator"] == "and"
    assert exact["simple_query_string"]["boost"] == 10
    word, phrase = typo_tolerant["bool"]["should"]  # one clause per word: each in any field
    assert typo_tolerant["bool"]["minimum_should_match"] == "2<-1"
    assert word["multi_match"] | {"fields": None} == {
        "query": "returnees",
        "fields": None,
        "fuzziness": "AUTO:5,8",
        "prefix_length": 1,
        "operator": "and",
    }  # two terms: no hit may miss one, so no clause is named (each name costs the engine)
    assert phrase["simple_query_string"]["query"] == '"host communities"'
    assert body["bool"]["must_not"][0]["simple_query_string"]["query"] == "Mopti"


def test_a_query_of_three_terms_also_matches_all_but_one_each_term_named():
    body = text_query("women returnees of Mopti", "en").to_dict()["function_score"]["query"]
    all_but_one, every, _typo_tolerant = body["bool"]["should"]
    assert every["simple_query_string"]["default_operator"] == "and"
    assert every["simple_query_string"]["boost"] == 10  # twice the score of all but one
    assert all_but_one["bool"]["minimum_should_match"] == "2<-1"
    assert all_but_one["bool"]["boost"] == 10
    terms = [clause["simple_query_string"] for clause in all_but_one["bool"]["should"]]
    assert [(term["query"], term["_name"]) for term in terms] == [
        ("women", "term-0"),
        ("returnees", "term-1"),
        ("Mopti", "term-2"),  # "of", a stop word, is no term
    ]


def test_facets_count_each_dimension_without_its_own_filter():
    request = KnowledgeQuery(
        text="x", filters=KnowledgeFilters(country=("ML",), type=("policy_note",))
    )
    body = knowledge_search(request, facets=True)[:12].to_dict()
    country_filter = body["aggs"]["_filter_country"]["filter"]
    assert country_filter == {"terms": {"type": ["policy_note"]}}
    post_filter = body["post_filter"]["bool"]["must"]
    assert {"terms": {"countries": ["ML"]}} in post_filter
    assert {"terms": {"type": ["policy_note"]}} in post_filter
    assert body["collapse"]["field"] == "translation_key"
    assert body["collapse"] == {"field": "translation_key"}
    country = body["aggs"]["_filter_country"]["aggs"]["country"]
    assert country["aggs"]["metric"] == SHARED_VERSIONS_BODY


#: Items among a bucket's documents: the documents of items with one version count by the
#: bucket's own count, only the others go through the distinct count of translation keys.
SHARED_VERSIONS_BODY = {
    "filter": {"bool": {"must_not": [{"term": {"translated": False}}]}},
    "aggs": {"items": {"cardinality": {"field": "translation_key", "precision_threshold": 3000}}},
}


def test_item_counts_take_only_documents_that_may_share_their_item_to_a_distinct_count():
    body = knowledge_search(KnowledgeQuery(text="x"), facets=True).to_dict()
    assert body["aggs"]["matching"]["aggs"] == {"shared": SHARED_VERSIONS_BODY}
    for name, facet in body["aggs"].items():
        if name.startswith("_filter_") and name != "_filter_language":
            assert facet["aggs"][name[8:]]["aggs"] == {"metric": SHARED_VERSIONS_BODY}, name
    assert "aggs" not in body["aggs"]["_filter_language"]["aggs"]["language"]  # documents


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ({"version": {"distribution": "opensearch", "number": "2.19.1"}}, ("opensearch", "2.19.1")),
        ({"version": {"distribution": "opensearch", "number": "3.3.2"}}, ("opensearch", "3.3.2")),
        (
            {"version": {"number": "8.15.0"}, "tagline": "You Know, for Search"},
            ("elasticsearch", "8.15.0"),
        ),
        (
            {"version": {"number": "9.1.0"}, "tagline": "You Know, for Search"},
            ("elasticsearch", "9.1.0"),
        ),
    ],
)
def test_engines_are_recognised_from_their_root_endpoint(root, expected):
    assert identify(root) == expected


@pytest.mark.parametrize(
    "root",
    [
        {"version": {"number": "7.17.0"}, "tagline": "You Know, for Search"},
        {"version": {"distribution": "opensearch", "number": "1.3.0"}},
        {"name": "something else"},
    ],
)
def test_unsupported_engines_are_refused(root):
    with pytest.raises(ValueError, match="not supported|neither"):
        identify(root)


def test_highlights_mark_the_words_typed_not_their_typo_tolerant_expansions():
    request = KnowledgeQuery(text='bordreland "host communities" -Mopti')
    body = highlight_search(request, "fr", [3, 4]).to_dict()
    highlight = body["highlight"]
    assert highlight["highlight_query"]["simple_query_string"]["query"] == (
        'bordreland "host communities"'
    )
    assert "fuzziness" not in str(body)
    assert highlight_search(KnowledgeQuery(text=""), "fr", [3]) is None


def test_highlights_analyse_only_the_versions_own_language_and_score_nothing():
    request = KnowledgeQuery(text="returnees", language="en")
    body = highlight_search(request, "fr", [3, 4]).to_dict()
    assert sorted(body["highlight"]["fields"]) == [
        "attachments.fr",
        "lessons.fr",
        "names.en",  # the reader's names of the item's countries and themes
        "sections.fr",
        "summary.fr",
        "title.fr",
    ]
    assert body["query"] == {"bool": {"filter": [{"terms": {"page_id": [3, 4]}}]}}
    assert body["size"] == 2


def test_only_a_query_whose_hits_may_miss_a_term_names_its_clauses_when_asked():
    def names(search):
        return str(search.to_dict()).count("'_name'")

    three = KnowledgeQuery(text="women returnees Mopti")
    assert names(knowledge_search(three, facets=True, highlights=True)) == 6  # exact and typo
    assert names(knowledge_search(three, facets=True)) == 0  # nobody reads the names
    assert names(knowledge_search(KnowledgeQuery(text="women returnees"), highlights=True)) == 0
    assert names(versions_search(three, ["key"], named=True)) == 6
    assert names(versions_search(three, ["key"])) == 0


def test_collapsed_searches_count_items_not_versions():
    collapsed = knowledge_search(KnowledgeQuery(text="x"), facets=True).to_dict()
    assert collapsed["track_total_hits"] is False  # the cardinality of items counts them
    assert "items" in collapsed["aggs"]["matching"]["aggs"]["shared"]["aggs"]
    french = KnowledgeQuery(text="x", filters=KnowledgeFilters(language=("fr",)))
    one_language = knowledge_search(french, facets=True).to_dict()
    assert "matching" not in one_language["aggs"]  # hits are the results: the engine counts
