"""The passage vectors: one ``PassageVector`` per passage of every live, public knowledge page, kept
in step with the pages like the full-text index (``search.text_index``). The database backend
searches them here (``search.semantic``); the engine's documents hold them too
(``search.engine_vectors``), so a page whose vectors change is queued for the outbox worker.

A page's passages are written again as a whole; a passage whose text (and model) was embedded
before, for this page or another, keeps its vector, so editing one paragraph of a report embeds
that paragraph only and a rebuild of an unchanged site embeds nothing.
"""

import hashlib

from django.db import transaction

from portal.batching import batched
from portal.progress import progress
from search.centring import ensure_reference_means
from search.embeddings import MODEL_NAME, embed_passages
from search.indexing import indexable_pages
from search.models import PassageGeneration, PassageVector
from search.outbox import enqueue_pages as enqueue_for_engine
from search.passages import passages_of

#: Pages read, embedded and written together.
BATCH_SIZE = 20


def text_hash(text):
    """SHA-256 (hex) of the model's name and ``text``: the key under which a vector is reused."""
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()


def update_pages(page_ids, advance=None):
    """Bring the passage vectors of ``page_ids`` up to date: those of live, public pages written,
    those of other pages (unpublished, restricted or deleted) removed. ``advance(n)``, when
    given, is called after each batch of ``n`` pages. Returns the number of passages embedded.

    The vectors of pages no longer searchable go first, so that a model that fails (raising
    from ``embed_passages``) never leaves a private or unpublished page's text searchable."""
    page_ids = sorted({int(pk) for pk in page_ids})
    _drop_unsearchable(page_ids)
    embedded = 0
    ensure_reference_means()
    for batch in batched(page_ids, BATCH_SIZE):
        rows = [
            (page.pk, passage, text_hash(passage.text))
            for page in indexable_pages().filter(pk__in=batch)
            for passage in passages_of(page)
        ]
        vectors = _known_vectors({digest for _pk, _passage, digest in rows})
        missing = {digest: passage.text for _pk, passage, digest in rows if digest not in vectors}
        fresh = embed_passages(missing.values())
        vectors.update(zip(missing, (row.tobytes() for row in fresh), strict=True))
        embedded += len(missing)
        _write(batch, rows, vectors)
        if advance:
            advance(len(batch))
    return embedded


def rebuild(verbosity=0, stream=None):
    """Embed every live, public page (reusing every unchanged passage's vector) and drop the
    vectors of other pages; returns ``(pages, passages embedded)``. Progress as
    ``portal.progress`` shows it."""
    ids = list(indexable_pages().values_list("pk", flat=True))
    _delete(PassageVector.objects.exclude(page_id__in=indexable_pages().values("pk")))
    with progress("Embedding passages", len(ids), verbosity, stream) as bar:
        embedded = update_pages(ids, advance=bar.advance)
    return len(ids), embedded


def _drop_unsearchable(page_ids):
    """Delete the vectors of those of ``page_ids`` that are not live and public."""
    searchable = indexable_pages().values("pk")
    for batch in batched(page_ids, 500):
        _delete(PassageVector.objects.filter(page_id__in=batch).exclude(page_id__in=searchable))


def _delete(vectors):
    """Delete ``vectors`` (a queryset) if there are any: a change that changes nothing would
    still make every search process read the vectors again (``PassageGeneration``)."""
    if vectors.exists():
        with transaction.atomic():
            PassageGeneration.advance()
            vectors.delete()


def _write(page_ids, rows, vectors):
    """Replace the vectors of those of ``page_ids`` whose passages changed by ``rows`` (``(page
    id, passage, text hash)``)."""
    stored = PassageVector.objects.filter(page_id__in=page_ids)
    stored = stored.values_list(
        "page_id", "ordinal", "section", "block_id", "text_hash", "model_name"
    )
    wanted = {
        (pk, item.ordinal, item.section, item.block_id or "", digest, MODEL_NAME)
        for pk, item, digest in rows
    }
    # (page, ordinal) is unique: a page whose rows are in one set only changed.
    changed = {row[0] for row in set(stored) ^ wanted}
    if not changed:
        return
    with transaction.atomic():
        PassageGeneration.advance()
        # The engine's documents hold the vectors too (``search.engine_vectors``).
        enqueue_for_engine(changed)
        PassageVector.objects.filter(page_id__in=changed).delete()
        PassageVector.objects.bulk_create(
            PassageVector(
                page_id=pk,
                ordinal=passage.ordinal,
                section=passage.section,
                block_id=passage.block_id or "",
                model_name=MODEL_NAME,
                text_hash=digest,
                vector=vectors[digest],
            )
            for pk, passage, digest in rows
            if pk in changed
        )


def _known_vectors(digests):
    """``{text hash: vector bytes}`` of those of ``digests`` already stored."""
    known = {}
    for batch in batched(sorted(digests), 500):
        rows = PassageVector.objects.filter(text_hash__in=batch).values_list("text_hash", "vector")
        known.update((digest, bytes(vector)) for digest, vector in rows)
    return known
