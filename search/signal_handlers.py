"""Keep the search index in step with the live site by writing outbox entries.

Every change that alters what a knowledge page's document holds, or whether it may be seen, enqueues
the pages concerned: publishing, unpublishing, deleting, moving, view restrictions on the page or an
ancestor, and renaming a country, theme or keyword. Translations are enqueued with each page because
a document records which language versions of its item exist.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from knowledge.models import Country, KnowledgePage, KnowledgeTag, Theme
from search.outbox import enqueue_pages


def _with_translations(pages):
    keys = {page.translation_key for page in pages}
    return KnowledgePage.objects.filter(translation_key__in=keys).values_list("pk", flat=True)


def _knowledge_pages_under(page):
    return KnowledgePage.objects.descendant_of(page, inclusive=True)


def enqueue_tree(page, **kwargs):
    """Every knowledge page at or under ``page``, and their translations."""
    enqueue_pages(_with_translations(list(_knowledge_pages_under(page).only("translation_key"))))


def on_publish_or_unpublish(sender, instance, **kwargs):
    if isinstance(instance, KnowledgePage):
        enqueue_pages(_with_translations([instance]))


def on_move(sender, instance, **kwargs):
    enqueue_tree(instance)


def on_knowledge_page_delete(sender, instance, **kwargs):
    enqueue_pages([instance.pk, *_with_translations([instance])])


def on_page_delete(sender, instance, **kwargs):
    # Deleting a section deletes its knowledge pages without a signal per page.
    enqueue_tree(instance)


def on_view_restriction_change(sender, instance, **kwargs):
    enqueue_tree(instance.page)


def on_country_change(sender, instance, **kwargs):
    enqueue_pages(
        KnowledgePage.objects.filter(countries__code=instance.code).values_list("pk", flat=True)
    )


def on_theme_change(sender, instance, **kwargs):
    enqueue_pages(
        KnowledgePage.objects.filter(themes__slug=instance.slug).values_list("pk", flat=True)
    )


def on_tag_change(sender, instance, **kwargs):
    enqueue_pages(instance.tagged_pages.values_list("content_object_id", flat=True))


def connect():
    """Connect the handlers (called from ``SearchConfig.ready``)."""
    page_published.connect(on_publish_or_unpublish, dispatch_uid="search_publish")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="search_unpublish")
    post_page_move.connect(on_move, dispatch_uid="search_move")
    pre_delete.connect(on_page_delete, sender=Page, dispatch_uid="search_page_delete")
    post_delete.connect(
        on_knowledge_page_delete, sender=KnowledgePage, dispatch_uid="search_knowledge_delete"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_change,
            sender=PageViewRestriction,
            dispatch_uid=f"search_restriction_{signal}",
        )
        signal.connect(on_country_change, sender=Country, dispatch_uid=f"search_country_{signal}")
        signal.connect(on_theme_change, sender=Theme, dispatch_uid=f"search_theme_{signal}")
        signal.connect(on_tag_change, sender=KnowledgeTag, dispatch_uid=f"search_tag_{signal}")
