"""``make eval-search``'s lesson register figures: the lesson-level judged set is whole, and a
sample of it runs on both backends (the full run is a command that prints figures)."""

import json

import pytest
from django.db import connection

from bench.register_relevance import (
    evaluate_register,
    format_register,
    load_lesson_queries,
    register_summary,
)
from bench.relevance import corpus_files, load_corpus
from search.indexing import rebuild_index

ENTRY_FIELDS = ("lessons", "recommendations", "key_messages")


def corpus():
    items = {}
    for path in corpus_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            items[item["external_id"]] = item
    return items


def test_the_lesson_judged_set_is_whole():
    queries, items = load_lesson_queries(), corpus()
    languages = {}  # original id: languages it has a version in
    for item in items.values():
        original = item.get("translation_of", item["external_id"])
        languages.setdefault(original, set()).add(item["language"])
    assert len(queries) >= 40
    assert len({query.id for query in queries}) == len(queries)
    for query in queries:
        assert 2 in query.judgments.values(), query.id
        for key, grade in query.judgments.items():
            assert grade in (1, 2), query.id
            external_id, entry = key.split("#")
            field, index = entry.split("/")
            assert "translation_of" not in items[external_id] and field in ENTRY_FIELDS, key
            assert int(index) < len(items[external_id][field]), key
            available = query.language in languages[external_id]
            assert available == (query.kind != "cross_language"), (query.id, key)


@pytest.mark.django_db
def test_a_sample_of_the_register_evaluation_runs_on_both_backends(tmp_path, search_engine):
    queries = [query for query in load_lesson_queries() if query.id in {"L-en-01", "L-fr-01"}]
    wanted = {key.split("#")[0] for query in queries for key in query.judgments}
    lines = [
        json.dumps(item)
        for item in corpus().values()
        if item.get("translation_of", item["external_id"]) in wanted
    ]
    path = tmp_path / "sample.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    load_corpus([path], semantic=True)
    rebuild_index(search_engine)
    summary = register_summary(evaluate_register(queries, ("engine", "database")))
    text = format_register(summary, connection.vendor)
    for backend in ("engine", "database"):
        assert f"Lesson register, {backend} ({connection.vendor}): nDCG@10" in text
        assert set(summary[backend]) == {"all (monolingual)", "language en", "language fr"}
        count, value = summary[backend]["all (monolingual)"]
        assert count == 2 and 0 < value <= 1
