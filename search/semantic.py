"""Semantic search on the database backend: every passage vector (``search.passage_index``) held in
memory and scored against the query's with numpy, exactly (no approximate index).

Language centring. The model places texts of one language closer to each other than to texts of
like meaning in another: on the judged set a French query found French items first whatever they
were about (cross-language nDCG@10 0.43). Subtracting each language's mean vector from its vectors
before comparing them removes most of that (0.82 on the same set; Libovický, Rosa & Fraser, "On
the Language Neutrality of Pre-trained Multilingual Representations", Findings of EMNLP 2020).
The means are those of ``search.centring`` (the site's passages per page language, shrunk towards
reference sentences); a query is centred with the mean of the language it is nearest to (the
model's own language signal), which tells the language of a sentence, not always that of a lone
name.

Memory and time: 384 float32 numbers per passage, 1,536 bytes; a realistic report has 20 to 80
passages, so about 1 GB holds some 10,000 reports, and scoring 200,000 passages took about 50 ms
here (float16 would halve the memory, but numpy multiplies it ten times slower). Past that the
engine is the place: with one configured, its index holds the vectors and answers
(``search.engine_vectors``), and this matrix is read only when the database answers instead.
"""

import functools
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from django.conf import settings
from wagtail.models import Page

from knowledge.visibility import public_knowledge_pages
from search.centring import centred_query, reference_means, shrunk_means, unit
from search.embeddings import MODEL_NAME, ModelBusy, embed_query, vector_of
from search.models import PassageGeneration, PassageVector
from search.passages import passages_of

logger = logging.getLogger(__name__)


class Near(NamedTuple):
    """A page near a query: its id, the centred cosine of its nearest passage (-1 to 1) and that
    passage's ordinal (``search.passages``)."""

    page_id: int
    score: float
    ordinal: int


@dataclass(frozen=True)
class PassageMatrix:
    """The site's passages, centred: ``page_ids`` (n,) sorted with ``ordinals`` (n,) within each
    page, ``block_ids`` (n,) the entry each passage comes from ("" for none), ``vectors`` (n, d)
    float32 rows of length 1, ``means`` ``{language: (d,) float32}``, and
    the ``generation`` (``PassageGeneration``) read before them: a later change makes it stale."""

    page_ids: np.ndarray
    ordinals: np.ndarray
    block_ids: np.ndarray
    vectors: np.ndarray
    means: dict
    generation: uuid.UUID | None

    @classmethod
    def read(cls, generation):
        """Read every passage vector of the current model and centre it (``search.centring``);
        ``generation`` is kept to tell when the rows changed."""
        rows = PassageVector.objects.filter(model_name=MODEL_NAME)
        rows = rows.order_by("page_id", "ordinal").values_list(
            "page_id", "ordinal", "block_id", "page__locale__language_code", "vector"
        )
        page_ids, ordinals, block_ids, languages, vectors = [], [], [], [], []
        for page_id, ordinal, block_id, language, vector in rows.iterator(chunk_size=2000):
            page_ids.append(page_id)
            ordinals.append(ordinal)
            block_ids.append(block_id)
            languages.append(language)
            vectors.append(vector_of(vector))
        if not vectors:
            empty = np.zeros(0, np.int64)
            blocks = np.zeros(0, object)
            return cls(empty, empty, blocks, np.zeros((0, 0), np.float32), {}, generation)
        matrix, languages = np.vstack(vectors), np.array(languages)
        present = set(languages.tolist())
        sums = {language: matrix[languages == language].sum(axis=0) for language in present}
        counts = {language: int((languages == language).sum()) for language in present}
        means = shrunk_means(sums, counts, reference_means())
        for language in present:
            matrix[languages == language] -= means[language]
        return cls(
            np.array(page_ids),
            np.array(ordinals),
            np.array(block_ids, dtype=object),
            unit(matrix),
            means,
            generation,
        )

    def nearest_pages(self, vector, limit, floor=-1.0):
        """``[Near]``, best first: the ``limit`` pages whose best passage is nearest ``vector``
        (a query's embedding, not centred), those whose score is below ``floor`` left out."""
        return self.nearest_to_centred(centred_query(vector, self.means), limit, floor)

    def nearest_to_centred(self, vector, limit, floor=-1.0):
        """``nearest_pages`` of a ``vector`` centred already, of length 1 (e.g. a page's own)."""
        if not len(self.page_ids):
            return []
        # einsum rather than ``@``: OpenBLAS's threads made a product of 1,782 passages take 2-8 ms
        # in a busy process (0.1 ms here), and a web worker should not start a thread pool.
        scores = np.einsum("ij,j->i", self.vectors, vector)
        starts = np.flatnonzero(np.r_[True, self.page_ids[1:] != self.page_ids[:-1]])
        best = np.maximum.reduceat(scores, starts)
        order = np.argsort(-best, kind="stable")[:limit]
        return [self._near(scores, starts, i) for i in order if best[i] >= floor]

    def _near(self, scores, starts, page):
        first = starts[page]
        last = starts[page + 1] if page + 1 < len(starts) else len(scores)
        row = first + int(np.argmax(scores[first:last]))
        return Near(int(self.page_ids[row]), float(scores[row]), int(self.ordinals[row]))


_lock = threading.Lock()
_current = None


def passage_matrix():
    """The ``PassageMatrix`` of the passages stored now: read again when they changed since it was
    last read (``PassageGeneration`` tells), else the one this process holds."""
    global _current
    with _lock:
        generation = PassageGeneration.current()
        if _current is None or _current.generation != generation:
            _current = PassageMatrix.read(generation)
        return _current


#: Items the semantic side of a search brings, at most (``nearest_items``).
CANDIDATES = 50
#: The lowest centred cosine at which an item counts as an answer. On the judged set (README,
#: "Semantic search"), fused with the words, nDCG@10 monolingual / cross-language: 0.918 / 0.681
#: at 0.1, 0.912 / 0.680 at 0.15, 0.905 / 0.635 at 0.2; 0.15 brings a median of 11 of the 92
#: items per query (0.1 many more), so totals and facets stay meaningful. No floor tells a query
#: without an answer: their nearest items score 0.21 to 0.37, the answers of some cross-language
#: queries 0.19.
FLOOR = 0.15
#: How far below the nearest item's score another may lie and still count (centred cosine):
#: a query's answers lie close to its best one, its vague neighbours further off. On the judged
#: set, with the floor: 0.15 kept a median of 6 items per query instead of 11, nDCG@10
#: cross-language 0.692 instead of 0.688, monolingual 0.909 instead of 0.911; 0.10 kept 4 and
#: lost 0.04 across languages; 0.20 kept 8.
MARGIN = 0.15
#: The longest text embedded as a query, in characters: a query, not a document.
QUERY_CHARS = 500


def nearest_items(text, limit=CANDIDATES, floor=FLOOR):
    """``{translation key: (Near, ...)}``, nearest first, of at most ``limit`` items (every
    version of an item shares its key) whose best passage lies at ``floor`` or nearer ``text``, a
    reader's query, and within ``MARGIN`` of the nearest; each ``Near`` names a version near
    enough and its passage nearest the query, nearest first. Empty when semantic search is off
    (``settings.SEMANTIC_SEARCH``), nothing is embedded yet, or the query could not be embedded
    in time (``query_vector``): the search is then by words alone."""
    matrix = passage_matrix() if settings.SEMANTIC_SEARCH else None
    if matrix is None or not len(matrix.page_ids):
        return {}
    vector = query_vector(text)
    if vector is None:
        return {}
    # Versions of one item each have their passages: read enough pages for ``limit`` items.
    return public_items(matrix.nearest_pages(vector, limit * 4, floor), limit, MARGIN)


def entry_scores(text, page_ids):
    """``{block id: centred cosine}``: how near ``text``, a reader's query, each entry (a
    StreamField block: a lesson, a recommendation) of the pages ``page_ids`` is, by its nearest
    passage in any of those pages (an entry's versions share its id). What the lesson register
    ranks a report's entries by. Empty when semantic search is off, nothing is embedded yet, or
    the query could not be embedded in time (``query_vector``). Reads the process's
    ``passage_matrix`` whichever backend answers the search."""
    matrix = passage_matrix() if settings.SEMANTIC_SEARCH and page_ids else None
    if matrix is None or not len(matrix.page_ids):
        return {}
    vector = query_vector(text)
    if vector is None:
        return {}
    rows = np.isin(matrix.page_ids, list(page_ids)) & (matrix.block_ids != "")
    scores = np.einsum("ij,j->i", matrix.vectors[rows], centred_query(vector, matrix.means))
    nearest = {}
    for block_id, score in zip(matrix.block_ids[rows].tolist(), scores.tolist(), strict=True):
        nearest[block_id] = max(score, nearest.get(block_id, -1.0))
    return nearest


def items_like(page, limit, floor=FLOOR):
    """``[translation key]``, nearest first, of at most ``limit`` items other than ``page``'s
    whose best passage lies at ``floor`` or nearer the mean of ``page``'s own passages (its
    subject as a whole, centred): items like it, in any language. Empty when semantic search is
    off or the page has no vectors yet. Not judged (README, "Semantic search"): the floor and
    margin are the queries'."""
    matrix = passage_matrix() if settings.SEMANTIC_SEARCH else None
    rows = matrix.vectors[matrix.page_ids == page.pk] if matrix is not None else ()
    if not len(rows):
        return []
    # Its own item's versions come first: read enough pages for ``limit`` others.
    scored = matrix.nearest_to_centred(unit(rows.mean(axis=0)), (limit + 1) * 4, floor)
    return list(public_items(scored, limit, MARGIN, other_than=page.translation_key))


def public_items(scored, limit, margin, other_than=None):
    """``{translation key: (Near, ...)}`` of at most ``limit`` items among ``scored`` (``[Near]``,
    nearest first), their public versions only, the item ``other_than`` left out, within
    ``margin`` of the nearest."""
    # Public pages only: a page unpublished or made private keeps its vectors until the task
    # worker drops them, and its item's public versions must not come up for its hidden text.
    pages = public_knowledge_pages().filter(pk__in=[near.page_id for near in scored])
    pages = pages.exclude(translation_key=other_than)
    return items_of(scored, dict(pages.values_list("pk", "translation_key")), limit, margin)


def items_of(scored, keys, limit, margin=MARGIN):
    """``{translation key: (Near, ...)}`` of at most ``limit`` items among ``scored`` (``[Near]``,
    nearest first) whose pages ``keys`` holds (``{page id: translation key}``), within ``margin``
    of the nearest of them: each item's versions near enough, nearest first."""
    scored = [near for near in scored if near.page_id in keys]
    if scored:
        scored = [near for near in scored if near.score >= scored[0].score - margin]
    items = {}
    for near in scored:
        key = keys[near.page_id]
        if key in items:
            items[key] += (near,)
        elif len(items) < limit:
            items[key] = (near,)
    return items


def nearest_passages(page_ids, items):
    """``{page id: (language code, text)}``: for each of ``page_ids`` (versions shown) whose item
    is among ``items`` (``nearest_items``), its own passage nearest the query when it is near
    enough, else that of its item's nearest version, in the language of the version it is from,
    without the title every passage starts with. What a result found by meaning shows instead of
    highlighted words."""
    if not page_ids or not items:
        return {}
    keys = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "translation_key"))
    nearest = {
        pk: next((near for near in items[key] if near.page_id == pk), items[key][0])
        for pk, key in keys.items()
        if key in items
    }
    sources = Page.objects.filter(pk__in=[near.page_id for near in nearest.values()])
    sources = {page.pk: page for page in sources.specific().select_related("locale")}
    found = {}
    for pk, near in nearest.items():
        source = sources.get(near.page_id)
        passages = passages_of(source) if source is not None else []
        if near.ordinal < len(passages):  # else edited since it was embedded
            text = passages[near.ordinal].text.removeprefix(f"{source.title}. ")
            found[pk] = (source.locale.language_code, text)
    return found


#: Seconds a process searches by words alone after the model failed, rather than failing (and
#: logging it) on every search.
FAILURE_PAUSE = 60.0
_failed_at = None


def query_vector(text):
    """The embedding of ``text`` (cut to ``QUERY_CHARS``) as a query, cached per process; None
    when the model stayed busy for ``settings.SEMANTIC_QUERY_WAIT`` seconds, or failed within
    the last ``FAILURE_PAUSE`` seconds."""
    global _failed_at
    if _failed_at is not None and time.monotonic() - _failed_at < FAILURE_PAUSE:
        return None
    try:
        return _query_vector(" ".join(text.split())[:QUERY_CHARS])
    except ModelBusy:
        return None
    except Exception:  # the model is a library in this process: a search answers without it
        _failed_at = time.monotonic()
        logger.exception("The query could not be embedded; searching by words alone")
        return None


@functools.lru_cache(maxsize=2048)
def _query_vector(text):
    vector = embed_query(text, wait=settings.SEMANTIC_QUERY_WAIT)
    vector.flags.writeable = False  # shared by every search of the same text
    return vector
