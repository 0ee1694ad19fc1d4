"""The lesson register's search quality on the judged evaluation set.

``lesson-queries.jsonl`` holds queries whose unit is one entry (a lesson, a recommendation or a
key message), keyed ``<original external id>#<field>/<index>``: the entry's list and position in
the item's original line (``JUDGING.md``, "Lesson-level queries"). The corpus is the items' set
(``bench.relevance.load_corpus``); every version of an entry is the same lesson, so an entry is
one result whichever language it is shown in.

``evaluate_register(queries, backends)`` asks each query of the register's search
(``lessons.register.find_lessons``) on the engine and on the database, with meaning and the
vocabulary as the register runs, and scores its first ``CUTOFF`` lessons by nDCG@10
(``bench.relevance.ndcg``). Monolingual figures per language, cross-language apart.
"""

import json
import uuid
from collections import defaultdict

from django.conf import settings
from django.http import QueryDict
from django.test import override_settings

from bench.relevance import CROSS_LANGUAGE, CUTOFF, RELEVANCE_DIR, JudgedQuery, ndcg
from knowledge.models import KnowledgePage
from lessons.forms import RegisterForm
from lessons.models import Lesson
from lessons.records import record_lessons
from lessons.register import find_lessons
from portal.progress import progress

LESSON_QUERIES_FILE = "lesson-queries.jsonl"
#: The register's backends: ``{name: engine?}``.
REGISTER_BACKENDS = {"engine": True, "database": False}


def load_lesson_queries(folder=RELEVANCE_DIR):
    """The judged queries of ``lesson-queries.jsonl`` (none when it does not exist).

    Raises ``ValueError`` naming the line of a line that is not a judged query."""
    path = folder / LESSON_QUERIES_FILE
    if not path.exists():
        return []
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                queries.append(JudgedQuery(**json.loads(line)))
            except (TypeError, ValueError) as error:
                raise ValueError(f"{path.name} line {number}: {error}") from error
    return queries


def entry_keys():
    """``{lesson id: "<external id>#<field>/<index>"}`` of every lesson of the imported corpus,
    named after the item's first version (the original line, imported before its
    translations)."""
    pages = KnowledgePage.objects.exclude(external_id="").order_by("pk")
    record_lessons(list(pages.values_list("pk", flat=True)))
    keys = {}
    for page in pages.specific():
        for field in page.followed_statements:
            for index, block in enumerate(getattr(page, field)):
                entry = (page.translation_key, uuid.UUID(block.id))
                keys.setdefault(entry, f"{page.external_id}#{field}/{index}")
    lessons = Lesson.objects.values_list("pk", "item_key", "block_id")
    return {pk: keys[(key, block)] for pk, key, block in lessons if (key, block) in keys}


def evaluate_register(queries, backends, verbosity=1, stream=None):
    """``[{"query", "backend", "language", "kind", "results", "ndcg"}]`` of every query on every
    backend of ``backends`` (keys of ``REGISTER_BACKENDS``)."""
    keys = entry_keys()
    outcomes = []
    for backend in backends:
        with progress(
            f"Evaluating the register on the {backend}", len(queries), verbosity, stream, "query"
        ) as bar:
            for query in queries:
                results = [keys.get(pk, f"lesson-{pk}") for pk in _ranked(query, backend)]
                outcomes.append(
                    {
                        "query": query.id,
                        "backend": backend,
                        "language": query.language,
                        "kind": query.kind,
                        "q": query.q,
                        "results": results,
                        "ndcg": ndcg(results, query.judgments),
                    }
                )
                bar.advance()
    return outcomes


def _ranked(query, backend):
    params = QueryDict(mutable=True)
    params["q"] = query.q
    for name, values in query.filters.items():
        params.setlist(name, [str(value) for value in values])
    form = RegisterForm(params)
    if not form.is_valid():
        raise ValueError(f"{query.id}: the register refuses it: {form.errors.as_text()}")
    search_url = settings.SEARCH_URL if REGISTER_BACKENDS[backend] else ""
    with override_settings(SEARCH_URL=search_url):
        return find_lessons(form.register_query(query.language)).lesson_ids[:CUTOFF]


def register_summary(outcomes):
    """``{backend: {group: (queries, mean nDCG@10)}}``: groups "all (monolingual)", "language
    xx" (monolingual) and "cross_language"."""
    grouped = defaultdict(lambda: defaultdict(list))
    for outcome in outcomes:
        groups = grouped[outcome["backend"]]
        if outcome["kind"] == CROSS_LANGUAGE:
            groups[CROSS_LANGUAGE].append(outcome["ndcg"])
        else:
            groups["all (monolingual)"].append(outcome["ndcg"])
            groups[f"language {outcome['language']}"].append(outcome["ndcg"])
    return {
        backend: {
            name: (len(values), round(sum(values) / len(values), 4))
            for name, values in sorted(groups.items())
        }
        for backend, groups in grouped.items()
    }


def format_register(summary, database_vendor):
    """``register_summary`` as the text table the command prints."""
    lines = []
    for backend, groups in summary.items():
        lines += ["", f"Lesson register, {backend} ({database_vendor}): nDCG@{CUTOFF} per lesson"]
        lines += [f"{name:<22}{count:>8}{value:>8.3f}" for name, (count, value) in groups.items()]
    return "\n".join(lines)
