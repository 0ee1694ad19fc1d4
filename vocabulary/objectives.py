"""Which objectives of the Global Compact for Migration each knowledge page serves.

A page serves an objective when one of its themes, or a keyword that names a concept, is that
objective's concept or is related to it (``skos:related``, either way), e.g. a page on the theme
"Counter-trafficking" serves objective 10. The rows (``knowledge.KnowledgePageObjective``) are
written when a page is published (once per batch of changes), when a keyword is renamed, and, by
the task worker, for every page when the vocabulary changes; the engine's documents follow.
"""

import re

from django.db import transaction
from django_tasks import task

from knowledge import changes
from knowledge.models import GCM_OBJECTIVES, KnowledgePage, KnowledgePageObjective
from knowledge.models.tags import TaggedKnowledgePage
from search.outbox import enqueue_pages as enqueue_for_engine
from vocabulary.models import Collection
from vocabulary.names import vocabulary_names

#: Pages whose objectives are worked out together when the vocabulary changes.
BATCH_SIZE = 1000
_IDENTIFIER = re.compile(r"gcm-objective-([0-9]{1,2})")


def gcm_identifier(number):
    """The identifier of the Global Compact's objective ``number`` (1-23): 'gcm-objective-10'."""
    return f"gcm-objective-{number}"


def objective_number(names):
    """The number of the objective ``names`` (``vocabulary.names.ConceptNames``) is, or None
    when it is not a concept of the GCM collection identified by ``gcm_identifier``."""
    found = _IDENTIFIER.fullmatch(names.identifier)
    if names.collection != Collection.GCM_OBJECTIVES or not found:
        return None
    number = int(found.group(1))
    return number if number in GCM_OBJECTIVES else None


def objective_names(language):
    """``{number: (name, its language)}`` of the objectives in the vocabulary: each one's
    preferred label in ``language``, else in the default language (``ConceptNames.name_in``).
    The function ``KNOWLEDGE_OBJECTIVE_NAMES`` names."""
    names = vocabulary_names()
    numbered = ((objective_number(concept), concept) for concept in names.concepts.values())
    return {number: concept.name_in(language) for number, concept in numbered if number}


def objectives_by_concept(names):
    """``{identifier: {number, ...}}``: the objectives each concept of ``names`` stands for,
    itself when it is one and those related to it; concepts standing for none are left out."""
    numbers = {
        identifier: objective_number(concept) for identifier, concept in names.concepts.items()
    }
    served = {}
    for identifier in names.concepts:
        linked = {numbers[key] for key in (identifier, *names.related_to(identifier))}
        linked.discard(None)
        if linked:
            served[identifier] = linked
    return served


def record_objectives(page_ids):
    """Write the objectives of the knowledge pages ``page_ids`` from their themes and keywords
    as they are in the database; returns the ids of the pages whose objectives changed."""
    names = vocabulary_names()
    served = objectives_by_concept(names)
    page_ids = {int(pk) for pk in page_ids}
    wanted = {pk: set() for pk in page_ids}
    themes = KnowledgePage.themes.through.objects.filter(knowledgepage_id__in=page_ids)
    for page_id, slug in themes.values_list("knowledgepage_id", "theme__slug"):
        wanted[page_id] |= served.get(slug, set())
    tags = TaggedKnowledgePage.objects.filter(content_object_id__in=page_ids)
    for page_id, name in tags.values_list("content_object_id", "tag__name"):
        concept = names.concept_named(name)
        wanted[page_id] |= served.get(concept.identifier, set()) if concept else set()
    held = {pk: set() for pk in page_ids}
    rows = KnowledgePageObjective.objects.filter(page_id__in=page_ids)
    for page_id, number in rows.values_list("page_id", "number"):
        held[page_id].add(number)
    changed = [pk for pk in page_ids if wanted[pk] != held[pk]]
    rows.filter(page_id__in=changed).delete()
    KnowledgePageObjective.objects.bulk_create(
        KnowledgePageObjective(page_id=pk, number=number)
        for pk in changed
        for number in sorted(wanted[pk])
    )
    return changed


def record_objectives_now_or_with_batch(page_ids):
    """``record_objectives`` now, or at the end of the open batch of changes
    (``knowledge.changes``), which sends ``pages_changed``."""
    if not changes.record(page_ids):
        record_objectives(page_ids)


def record_every_page_objectives():
    """Work out every knowledge page's objectives again, ``BATCH_SIZE`` pages per transaction,
    and have the engine index the pages whose objectives changed; returns how many changed."""
    page_ids = list(KnowledgePage.objects.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(page_ids), BATCH_SIZE):
        with transaction.atomic():
            pages = record_objectives(page_ids[start : start + BATCH_SIZE])
            enqueue_for_engine(pages)
        changed += len(pages)
    return changed


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
