"""``make eval-search``'s measures and a smoke run of the evaluation on a sample of the judged set
(the full run is a command that prints figures, not a test)."""

import json

import pytest
from django.db import connection

from bench.relevance import (
    RELEVANCE_DIR,
    SEMANTIC,
    corpus_files,
    evaluate,
    format_report,
    load_corpus,
    load_queries,
    ndcg,
    reciprocal_rank,
    report,
)
from search.indexing import rebuild_index


def test_ndcg_rewards_the_best_items_first():
    judgments = {"a": 2, "b": 1}
    assert ndcg(["a", "b", "x"], judgments) == 1.0
    # (2**1 - 1) / log2(2) + (2**2 - 1) / log2(3), over 3 / log2(2) + 1 / log2(3)
    assert ndcg(["b", "a"], judgments) == pytest.approx(2.8928 / 3.6309, abs=1e-4)
    assert ndcg(["x"] * 10 + ["a"], judgments) == 0.0  # past the cutoff
    assert ndcg(["a"], {}) is None  # nothing to find: scored apart


def test_reciprocal_rank_is_that_of_the_first_relevant_result():
    assert reciprocal_rank(["x", "y", "b"], {"a": 2, "b": 1}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], {"a": 2}) == 0.0


def test_the_judged_set_is_whole():
    queries = load_queries()
    items = {}
    for path in corpus_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            items[item["external_id"]] = item
    assert len(items) >= 80 and len(queries) >= 120
    assert {item["language"] for item in items.values()} == {"en", "fr", "ar", "es"}
    assert len({query.id for query in queries}) == len(queries)
    for query in queries:
        for external_id, grade in query.judgments.items():
            assert grade in (1, 2), query.id
            if query.kind != "cross_language":
                assert items[external_id]["language"] == query.language, query.id
        for external_id, grade in query.other_languages.items():
            assert grade in (1, 2) and query.kind not in ("cross_language", "no_answer"), query.id
            assert items[external_id]["language"] != query.language, query.id


@pytest.fixture
def sample(tmp_path):
    """Two judged queries and the items they judge (with the originals of translations)."""
    queries = [query for query in load_queries() if query.id in {"en-03", "fr-05"}]
    wanted = {external_id for query in queries for external_id in query.judgments}
    lines = []
    for path in corpus_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["external_id"] in wanted or any(
                w.startswith(item["external_id"]) for w in wanted
            ):
                lines.append(line)
    path = tmp_path / "sample.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return queries, path


@pytest.mark.django_db
def test_semantic_retrieval_alone_is_evaluated_on_the_sample_with_its_passages_embedded(sample):
    queries, path = sample
    load_corpus([path], semantic=True)
    data = report(evaluate(queries, (SEMANTIC,)), connection.vendor)
    assert f"{SEMANTIC} ({connection.vendor}): nDCG@10, MRR, zero-result rate" in format_report(
        data
    )
    assert 0 < data["summary"][SEMANTIC]["all"]["ndcg"] <= 1


@pytest.mark.django_db
def test_a_sample_of_the_evaluation_runs_on_both_backends(sample, search_engine):
    queries, path = sample
    load_corpus([path])
    rebuild_index(search_engine)
    data = report(evaluate(queries, ("engine", "database")), connection.vendor)
    text = format_report(data)
    for backend in ("engine", "database"):
        assert f"{backend} ({connection.vendor}): nDCG@10, MRR, zero-result rate" in text
        figures = data["summary"][backend]
        assert set(figures["language"]) == {"en", "fr"}
        assert 0 < figures["all"]["ndcg"] <= 1 and figures["all"]["zero_results"] == 0
    assert json.loads(json.dumps(data))["outcomes"][0]["query"] in {"en-03", "fr-05"}
    assert (RELEVANCE_DIR / "JUDGING.md").exists()
