"""Search quality on the portal's judged evaluation set (``tests/data/relevance/``).

The set is a corpus of knowledge items in the import format (``corpus/items-*.jsonl``, PDFs in
``attachments/``) and judged queries (``queries-*.jsonl``): each query's text, filters, language
(the reader's), kind (``word``, ``typo``, ``pdf_only``, ...) and graded judgments
``{external_id: 1 or 2}`` (unlisted items are 0). ``JUDGING.md`` there gives the judging rules.

``evaluate(queries, backends)`` runs every query through the portal's own search service
(``search_knowledge``, as the search page asks it) on each backend and scores the first
``CUTOFF`` results:

- nDCG@10 with exponential gain ``2**grade - 1`` and a ``log2(rank + 1)`` discount (Järvelin and
  Kekäläinen, "Cumulated gain-based evaluation of IR techniques", ACM TOIS 2002; the gain of
  Burges et al., ICML 2005), against the ideal ordering of all the query's judgments;
- MRR: the mean of ``1 / rank`` of the first result graded 1 or more (0 when none is in the top 10);
- the zero-result rate of queries that have an answer.

Queries with no judgment (kind ``no_answer``) are scored apart: the share that found nothing.

The judges graded each monolingual query against the items in its language only; a search that
finds items across languages brings others, which count as 0 there. ``other-language-
judgments.jsonl`` grades, by the same rules, every other-language item that some backend
returned in a monolingual query's first ten (pooling, as TREC pools the runs it judges);
``ndcg_pooled`` is nDCG@10 against both sets of judgments, reported beside the first.
"""

import json
import math
import statistics
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.http import QueryDict
from django.test import override_settings

from knowledge.models import KnowledgePage
from knowledge.visibility import visible_pages
from portal.progress import progress
from search.embeddings import embed_query
from search.forms import KnowledgeQueryForm
from search.query import split_query
from search.results import search_knowledge
from search.semantic import passage_matrix, query_vector

RELEVANCE_DIR = Path(settings.BASE_DIR) / "tests" / "data" / "relevance"
CUTOFF = 10
#: Query kinds that ask across languages (scored apart from the monolingual aims).
CROSS_LANGUAGE = "cross_language"
#: Semantic retrieval alone (``search.semantic``), without the words' ranking it is fused with.
SEMANTIC = "semantic"
#: Each backend as the search page reaches it: ``(engine?, semantic search on?, vocabulary on?)``.
#: The "-words" ones are their backend by the words typed alone (``SEMANTIC_SEARCH`` off, no
#: ``SEARCH_QUERY_EXPANSION``); the "-no-vocabulary" ones fuse words and meaning without the
#: vocabulary: what each adds, in one run.
SEARCHES = {
    "engine": (True, True, True),
    "engine-no-vocabulary": (True, True, False),
    "engine-words": (True, False, False),
    "database": (False, True, True),
    "database-no-vocabulary": (False, True, False),
    "database-words": (False, False, False),
}
#: What ``eval_search`` evaluates unless told.
BACKENDS = tuple(SEARCHES)


@dataclass(frozen=True)
class JudgedQuery:
    """One line of a ``queries-*.jsonl`` file."""

    id: str
    language: str
    kind: str
    q: str
    filters: dict = field(default_factory=dict)
    judgments: dict = field(default_factory=dict)
    note: str = ""
    #: Grades of items in other languages (``other-language-judgments.jsonl``), for a
    #: monolingual query; empty for the others.
    other_languages: dict = field(default_factory=dict)

    @property
    def answerable(self):
        return bool(self.judgments)

    @property
    def pooled_judgments(self):
        """The judgments of items in the query's language and in others, together."""
        return self.judgments | self.other_languages


def load_queries(folder=RELEVANCE_DIR):
    """Every judged query of ``folder``'s ``queries-*.jsonl`` files, in file then line order.

    Raises ``ValueError`` naming the file and line of a line that is not a judged query.
    """
    queries = []
    others = _other_language_judgments(folder / OTHER_LANGUAGES_FILE)
    for path in sorted(folder.glob("queries-*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                query = JudgedQuery(**json.loads(line))
            except (TypeError, ValueError) as error:
                raise ValueError(f"{path.name} line {number}: {error}") from error
            queries.append(replace(query, other_languages=others.get(query.id, {})))
    return queries


#: The grades of other-language items returned for monolingual queries (module docstring).
OTHER_LANGUAGES_FILE = "other-language-judgments.jsonl"


def _other_language_judgments(path):
    """``{query id: {external id: grade}}`` of ``path`` (empty when it does not exist)."""
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    return {entry["id"]: entry["judgments"] for entry in map(json.loads, filter(None, lines))}


def corpus_files(folder=RELEVANCE_DIR):
    """The corpus's JSON Lines files, in the order they are imported."""
    return sorted((folder / "corpus").glob("items-*.jsonl"))


def load_corpus(files=None, semantic=False):
    """Import the evaluation corpus (``files``, by default all of it) through the
    ``import_knowledge`` command into the current database, after ``setup_portal`` and
    ``setup_vocabulary``, then write
    the database's full-text index with the attachments' text (which the task worker reads
    after an upload on a running site), and with ``semantic`` the passage vectors (some minutes).

    Raises ``CommandError`` (the import's line errors on stderr) when a line fails.
    """
    call_command("setup_portal", verbosity=0)
    call_command("setup_vocabulary", verbosity=0)
    for path in files or corpus_files():
        call_command("import_knowledge", str(path), attachments=str(RELEVANCE_DIR / "attachments"))
    call_command("text_index", "rebuild", verbosity=0)
    if semantic:
        call_command("passage_vectors", "rebuild", verbosity=0)


def dcg(grades):
    """Discounted cumulative gain of ``grades`` (0–2, best first), cut at ``CUTOFF``."""
    return sum(
        (2**grade - 1) / math.log2(rank + 1) for rank, grade in enumerate(grades[:CUTOFF], 1)
    )


def ndcg(ranked_ids, judgments):
    """nDCG@10 of ``ranked_ids`` (external ids, best first) against ``judgments``; None when
    nothing is judged relevant (the ideal gain is 0)."""
    ideal = dcg(sorted(judgments.values(), reverse=True))
    if not ideal:
        return None
    return dcg([judgments.get(item, 0) for item in ranked_ids]) / ideal


def reciprocal_rank(ranked_ids, judgments):
    """``1 / rank`` of the first result graded 1 or more within the cutoff, else 0."""
    for rank, item in enumerate(ranked_ids[:CUTOFF], 1):
        if judgments.get(item, 0) > 0:
            return 1 / rank
    return 0.0


class BackendUnavailable(Exception):
    """A query meant for the engine was answered by the database (the engine failed)."""


def ranked_ids(query, backend):
    """The external ids of the first ``CUTOFF`` results of ``query`` on ``backend``
    (a key of ``SEARCHES``, or ``"semantic"``), asked as the search page asks.

    Raises ``ValueError`` when the search form refuses the query and ``BackendUnavailable`` when
    the engine did not answer.
    """
    request = _knowledge_query(query)
    if backend == SEMANTIC:
        pages = _semantic_results(request)
    else:
        on_engine, semantic, vocabulary = SEARCHES[backend]
        search_url = settings.SEARCH_URL if on_engine else ""
        expansion = settings.SEARCH_QUERY_EXPANSION if vocabulary else ""
        with override_settings(
            SEARCH_URL=search_url, SEMANTIC_SEARCH=semantic, SEARCH_QUERY_EXPANSION=expansion
        ):
            results = search_knowledge(request)
            pages = list(results[:CUTOFF])
        if results.backend != ("engine" if on_engine else "database"):
            raise BackendUnavailable(
                f"{query.id}: asked the {backend}, the {results.backend} answered"
            )
    return [page.specific.external_id or f"page-{page.pk}" for page in pages]


def _knowledge_query(query):
    params = QueryDict(mutable=True)
    params["q"] = query.q
    for name, values in query.filters.items():
        params.setlist(name, [str(value) for value in values])
    form = KnowledgeQueryForm(params)
    if not form.is_valid():
        raise ValueError(f"{query.id}: the search form refuses it: {form.errors.as_text()}")
    return form.knowledge_query(query.language)


def _semantic_results(request):
    """The first ``CUTOFF`` items whose best passage is nearest ``request``'s text, each shown in
    the version the search would show (the reader's language when there is one), with the
    request's filters."""
    nearest = passage_matrix().nearest_pages(embed_query(request.text), 10 * CUTOFF)
    scores = {near.page_id: near.score for near in nearest}
    keys = dict(KnowledgePage.objects.filter(pk__in=scores).values_list("pk", "translation_key"))
    best = {}
    for pk, key in keys.items():
        best[key] = max(best.get(key, -1.0), scores[pk])  # cosines: -1 to 1
    versions = KnowledgePage.objects.filter(translation_key__in=best)
    shown = visible_pages(versions, request.filters, request.language)
    return sorted(shown, key=lambda page: -best[page.translation_key])[:CUTOFF]


@dataclass
class Outcome:
    """One query's results on one backend, scored."""

    query: str
    backend: str
    language: str
    kind: str
    q: str
    results: list
    ndcg: float | None
    reciprocal_rank: float | None
    #: nDCG@10 with the other-language items graded too (module docstring).
    ndcg_pooled: float | None
    #: Time to answer and load the first ``CUTOFF`` results, the query embedded before
    #: (``embed_queries``).
    milliseconds: float = 0.0


def embed_queries(queries):
    """Embed each query's text as a search does (``search.semantic.query_vector``, which keeps
    it for the process), so that searches are timed without it; returns the milliseconds each
    took: a reader's first search of a text in a process takes that much more."""
    times = []
    for query in queries:
        text = split_query(_knowledge_query(query).text).positive
        started = time.perf_counter()
        query_vector(text)
        times.append(round((time.perf_counter() - started) * 1000, 2))
    return times


def evaluate(queries, backends=BACKENDS, verbosity=1, stream=None):
    """The ``Outcome`` of every query on every backend; progress per backend on ``stream``
    (``portal.progress``: a bar on a terminal, log lines elsewhere, nothing at verbosity 0)."""
    outcomes = []
    for backend in backends:
        with progress(f"Evaluating {backend}", len(queries), verbosity, stream, "query") as bar:
            outcomes += [_outcome(query, backend, bar) for query in queries]
    return outcomes


def _outcome(query, backend, bar):
    started = time.perf_counter()
    ids = ranked_ids(query, backend)
    elapsed = (time.perf_counter() - started) * 1000
    bar.advance()
    answerable = query.answerable
    return Outcome(
        query=query.id,
        backend=backend,
        language=query.language,
        kind=query.kind,
        q=query.q,
        results=ids,
        ndcg=ndcg(ids, query.judgments) if answerable else None,
        reciprocal_rank=reciprocal_rank(ids, query.judgments) if answerable else None,
        ndcg_pooled=ndcg(ids, query.pooled_judgments) if answerable else None,
        milliseconds=round(elapsed, 2),
    )


def summary(outcomes):
    """Figures per backend and group: ``{backend: {"language": {en: figures}, "kind": {...},
    "all": figures}}``. Languages (and "all") cover the monolingual queries; kinds cover all.

    Figures: ``queries``, ``ndcg``, ``mrr`` and ``zero_results`` (share of answerable queries
    with no result) over answerable queries; ``no_answer`` and ``no_answer_empty`` (share of
    unanswerable queries that found nothing).
    """
    grouped = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for outcome in outcomes:
        groups = grouped[outcome.backend]
        groups["kind"][outcome.kind].append(outcome)
        if outcome.kind != CROSS_LANGUAGE:
            groups["language"][outcome.language].append(outcome)
            groups["all"]["all"].append(outcome)
    times = defaultdict(list)
    for outcome in outcomes:
        times[outcome.backend].append(outcome.milliseconds)
    return {
        backend: {
            "language": {key: _figures(items) for key, items in sorted(groups["language"].items())},
            "kind": {key: _figures(items) for key, items in sorted(groups["kind"].items())},
            "all": _figures(groups["all"]["all"]),
            "milliseconds": _times(times[backend]),
        }
        for backend, groups in grouped.items()
    }


def _times(values):
    """Median and 95th percentile (``statistics.quantiles``, exclusive method) of ``values``."""
    if len(values) < 2:
        return {"median": values[0] if values else None, "p95": values[0] if values else None}
    return {
        "median": round(statistics.median(values), 1),
        "p95": round(statistics.quantiles(values, n=20)[18], 1),
    }


def _figures(outcomes):
    answerable = [outcome for outcome in outcomes if outcome.ndcg is not None]
    unanswerable = [outcome for outcome in outcomes if outcome.ndcg is None]
    return {
        "queries": len(answerable),
        "ndcg": _mean(outcome.ndcg for outcome in answerable),
        "ndcg_pooled": _mean(outcome.ndcg_pooled for outcome in answerable),
        "mrr": _mean(outcome.reciprocal_rank for outcome in answerable),
        "zero_results": _mean(float(not outcome.results) for outcome in answerable),
        "no_answer": len(unanswerable),
        "no_answer_empty": _mean(float(not outcome.results) for outcome in unanswerable),
    }


def _mean(values):
    values = list(values)
    return round(statistics.fmean(values), 4) if values else None


def worst(outcomes, count=10):
    """The ``count`` answerable monolingual outcomes with the lowest nDCG@10 per backend, worst
    first (cross-language queries are reported by their kind)."""
    by_backend = defaultdict(list)
    for outcome in outcomes:
        if outcome.ndcg is not None and outcome.kind != CROSS_LANGUAGE:
            by_backend[outcome.backend].append(outcome)
    return {
        backend: sorted(items, key=lambda outcome: (outcome.ndcg, outcome.query))[:count]
        for backend, items in by_backend.items()
    }


def report(outcomes, database_vendor, embedding=()):
    """The JSON-ready report: summary, worst queries and every outcome; the times of
    ``embedding`` the queries (``embed_queries``), if they were."""
    return {
        "database": database_vendor,
        "cutoff": CUTOFF,
        "query_embedding_milliseconds": _times(list(embedding)) if embedding else None,
        "summary": summary(outcomes),
        "worst": {
            backend: [asdict(outcome) for outcome in items]
            for backend, items in worst(outcomes).items()
        },
        "outcomes": [asdict(outcome) for outcome in outcomes],
    }


def format_report(data):
    """``report()`` as the text tables the command prints."""
    lines = []
    for backend, figures in data["summary"].items():
        title = f"{backend} ({data['database']})"
        lines += [
            "",
            f"{title}: nDCG@{data['cutoff']}, MRR, zero-result rate; pooled: nDCG@"
            f"{data['cutoff']} with other-language items graded",
            f"{'group':<22}{'queries':>8}{'nDCG':>8}{'MRR':>8}{'zero':>8}{'pooled':>8}",
        ]
        rows = [("all (monolingual)", figures["all"])]
        rows += [(f"language {key}", value) for key, value in figures["language"].items()]
        rows += [(f"kind {key}", value) for key, value in figures["kind"].items()]
        lines += [_row(name, value) for name, value in rows]
        if times := figures.get("milliseconds"):
            lines.append(f"time per query (ms): median {times['median']}, p95 {times['p95']}")
    if times := data.get("query_embedding_milliseconds"):
        lines += ["", f"query embedding (ms): median {times['median']}, p95 {times['p95']}"]
    for backend, items in data["worst"].items():
        lines += ["", f"Worst queries on the {backend} ({data['database']}):"]
        lines += [
            f"  {item['query']:<8}{item['ndcg']:.2f}  {item['kind']:<18}{item['q']}"
            for item in items
        ]
    return "\n".join(lines)


def _row(name, figures):
    if not figures["queries"]:
        empty = figures["no_answer_empty"]
        note = f"no-answer queries with no result: {empty:.0%}" if empty is not None else ""
        return f"{name:<22}{figures['no_answer']:>8}  {note}"
    cells = (figures["ndcg"], figures["mrr"], figures["zero_results"], figures["ndcg_pooled"])
    return f"{name:<22}{figures['queries']:>8}" + "".join(f"{value:>8.3f}" for value in cells)
