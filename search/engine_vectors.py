"""Semantic search in the engine: every passage vector of a page (``search.passage_index``) in its
document, and the items nearest a query read from the engine.

The vectors are a nested ``passages`` field of each document, centred as ``search.semantic``
centres them (``search.centring`` says why). Centring needs each language's mean, which moves as
the site grows, while a stored vector cannot follow it: the means are fixed when an index version
is created (from the passages stored then) and kept in its mapping's ``_meta``, so every document
of the version and every query on it is centred alike. ``search_index rebuild`` centres anew.

Two kinds of index, chosen when a version is created (``kind_for``):

- ``knn``, when every node runs OpenSearch's k-NN plugin: ``knn_vector`` fields (Lucene's HNSW
  graph; the plugin's other engines need native libraries) searched by a nested ``knn`` query.
  Approximate: Lucene keeps ``k`` candidates per segment, and ``k`` is the number of pages read
  (200, ``search.semantic.CANDIDATES`` x 4), where recall was seen near 0.94 on real vectors
  (against 0.47 at ``k=10``); random vectors, HNSW's worst case, keep about half (``make
  bench-vectors``).
- ``script``, on any other cluster: vectors as ``binary`` doc values, scored exactly by a Painless
  ``script_score`` over every passage (540 ms for 100,000 passages here, ``make bench-vectors``).

Both score a passage ``(1 + cosine) / 2``, the Lucene engine's ``cosinesimil`` score (OpenSearch
k-NN documentation, "Spaces"), and a page by its best passage, so the floor and margin of
``search.semantic`` apply unchanged. An index without vectors in its ``_meta`` (built before
them) is not searched by meaning: the database's vectors answer for it (``search.semantic``).
"""

import base64
import hashlib
import threading
import time
from dataclasses import dataclass

import numpy as np
from elasticsearch.dsl import Q, Search

from search.centring import centred_query, site_means, unit
from search.embeddings import DIMENSIONS, MODEL_NAME, vector_of
from search.engines import IndexMissing
from search.models import PassageVector

KNN, SCRIPT = "knn", "script"

#: The ``knn_vector`` mapping: ``engine`` must be named, or the plugin takes faiss, whose native
#: library a plugin from Maven Central lacks (the first document then hangs its request).
KNN_VECTOR = {
    "type": "knn_vector",
    "dimension": DIMENSIONS,
    "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"},
}
BINARY_VECTOR = {"type": "binary", "doc_values": True}

#: A passage's ``(1 + cosine) / 2`` from its vector, little-endian float32 bytes, and the
#: query's (``params.query``, centred). Bytes are widened to ints one by one: Painless refused
#: ``(a[j] & 0xff)`` in a longer expression ("Illegal tree structure", OpenSearch 3.5).
DOT_PRODUCT_SCRIPT = """
BytesRef value = doc['passages.vector'].value;
byte[] bytes = value.bytes;
List query = params.query;
double dot = 0;
for (int i = 0; i < query.size(); i++) {
  int j = value.offset + 4 * i;
  int b0 = bytes[j]; int b1 = bytes[j + 1]; int b2 = bytes[j + 2]; int b3 = bytes[j + 3];
  int bits = (b0 & 255) | ((b1 & 255) << 8) | ((b2 & 255) << 16) | (b3 << 24);
  dot += Float.intBitsToFloat(bits) * (double) query.get(i);
}
return (1 + dot) / 2;
"""

#: Decimals kept of each number of a vector sent to a ``knn_vector`` field: a centred unit
#: vector's numbers are of the order of 0.05, so the cosine moves by less than 1e-4.
KNN_DECIMALS = 5


def kind_for(engine):
    """``KNN`` when the engine offers k-NN, else ``SCRIPT``."""
    return KNN if engine.offers_knn() else SCRIPT


def with_vectors(body, kind):
    """``body`` (``search.documents.index_body()``, changed in place) with the passages' vector
    mapped for ``kind`` (and ``index.knn`` set, which the plugin reads when the index is
    created)."""
    body["mappings"]["properties"]["passages"]["properties"]["vector"] = (
        KNN_VECTOR if kind == KNN else BINARY_VECTOR
    )
    if kind == KNN:
        body["settings"] = {**body.get("settings", {}), "knn": True}
    return body


@dataclass(frozen=True)
class IndexVectors:
    """How one index version holds vectors: its ``kind`` (``KNN`` or ``SCRIPT``), the ``model``
    that made them, the ``means`` (``{language: (d,) float32}``) they were centred with and the
    number of passages those means were taken from, ``means_from`` (``search_index status``
    compares it with the passages stored now: a site that grew a lot since is better centred
    anew)."""

    kind: str
    model: str
    means: dict
    means_from: int = 0

    @classmethod
    def new(cls, kind):
        """For a version about to be created: the means of the passages stored now."""
        means, means_from = site_means()
        return cls(kind, MODEL_NAME, means, means_from)

    @classmethod
    def from_meta(cls, meta):
        """The ``IndexVectors`` an index's ``_meta`` records, or None when it records none (an
        index built before vectors) or another model's."""
        recorded = meta.get("vectors")
        if not isinstance(recorded, dict) or recorded.get("model") != MODEL_NAME:
            return None
        means = {
            language: np.asarray(mean, dtype=np.float32)
            for language, mean in recorded["means"].items()
        }
        return cls(recorded["kind"], recorded["model"], means, recorded.get("means_from", 0))

    def meta(self):
        """What ``from_meta`` reads back: ``{"vectors": {"kind", "model", "means",
        "means_from"}}``."""
        means = {language: mean.tolist() for language, mean in self.means.items()}
        recorded = {"kind": self.kind, "model": self.model, "means": means}
        return {"vectors": recorded | {"means_from": self.means_from}}

    def passages(self, pages):
        """``{page id: [{"ordinal", "vector"}]}``: the stored passages of ``pages`` (specific
        knowledge pages), each centred with its page's language mean, in ordinal order."""
        languages = {page.pk: page.locale.language_code for page in pages}
        rows = PassageVector.objects.filter(page_id__in=list(languages), model_name=self.model)
        found = {}
        for page_id, ordinal, vector in rows.order_by("page_id", "ordinal").values_list(
            "page_id", "ordinal", "vector"
        ):
            centred = self.centred(vector_of(vector), languages[page_id])
            found.setdefault(page_id, []).append(
                {"ordinal": ordinal, "vector": self.as_sent(centred)}
            )
        return found

    def centred(self, vectors, language):
        """``vectors`` ((d,) or (n, d)) of passages in ``language``, centred, of length 1."""
        mean = self.means.get(language)
        return unit(vectors - mean if mean is not None else vectors)

    def as_sent(self, vector):
        """``vector`` (d,) as a document holds it: numbers for ``KNN``, base64 of little-endian
        float32 bytes for ``SCRIPT``."""
        if self.kind == KNN:
            return [round(number, KNN_DECIMALS) for number in vector.tolist()]
        return base64.b64encode(vector.astype("<f4").tobytes()).decode("ascii")

    def nearest_search(self, vector, pages, floor=-1.0, language=None):
        """The ``Search`` of the ``pages`` documents whose best passage is nearest ``vector``,
        best first, those whose best passage's cosine is below ``floor`` left out, with that
        passage's ordinal as inner hit. ``vector`` is a query's embedding (d,), centred here with
        the mean of the language it is nearest to; or, with ``language``, a page's passage
        vectors (n, d) in that language, whose centred mean (the page's subject as a whole) is
        searched.

        The floor is the engine's ``min_score``: each hit returned costs its inner hit, and
        returning 200 pages took 48 ms where 20 took 10 (k-NN on 3,000 passages)."""
        if language is None:
            query = centred_query(vector, self.means).tolist()
        else:
            query = unit(self.centred(vector, language).mean(axis=0)).tolist()
        if self.kind == KNN:
            scored = Q("knn", passages__vector={"vector": query, "k": pages})
        else:
            script = {"source": DOT_PRODUCT_SCRIPT, "params": {"query": query}}
            scored = Q("script_score", query=Q("match_all"), script=script)
        best = {"size": 1, "_source": False, "docvalue_fields": ["passages.ordinal"]}
        nested = Q("nested", path="passages", score_mode="max", query=scored, inner_hits=best)
        return (
            Search().query(nested).source(["page_id"]).extra(size=pages, min_score=score_of(floor))
        )


def passage_digests(page_ids):
    """``{page id: digest}`` of the passages stored for ``page_ids`` (their ordinals and text
    hashes): a page's document is stale when its digest changed (``search.serialize``)."""
    rows = PassageVector.objects.filter(page_id__in=list(page_ids), model_name=MODEL_NAME)
    parts = {}
    for page_id, ordinal, digest in rows.order_by("page_id", "ordinal").values_list(
        "page_id", "ordinal", "text_hash"
    ):
        parts.setdefault(page_id, []).append(f"{ordinal}:{digest}")
    return {
        page_id: hashlib.sha1("|".join(found).encode()).hexdigest()  # noqa: S324  (change detection)
        for page_id, found in parts.items()
    }


_lock = threading.Lock()
_by_index = {}


def vectors_of(engine, index, timeout=None):
    """The ``IndexVectors`` of index version ``index`` (a name, not the alias), read from its
    ``_meta`` once per process (within ``timeout`` seconds when given): a version's vectors
    never change."""
    with _lock:
        if index in _by_index:
            return _by_index[index]
    found = IndexVectors.from_meta(engine.index_settings(index, timeout)["meta"])
    with _lock:
        return _by_index.setdefault(index, found)


#: Seconds a process searches the index version it last saw behind an alias before reading
#: the alias again (at once when that version is gone: a rebuild swapped it and deleted it).
ALIAS_RECHECK_SECONDS = 30.0


class LiveIndex:
    """The index version behind each alias, as one process last saw it. A search by meaning
    goes to that version itself, not to the alias, so its query is always built for that
    version's vectors (their kind and centring) even while a rebuild swaps the alias."""

    def __init__(self):
        self.seen = {}  # {alias: (index version or None, when the alias was read)}

    def nearest(self, engine, alias, vector, pages, floor=-1.0, language=None, timeout=None):
        """The reply to ``IndexVectors.nearest_search`` of ``vector``, ``pages``, ``floor`` and
        ``language`` on the version behind ``alias`` (within ``timeout`` seconds when given,
        else the engine's; so is each read of the alias and of the version's vectors before
        it), or None when that version holds no vectors or the alias points at no single
        version."""
        for fresh in (False, True):
            index = self._index(engine, alias, fresh, timeout)
            try:
                vectors = vectors_of(engine, index, timeout) if index else None
                if vectors is None:
                    return None
                search = vectors.nearest_search(vector, pages, floor, language)
                return engine.search(search, index, timeout)
            except IndexMissing:
                if fresh:
                    raise
        return None

    def _index(self, engine, alias, fresh, timeout):
        index, read_at = self.seen.get(alias, (None, -ALIAS_RECHECK_SECONDS))
        if fresh or time.monotonic() - read_at >= ALIAS_RECHECK_SECONDS:
            behind = engine.indices_behind(alias, timeout)
            index = behind[0] if len(behind) == 1 else None
            self.seen[alias] = (index, time.monotonic())
        return index


live_index = LiveIndex()


def cosine_of(score):
    """The cosine of a passage's score in a nearest search: both kinds score ``(1 + cos) / 2``."""
    return 2 * score - 1


def score_of(cosine):
    """The score of a passage at ``cosine`` in a nearest search (``cosine_of``'s inverse)."""
    return (1 + cosine) / 2
