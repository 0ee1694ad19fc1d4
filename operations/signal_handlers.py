"""What drops the cached public pages (``operations.page_cache``): after the commit of any change
to what readers see, a new generation, once per transaction.

Followed: every model of the content apps (pages and their taxonomy, lessons, the vocabulary that
names keywords, offline packs), documents and images (not renditions, which rendering a page
creates), redirects, tags, sites and locales, view restrictions of pages and collections,
Wagtail's page signals for the changes made without saving a row (a move, a batch of changes),
the background tasks that rewrite rows in bulk (``FOLLOWED_TASKS``), and ``migrate`` (an upgrade
brings new templates). Commands that rewrite rows in bulk outside them (``record_lessons``) are
followed by ``manage.py drop_cached_pages``.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save
from django_tasks.signals import task_finished
from wagtail.signals import page_slug_changed, page_unpublished, post_page_move

from knowledge import changes
from operations.page_cache import drop_cached_pages
from portal.transactions import once_after_commit

#: Apps all of whose models readers see, and single models of the others ("app.Model").
FOLLOWED_APPS = ("knowledge", "lessons", "vocabulary", "packs", "taggit")
FOLLOWED_MODELS = (
    "wagtailcore.Page",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.CollectionViewRestriction",
    "wagtailcore.Collection",
    "wagtailcore.Site",
    "wagtailcore.Locale",
    "wagtaildocs.Document",
    "wagtailimages.Image",
    "wagtailredirects.Redirect",
)


#: Background tasks whose bulk writes send no signal per row.
FOLLOWED_TASKS = ("vocabulary.objectives.record_all_objectives",)


def _new_generation(sender=None, **kwargs):
    once_after_commit(drop_cached_pages)


def _migrated(sender, **kwargs):
    # Sent once per app; once is enough.
    if sender.label == "operations":
        drop_cached_pages()


def _task_finished(sender, task_result, **kwargs):
    if task_result.task.module_path in FOLLOWED_TASKS:
        drop_cached_pages()


def followed_models():
    models = [apps.get_model(label) for label in FOLLOWED_MODELS]
    for label in FOLLOWED_APPS:
        models.extend(apps.get_app_config(label).get_models())
    return models


def connect():
    """Connect the receivers (called from ``OperationsConfig.ready``)."""
    for model in followed_models():
        for signal in (post_save, post_delete):
            signal.connect(
                _new_generation, sender=model, dispatch_uid=f"page_cache_{model._meta.label}"
            )
    for signal in (changes.pages_changed, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(_new_generation, dispatch_uid="page_cache_pages")
    task_finished.connect(_task_finished, dispatch_uid="page_cache_tasks")
    post_migrate.connect(_migrated, dispatch_uid="page_cache_migrate")
