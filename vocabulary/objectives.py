"""Which objectives of the Global Compact for Migration each knowledge page serves.

A page serves an objective when one of its themes, or a keyword that names a concept, is that
objective's concept or is related to it (``skos:related``, either way), e.g. a page on the theme
"Counter-trafficking" serves objective 10. The rows (``knowledge.KnowledgePageObjective``) follow
the page as published, like the engine's documents: they are written when a page is published
(once per batch of changes), when a keyword is renamed or deleted, and, by the task worker, for
every live page when the vocabulary changes; the engine's documents follow. A script that changes
a live page's themes or keywords without publishing it, or outside ``knowledge.changes.batch()``,
leaves them (and the engine) as they were.
"""

import operator
from functools import reduce

from django.db import OperationalError, transaction
from django.db.models import Q
from django_tasks import task
from wagtail.models import Page

from knowledge.models import GCM_OBJECTIVES, KnowledgePage, KnowledgePageObjective
from knowledge.models.tags import TaggedKnowledgePage
from search.outbox import enqueue_pages as enqueue_for_engine
from vocabulary.models import Collection
from vocabulary.names import vocabulary_names
from vocabulary.seed import GCM_IDENTIFIER

#: Live pages whose objectives the task worker works out in one transaction.
BATCH_SIZE = 200
#: Times a batch is tried when the database gives up on it (a deadlock with a publish).
BATCH_ATTEMPTS = 3


def objective_number(names):
    """The number of the objective ``names`` (``vocabulary.names.ConceptNames``) is, or None
    when it is not a concept of the GCM collection identified as ``seed.gcm_identifier`` makes
    them."""
    found = GCM_IDENTIFIER.fullmatch(names.identifier)
    if names.collection != Collection.GCM_OBJECTIVES or not found:
        return None
    number = int(found.group(1))
    return number if number in GCM_OBJECTIVES else None


def gcm_titles(language):
    """``{number: (title, its language)}`` of the objectives in the vocabulary: each one's
    preferred label in ``language``, else in the default language (``ConceptNames.name_in``).
    The function ``KNOWLEDGE_OBJECTIVE_TITLES`` names."""
    names = vocabulary_names()
    numbered = ((objective_number(concept), concept) for concept in names.concepts.values())
    return {number: concept.name_in(language) for number, concept in numbered if number}


def objectives_by_concept(names):
    """``{identifier: {number, ...}}``: the objectives each concept of ``names`` stands for,
    itself when it is one and those related to it; concepts standing for none are left out.
    Worked out once per ``Names``."""
    if "objectives" not in names.derived:
        numbers = {key: objective_number(concept) for key, concept in names.concepts.items()}
        served = {}
        for identifier in names.concepts:
            linked = {numbers[key] for key in (identifier, *names.related_to(identifier))}
            linked.discard(None)
            if linked:
                served[identifier] = linked
        names.derived["objectives"] = served
    return names.derived["objectives"]


def record_objectives(page_ids, names=None):
    """Write the objectives of the knowledge pages ``page_ids`` from their themes and keywords
    as they are in the database, by ``names`` (the vocabulary's, ``vocabulary_names()`` when
    None); returns the ids of the pages whose objectives changed.

    The pages are locked first, in id order (PostgreSQL; SQLite writes one at a time), so a
    publish and the task worker never write one page's objectives at once."""
    names = names or vocabulary_names()
    page_ids = sorted({int(pk) for pk in page_ids})
    with transaction.atomic():  # a lock lasts as long as its transaction
        pages = Page.objects.select_for_update().filter(pk__in=page_ids).order_by("pk")
        list(pages.values_list("pk", flat=True))
        return _write_objectives(page_ids, _objectives_of(page_ids, names))


def _write_objectives(page_ids, wanted):
    held = {pk: set() for pk in page_ids}
    rows = KnowledgePageObjective.objects.filter(page_id__in=page_ids)
    for page_id, number in rows.values_list("page_id", "number"):
        held[page_id].add(number)
    changed = [pk for pk in page_ids if wanted[pk] != held[pk]]
    stale = [
        Q(page_id=pk, number__in=held[pk] - wanted[pk]) for pk in changed if held[pk] - wanted[pk]
    ]
    if stale:
        KnowledgePageObjective.objects.filter(reduce(operator.or_, stale)).delete()
    KnowledgePageObjective.objects.bulk_create(
        [
            KnowledgePageObjective(page_id=pk, number=number)
            for pk in changed
            for number in sorted(wanted[pk] - held[pk])
        ],
        ignore_conflicts=True,
    )
    return changed


def _objectives_of(page_ids, names):
    served = objectives_by_concept(names)
    wanted = {pk: set() for pk in page_ids}
    themes = KnowledgePage.themes.through.objects.filter(knowledgepage_id__in=page_ids)
    for page_id, slug in themes.values_list("knowledgepage_id", "theme__slug"):
        wanted[page_id] |= served.get(slug, set())
    tags = TaggedKnowledgePage.objects.filter(content_object_id__in=page_ids)
    for page_id, name in tags.values_list("content_object_id", "tag__name"):
        concept = names.concept_named(name)
        wanted[page_id] |= served.get(concept.identifier, set()) if concept else set()
    return wanted


def record_every_page_objectives():
    """Work out every live knowledge page's objectives again, by the vocabulary as it is now
    (read afresh: this process's copy may predate a change another process made),
    ``BATCH_SIZE`` pages per transaction, and have the engine index the pages whose objectives
    changed; returns how many changed."""
    names = vocabulary_names(fresh=True)
    page_ids = list(
        KnowledgePage.objects.filter(live=True).order_by("pk").values_list("pk", flat=True)
    )
    changed = 0
    for start in range(0, len(page_ids), BATCH_SIZE):
        changed += _record_batch(page_ids[start : start + BATCH_SIZE], names)
    return changed


def _record_batch(page_ids, names):
    for attempt in range(1, BATCH_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                pages = record_objectives(page_ids, names)
                enqueue_for_engine(pages)
                return len(pages)
        except OperationalError:  # a deadlock: PostgreSQL rolled this batch back
            if attempt == BATCH_ATTEMPTS:
                raise
    return 0


@task()
def record_all_objectives():
    """``record_every_page_objectives`` by the task worker, after the vocabulary changed."""
    record_every_page_objectives()


def record_all_objectives_after_commit():
    """Have the task worker run ``record_all_objectives`` once the current transaction commits,
    once however many changes the transaction holds (a concept's save is a signal per label).

    Django has no public way to ask whether a callback is still waiting for the commit: the
    connection's list, ``run_on_commit`` (``(savepoint ids, callback, robust)`` since Django
    4.2), is read, so a callback dropped with a rolled-back savepoint is registered again by the
    next change, and so is one that ran."""
    connection = transaction.get_connection()
    waiting = getattr(connection, "_objectives_refresh", None)
    if (
        waiting
        and not waiting.ran
        and any(entry[1] is waiting for entry in connection.run_on_commit)
    ):
        return
    connection._objectives_refresh = _RefreshAfterCommit()
    transaction.on_commit(connection._objectives_refresh)


class _RefreshAfterCommit:
    """The callback ``record_all_objectives_after_commit`` registers, knowing whether it ran."""

    ran = False

    def __call__(self):
        self.ran = True
        record_all_objectives.enqueue()
