"""Keep one ``Lesson`` record per entry of the items' followed streams, as they are published.

The records follow the live versions of an item: an entry first published gets its record, an
entry that leaves every live version is marked withdrawn (its URL then says so), and one that
comes back (a revision restored, a translation that keeps it) is current again.
"""

import uuid

from django.utils import timezone

from knowledge.models import KnowledgePage
from lessons.models import Lesson


def statements_of(page):
    """``[(block id, kind, block)]`` of the entries of ``page``'s followed streams
    (``KnowledgePage.followed_statements``), in reading order; ``page`` is a specific page."""
    return [
        (uuid.UUID(block.id), kind, block)
        for field, kind in page.followed_statements.items()
        for block in getattr(page, field)
        if block.id
    ]


def record_lessons(page_ids):
    """Bring the records of the items of ``page_ids`` in line with their live versions; returns
    the number of records created."""
    keys = set(
        KnowledgePage.objects.filter(pk__in=page_ids).values_list("translation_key", flat=True)
    )
    live = KnowledgePage.objects.filter(translation_key__in=keys, live=True).order_by("pk")
    present = {}
    for page in live.specific():
        for block_id, kind, block in statements_of(page):
            present.setdefault((page.translation_key, block_id), (kind, audience_of(block)))
    records = Lesson.objects.filter(item_key__in=keys)
    known = {
        (key, block): (withdrawn, audience)
        for key, block, withdrawn, audience in records.values_list(
            "item_key", "block_id", "withdrawn_at", "audience"
        )
    }
    Lesson.objects.bulk_create(
        [
            Lesson(item_key=key, block_id=block, kind=kind, audience=audience)
            for (key, block), (kind, audience) in present.items()
            if (key, block) not in known
        ],
        ignore_conflicts=True,
    )
    _set_withdrawn(records, {entry: withdrawn for entry, (withdrawn, _a) in known.items()}, present)
    _set_audiences(records, known, present)
    return sum(1 for entry in present if entry not in known)


def audience_of(block):
    """The audience code of a policy note's recommendation, else ""."""
    value = block.value
    return "" if isinstance(value, str) else value.get("audience", "") or ""


def _set_audiences(records, known, present):
    for (key, block), (_kind, audience) in present.items():
        if (key, block) in known and known[(key, block)][1] != audience:
            records.filter(item_key=key, block_id=block).update(audience=audience)


def _set_withdrawn(records, known, present):
    gone = [
        block
        for (key, block), withdrawn in known.items()
        if withdrawn is None and (key, block) not in present
    ]
    back = [
        block
        for (key, block), withdrawn in known.items()
        if withdrawn is not None and (key, block) in present
    ]
    if gone:
        records.filter(block_id__in=gone).update(withdrawn_at=timezone.now())
    if back:
        records.filter(block_id__in=back).update(withdrawn_at=None)
