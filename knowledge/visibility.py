"""What readers may see: the one definition of visible pages, and translation collapsing.

Visible means live, with no view restriction on the page or any ancestor, and not past its expiry
date, in every locale. Drafts, private pages, pages under private sections and expired pages are
therefore never listed, searched, counted or served (the scheduler unpublishes expired pages only
when it next runs).
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation

from knowledge.filters import apply_filters
from knowledge.models.knowledge_pages import KnowledgePage


def visible(pages):
    """``pages`` (a ``PageQuerySet``) narrowed to what readers may see now."""
    return pages.live().public().exclude(expire_at__lte=timezone.now())


def public_knowledge_pages():
    """Visible knowledge pages of every type and locale (a ``PageQuerySet``)."""
    return visible(KnowledgePage.objects.all())


def reader_language():
    """Two-letter code of the active language, e.g. 'fr'."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def collapse_translations(queryset, language):
    """Keep one version of each item: the one in ``language``, else the first one created."""
    same_item = queryset.filter(translation_key=OuterRef("translation_key"))
    in_language = same_item.filter(locale__language_code=language)
    earlier = same_item.filter(pk__lt=OuterRef("pk"))
    return queryset.filter(
        Q(locale__language_code=language) | (~Exists(in_language) & ~Exists(earlier))
    )


def visible_pages(base, filters, language, collapse=True):
    """``base`` restricted by ``filters``; translations collapsed unless a language is selected."""
    queryset = apply_filters(base, filters)
    if collapse and not filters.language:
        queryset = collapse_translations(queryset, language)
    return queryset
