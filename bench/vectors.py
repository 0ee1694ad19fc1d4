"""What searching by meaning costs the engine, by kind of index (``search.engine_vectors``): k-NN
(``knn_vector``, Lucene's HNSW) against the exact script over binary doc values, on the same
synthetic passages, with the recall of k-NN's first ten pages against the exact ones.

The passages are random unit vectors (``DIMENSIONS`` numbers), ``passages`` per page: what the
engine does with a vector does not depend on what it says, and embedding a realistic corpus of
10,000 reports would take hours (README, "Semantic search"). Two scratch indices are made under
the index prefix and deleted afterwards.
"""

import time
import uuid

import numpy as np
from django.conf import settings

from bench.timing import Case, compare, load_average
from search.centring import unit
from search.client import get_engine
from search.documents import index_body
from search.embeddings import DIMENSIONS
from search.engine_vectors import KNN, SCRIPT, IndexVectors, with_vectors

#: Pages read per query: the portal's (``search.semantic.CANDIDATES`` x 4).
PAGES_READ = 200
#: Documents per bulk request.
BULK_PAGES = 100


def run(pages, passages, queries, repeats, seed=13):
    """``{"pages", "passages", "indexing_seconds": {kind}, "timing": compare(...), "recall_at_10",
    "load"}``: ``pages`` synthetic pages of ``passages`` passages each in one index of each kind,
    ``queries`` random query vectors timed ``repeats`` times over (k-NN as ``portal``, the
    exact script as ``raw``)."""
    engine = get_engine()
    if not engine.offers_knn():
        raise RuntimeError(f"{engine} has no k-NN plugin: nothing to compare the script with")
    # Not under the alias's name: a rebuild deletes every index named like its versions.
    names = {kind: f"{settings.SEARCH_INDEX_PREFIX}-vectors-{kind}" for kind in (KNN, SCRIPT)}
    try:
        indexing = {  # the same passages in both: the same seed
            kind: _fill(engine, name, kind, pages, passages, np.random.default_rng(seed))
            for kind, name in names.items()
        }
        rng = np.random.default_rng(seed + 1)
        pool = [unit(rng.standard_normal(DIMENSIONS).astype(np.float32)) for _ in range(queries)]
        searches = {
            kind: [IndexVectors(kind, "synthetic", {}).nearest_search(q, PAGES_READ) for q in pool]
            for kind in names
        }
        recall = _recall(engine, names, searches)
        case = Case(
            portal=[lambda s=s: engine.search(s, names[KNN]) for s in searches[KNN]],
            raw=[lambda s=s: engine.search(s, names[SCRIPT]) for s in searches[SCRIPT]],
        )
        timing = compare({"nearest pages": case}, repeats)
    finally:
        for name in names.values():
            engine.delete_index(name)
    return {
        "pages": pages,
        "passages": pages * passages,
        "indexing_seconds": indexing,
        "timing": timing,
        "recall_at_10": recall,
        "load": load_average(),
    }


def _fill(engine, name, kind, pages, passages, rng):
    """Create index ``name`` of ``kind`` and write the synthetic pages; returns the seconds."""
    engine.delete_index(name)
    body = with_vectors(index_body(), kind)
    engine.create_index(name, body)
    sender = IndexVectors(kind, "synthetic", {})
    started = time.perf_counter()
    for first in range(0, pages, BULK_PAGES):
        actions = []
        for page_id in range(first, min(first + BULK_PAGES, pages)):
            rows = unit(rng.standard_normal((passages, DIMENSIONS)).astype(np.float32))
            source = {
                "page_id": page_id,
                "translation_key": str(uuid.UUID(int=page_id)),
                "passages": [
                    {"ordinal": i, "vector": sender.as_sent(row)} for i, row in enumerate(rows)
                ],
            }
            actions.append({"_op_type": "index", "_index": name, "_id": page_id, "_source": source})
        engine.bulk(actions)
    engine.refresh(name)
    return round(time.perf_counter() - started, 1)


def _recall(engine, names, searches):
    """The share of the exact first ten pages that k-NN's first ten hold, over the pool."""
    found = []
    for approximate, exact in zip(searches[KNN], searches[SCRIPT], strict=True):
        knn = {hit.page_id for hit in engine.search(approximate, names[KNN]).hits[:10]}
        truth = {hit.page_id for hit in engine.search(exact, names[SCRIPT]).hits[:10]}
        found.append(len(knn & truth) / len(truth))
    return round(float(np.mean(found)), 3)
