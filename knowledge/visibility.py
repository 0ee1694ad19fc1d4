"""What readers may see: the one definition of visible pages, and translation collapsing.

Visible means live, with no view restriction on the page or any ancestor, and not past its expiry
date, in every locale. Drafts, private pages, pages under private sections and expired pages are
therefore never listed, searched, counted or served (the scheduler unpublishes expired pages only
when it next runs).
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation
from wagtail.documents import get_document_model
from wagtail.documents.permissions import permission_policy as document_permissions
from wagtail.models import CollectionViewRestriction

from knowledge.filters import apply_filters
from knowledge.models.knowledge_pages import KnowledgeAttachment, KnowledgePage


def current(pages):
    """``pages`` (a ``PageQuerySet``) that are live and not past their expiry date."""
    return pages.live().exclude(expire_at__lte=timezone.now())


def visible(pages):
    """``pages`` (a ``PageQuerySet``) narrowed to what readers may see now: current and public."""
    return current(pages).public()


def public_knowledge_pages():
    """Visible knowledge pages of every type and locale (a ``PageQuerySet``)."""
    return visible(KnowledgePage.objects.all())


def unrestricted_documents():
    """Documents in no view-restricted collection (nor under one): a ``Document`` queryset."""
    restricted = CollectionViewRestriction.objects.filter(
        collection__path=Substr(OuterRef("collection__path"), 1, Length("collection__path"))
    )
    return get_document_model().objects.exclude(Exists(restricted))


def public_attachments():
    """Attachments readers may see, in their order, with their documents: those whose document is
    unrestricted. A ``KnowledgeAttachment`` queryset; filter it by page, or prefetch it as a
    page's ``attachments``."""
    return (
        KnowledgeAttachment.objects.filter(document__in=unrestricted_documents())
        .select_related("document")
        .order_by("sort_order")
    )


def attachments_shown_on(page):
    """The attachments readers may see on ``page``. A page being previewed holds its attachments
    in memory, unsaved; they are filtered there, in their order."""
    attachments = page.attachments.all()
    if isinstance(attachments, QuerySet):
        return public_attachments().filter(page=page)
    shown = set(
        unrestricted_documents()
        .filter(pk__in=[attachment.document_id for attachment in attachments])
        .values_list("pk", flat=True)
    )
    return [attachment for attachment in attachments if attachment.document_id in shown]


def document_visible_to(document, request):
    """Whether ``request`` may download ``document`` (a Wagtail document).

    A file is public when a visible page shows it and its collection is not restricted. Otherwise
    it goes to those who may use it in the admin (an editor previewing a draft) and to readers
    who may see a live page showing it (a private page they are logged in or have the password
    for); Wagtail's own check of the collection's restriction applies on top.
    """
    attachments = KnowledgeAttachment.objects.filter(document=document)
    if (
        public_attachments()
        .filter(pk__in=attachments.values("pk"), page__in=public_knowledge_pages())
        .exists()
    ):
        return True
    if document_permissions.user_has_any_permission_for_instance(
        request.user, ["change", "choose"], document
    ):
        return True
    pages = current(KnowledgePage.objects.all())
    return any(
        all(restriction.accept_request(request) for restriction in page.get_view_restrictions())
        for page in pages.filter(attachments__document=document).distinct()
    )


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
