"""What readers may see and how it is read: the one definition of visible pages, pages by id in
a given order, the relations a result card and a full item need, an item's visible translations,
and translation collapsing. Every channel (listings, search, API, feeds, OAI-PMH, digests) reads
public knowledge through these functions.

Visible means live, with no view restriction on the page or any ancestor, and not past its expiry
date, in every locale. Drafts, private pages, pages under private sections and expired pages are
therefore never listed, searched, counted or served (the scheduler unpublishes expired pages only
when it next runs).
"""

from collections import defaultdict

from django.conf import settings
from django.core.checks import register
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from wagtail.documents import get_document_model
from wagtail.documents.permissions import permission_policy as document_permissions
from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction

from knowledge.filters import apply_filters
from knowledge.models.knowledge_pages import KnowledgeAttachment, KnowledgePage
from knowledge.models.objectives import KnowledgePageObjective
from knowledge.models.taxonomy import Country, Theme
from portal.batching import batched
from portal.hooks import hook_errors


def current(pages):
    """``pages`` (a ``PageQuerySet``) that are live and not past their expiry date."""
    return pages.live().exclude(expire_at__lte=timezone.now())


def visible(pages):
    """``pages`` (a ``PageQuerySet``) narrowed to what readers may see now: current and public."""
    return public(current(pages))


def public(pages):
    """``pages`` (a ``PageQuerySet``) but those with a view restriction on themselves or an
    ancestor: Wagtail's ``PageQuerySet.public()`` as one subquery. Wagtail's reads every
    restriction first, a statement per call and a dozen per page view (issue 12)."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.exclude(Exists(restricted))


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
        .select_related("document", "document__file_check")  # file_check: whether it is readable
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


def documents_shown_elsewhere():
    """The documents readers see outside the pages (a lesson's public evidence): a ``Document``
    queryset from the function ``KNOWLEDGE_DOCUMENTS_SHOWN_ELSEWHERE`` names, narrowed to
    ``unrestricted_documents``; none when the setting is empty."""
    if not settings.KNOWLEDGE_DOCUMENTS_SHOWN_ELSEWHERE:
        return get_document_model().objects.none()
    shown = import_string(settings.KNOWLEDGE_DOCUMENTS_SHOWN_ELSEWHERE)()
    return unrestricted_documents().filter(pk__in=shown.values("pk"))


@register()
def check_documents_shown_elsewhere(app_configs, **kwargs):
    """Django system check: ``KNOWLEDGE_DOCUMENTS_SHOWN_ELSEWHERE`` names a function that can be
    imported."""
    return hook_errors("KNOWLEDGE_DOCUMENTS_SHOWN_ELSEWHERE", "knowledge.E002")


def document_visible_to(document, request):
    """Whether ``request`` may download ``document`` (a Wagtail document).

    A file is public when a visible page shows it, or another part of the portal shows it to
    readers (``documents_shown_elsewhere``), and its collection is not restricted. Otherwise
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
    if documents_shown_elsewhere().filter(pk=document.pk).exists():
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


def with_card_relations(pages):
    """``pages`` with what a result card shows (locale, countries, themes) fetched in bulk: a page
    of cards costs three queries whatever its length."""
    return pages.select_related("locale").prefetch_related("countries", "themes")


#: What each part of a full item needs fetched (the API's fields, a feed entry, an OAI record).
_ITEM_RELATIONS = {
    "countries": lambda: Prefetch("countries", queryset=Country.objects.order_by("code")),
    "themes": lambda: Prefetch("themes", queryset=Theme.objects.order_by("slug")),
    "objectives": lambda: Prefetch(
        "objective_links", queryset=KnowledgePageObjective.objects.order_by("number")
    ),
    "tags": lambda: "tags",  # taggit's manager takes no custom queryset: sort when shown
    "attachments": lambda: Prefetch("attachments", queryset=public_attachments()),
}
#: What a full item shows when the caller does not say (a feed entry): all but its objectives.
ITEM_RELATIONS = ("countries", "themes", "tags", "attachments")


def with_item_relations(pages, relations=ITEM_RELATIONS):
    """``pages`` with what a full item shows fetched in bulk: locale and type always, and those of
    ``relations`` (countries, themes, objectives, tags, attachments; ``ITEM_RELATIONS`` by
    default) it needs. Countries come ordered by code, themes by slug, GCM objectives by number
    and attachments as ``public_attachments``: one query each."""
    pages = pages.select_related("locale", "content_type")
    lookups = [make() for name, make in _ITEM_RELATIONS.items() if name in relations]
    return pages.prefetch_related(*lookups)


def pages_in_order(ids, relations=with_card_relations):
    """The visible knowledge pages of ``ids`` (page ids, e.g. an engine's hits), in that order.

    Ids read from elsewhere are read again through ``public_knowledge_pages``, so a stale index can
    never show a page unpublished or restricted since; those ids are dropped. ``relations`` loads
    what the caller shows (``with_card_relations`` or ``with_item_relations``). Returns a list.
    """
    ids = list(ids)
    if not ids:
        return []
    found = {page.pk: page for page in relations(public_knowledge_pages().filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def translations_of(pages, model=Page):
    """``{translation_key: [visible versions]}`` of ``pages`` (any ``model`` pages), themselves
    included when visible, ordered by language code: one query whatever their number."""
    keys = {page.translation_key for page in pages}
    versions = defaultdict(list)
    if keys:
        queryset = visible(model.objects.filter(translation_key__in=keys)).select_related("locale")
        for version in queryset.order_by("locale__language_code", "pk"):
            versions[version.translation_key].append(version)
    return versions


#: Translation keys per query of ``translated_keys`` (below SQLite's limit on parameters).
KEYS_PER_QUERY = 500


def translated_keys(pages):
    """The set of translation keys of those of ``pages`` whose item has more than one visible
    version (``translations_of``'s rule, counted in SQL rather than read: the search index holds
    a document per visible version), one query per ``KEYS_PER_QUERY`` keys."""
    keys = sorted({page.translation_key for page in pages})
    found = set()
    for batch in batched(keys, KEYS_PER_QUERY):
        versions = (
            public_knowledge_pages()
            .order_by()
            .filter(translation_key__in=batch)
            .values("translation_key")
            .annotate(versions=Count("pk"))
            .filter(versions__gt=1)
        )
        found.update(versions.values_list("translation_key", flat=True))
    return found


def with_other_versions(pages):
    """``pages`` (a list of knowledge pages, e.g. a page of results), each given
    ``other_versions``: its other visible versions ordered by language code, for a card's
    "Also in" links. One query (``translations_of``) whatever their number."""
    versions = translations_of(pages)
    for page in pages:
        page.other_versions = [
            version for version in versions[page.translation_key] if version.pk != page.pk
        ]
    return pages


def reader_language():
    """Two-letter code of the active language, e.g. 'fr'."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def collapse_translations(queryset, language):
    """Keep one version of each item among ``queryset``: the one in ``language``, else the first
    one created (lowest page id). The one definition of the rule; the engine's collapsing
    follows it (``search.dsl``).

    A version is kept when it is in ``language`` or when no other version of its item comes
    before it in ``queryset``: one in ``language`` or one created earlier. One correlated
    ``NOT EXISTS`` per version, which looks up the item's other versions by the index on
    (translation_key, locale) and checks ``queryset``'s conditions on each of them by its
    primary key: its cost per version stays constant however many pages match (checking the
    conditions first let a database scan every page of a type for each version)."""
    # The locale's id, not a join to its row for each version.
    preferred = Q(locale__in=Locale.objects.filter(language_code=language).values("pk"))
    others = Page.objects.filter(translation_key=OuterRef("translation_key"))
    before = others.filter(preferred | Q(pk__lt=OuterRef("pk")))
    held = queryset.order_by().filter(pk=OuterRef("pk"))
    return queryset.filter(preferred | ~Exists(before.filter(Exists(held))))


def visible_pages(base, filters, language, collapse=True):
    """``base`` restricted by ``filters``; translations collapsed unless a language is selected."""
    queryset = apply_filters(base, filters)
    if collapse and not filters.language:
        queryset = collapse_translations(queryset, language)
    return queryset
