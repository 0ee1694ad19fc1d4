"""The cached vocabulary names (``vocabulary.names``) are dropped whenever what they are read from
changes: a concept, its labels or links, or a theme's name; every page's GCM objectives are then
worked out again (``vocabulary.objectives``). A theme's concept goes with the theme. A page's
objectives follow its publishing and the renaming of its keywords."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from knowledge import changes
from knowledge.models import KnowledgePage, KnowledgeTag, Theme
from vocabulary.models import Collection, Concept, ConceptLabel
from vocabulary.names import forget_names
from vocabulary.objectives import (
    record_all_objectives_after_commit,
    record_objectives,
)


@receiver(post_delete, sender=Theme)
def theme_deleted(instance, **kwargs):
    """When the last version of a theme is deleted, so is its concept: named by the theme, it
    would be left with no name but its slug (``vocabulary.models``)."""
    if not Theme.objects.filter(slug=instance.slug).exists():
        Concept.objects.filter(collection=Collection.THEMES, identifier=instance.slug).delete()


@receiver(post_save, sender=Concept)
@receiver(post_delete, sender=Concept)
@receiver(post_save, sender=ConceptLabel)
@receiver(post_delete, sender=ConceptLabel)
@receiver(post_save, sender=Theme)
@receiver(post_delete, sender=Theme)
@receiver(m2m_changed, sender=Concept.broader.through)
@receiver(m2m_changed, sender=Concept.related.through)
def vocabulary_changed(**kwargs):
    forget_names()
    # Again once committed: a process that read the names between the change and its commit
    # read the old ones under a token that must not outlive them.
    transaction.on_commit(forget_names)
    record_all_objectives_after_commit()


@receiver(page_published)
def on_publish(instance, **kwargs):
    if isinstance(instance, KnowledgePage):
        changes.now_or_at_batch_end(record_objectives, [instance.pk])


@receiver(changes.pages_changed)
def pages_changed(page_ids, **kwargs):
    record_objectives(page_ids)


@receiver(post_save, sender=KnowledgeTag)
def keyword_saved(instance, created=False, **kwargs):
    """A renamed keyword may now name another concept, or none."""
    if not created:
        changes.now_or_at_batch_end(
            record_objectives, instance.tagged_pages.values_list("content_object_id", flat=True)
        )


@receiver(pre_delete, sender=KnowledgeTag)
def keyword_to_be_deleted(instance, **kwargs):
    instance.objective_pages = list(
        instance.tagged_pages.values_list("content_object_id", flat=True)
    )


@receiver(post_delete, sender=KnowledgeTag)
def keyword_deleted(instance, **kwargs):
    """The pages that had the keyword (gone with it, as Django deletes the links first)."""
    changes.now_or_at_batch_end(record_objectives, getattr(instance, "objective_pages", []))
