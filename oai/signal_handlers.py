"""Keep ``OaiRecord`` in step with what harvesters may see.

Each handler works out which knowledge pages stop or start being harvestable (live, with no view
restriction on them or an ancestor: ``knowledge.visibility``) and calls ``oai.records``:

- publishing (also scheduled) → ``record_exposed``; unpublishing (also on expiry) of a page that was
  public → ``record_withdrawn``;
- deleting a page or a section → the public knowledge pages in it are withdrawn (``pre_delete``,
  while they and their sets still exist);
- a new view restriction on a page or an ancestor → the pages it hides are withdrawn; removing one →
  the pages it uncovers are exposed again (a cascade from deleting the page itself is ignored);
- moving a page or a section, or changing its slug → pages that left the public tree are
  withdrawn, the others re-stamped (their URL, ``dc:identifier``, changed);
- renaming a country, theme or keyword → the public pages carrying it are re-stamped.

The pattern follows ``search.signal_handlers``; the receivers are connected in ``OaiConfig.ready``.
"""

import threading

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    pre_page_move,
)

from knowledge.models import Country, KnowledgePage, KnowledgeTag, Theme
from knowledge.visibility import public_knowledge_pages
from oai.records import public_ids_under, record_exposed, record_withdrawn

_moving = threading.local()


def on_published(sender, instance, **kwargs):
    if isinstance(instance, KnowledgePage):
        record_exposed([instance.pk])


def on_unpublished(sender, instance, **kwargs):
    # Unpublishing leaves view restrictions alone: the page was public iff it is public() now.
    if (
        isinstance(instance, KnowledgePage)
        and KnowledgePage.objects.filter(pk=instance.pk).public().exists()
    ):
        record_withdrawn([instance.pk])


def on_page_delete(sender, instance, **kwargs):
    # Django sends pre_delete for every page of a deleted subtree before deleting any row.
    if instance.depth <= 3 or issubclass(instance.specific_class or Page, KnowledgePage):
        record_withdrawn(public_ids_under(instance.pk))


def before_restriction_saved(sender, instance, **kwargs):
    if instance._state.adding:
        instance._oai_public_before = public_ids_under(instance.page_id)


def after_restriction_saved(sender, instance, **kwargs):
    before = getattr(instance, "_oai_public_before", None)
    if before:
        record_withdrawn(before - public_ids_under(instance.page_id))


def after_restriction_deleted(sender, instance, origin=None, **kwargs):
    # Deleting a page cascades to its restrictions: nothing becomes public then.
    removed_itself = isinstance(origin, PageViewRestriction) or (
        isinstance(origin, QuerySet) and issubclass(origin.model, PageViewRestriction)
    )
    if removed_itself:
        record_exposed(public_ids_under(instance.page_id))


def before_move(sender, instance, **kwargs):
    if not hasattr(_moving, "public"):
        _moving.public = {}
    _moving.public[instance.pk] = public_ids_under(instance.pk)


def after_move(sender, instance, **kwargs):
    before = getattr(_moving, "public", {}).pop(instance.pk, set())
    now = public_ids_under(instance.pk)
    record_withdrawn(before - now)
    record_exposed(now)


def on_slug_changed(sender, instance, **kwargs):
    record_exposed(public_ids_under(instance.pk))


def on_country_saved(sender, instance, created=False, **kwargs):
    if not created:
        record_exposed(
            public_knowledge_pages().filter(countries=instance).values_list("pk", flat=True)
        )


def on_theme_saved(sender, instance, created=False, **kwargs):
    if not created:
        record_exposed(
            public_knowledge_pages().filter(themes=instance).values_list("pk", flat=True)
        )


def on_tag_change(sender, instance, created=False, **kwargs):
    if not created:
        record_exposed(instance.tagged_pages.values_list("content_object_id", flat=True))


def connect():
    """Connect the handlers (called from ``OaiConfig.ready``)."""
    page_published.connect(on_published, dispatch_uid="oai_publish")
    page_unpublished.connect(on_unpublished, dispatch_uid="oai_unpublish")
    pre_delete.connect(on_page_delete, sender=Page, dispatch_uid="oai_page_delete")
    pre_save.connect(
        before_restriction_saved, sender=PageViewRestriction, dispatch_uid="oai_pvr_pre_save"
    )
    post_save.connect(
        after_restriction_saved, sender=PageViewRestriction, dispatch_uid="oai_pvr_save"
    )
    post_delete.connect(
        after_restriction_deleted, sender=PageViewRestriction, dispatch_uid="oai_pvr_delete"
    )
    pre_page_move.connect(before_move, dispatch_uid="oai_pre_move")
    post_page_move.connect(after_move, dispatch_uid="oai_move")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="oai_slug_changed")
    post_save.connect(on_country_saved, sender=Country, dispatch_uid="oai_country")
    post_save.connect(on_theme_saved, sender=Theme, dispatch_uid="oai_theme")
    post_save.connect(on_tag_change, sender=KnowledgeTag, dispatch_uid="oai_tag_save")
    pre_delete.connect(on_tag_change, sender=KnowledgeTag, dispatch_uid="oai_tag_delete")
