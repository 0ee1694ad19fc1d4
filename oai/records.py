"""Selectors and services for the repository's records (HackSoft style: views and signal handlers stay
thin).

A record is one knowledge page in one language: each locale's page has its own URL, language and
metadata, so each is its own resource. Its local identifier is the page id.

Read side (selectors)
    ``live_records()`` — the public knowledge pages (``knowledge.visibility.public_knowledge_pages``,
    the one definition of what readers may see), each annotated with ``oai_datestamp``;
    ``deleted_records()`` — tombstones (``OaiRecord.deleted``) of pages harvesters could see and no
    longer can; ``filter_by_set`` / ``filter_by_datestamp`` narrow both.

Write side (services), called from ``oai.signal_handlers`` inside the page change's transaction
    ``record_exposed(page_ids)`` — the pages that are public now changed as harvesters see them
    (published, made public again, moved, a term they carry renamed): stamp them now, not deleted.
    ``record_withdrawn(page_ids)`` — the pages harvesters could see are gone (unpublished, deleted,
    restricted, moved under a private section): stamp them now and keep their sets, deleted.
"""

import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, StrIndex
from django.utils import timezone

from knowledge.models import KnowledgePage
from knowledge.visibility import public_knowledge_pages, with_card_relations
from oai.models import OaiRecord

#: Datestamp of a live page that Wagtail never stamped (created live, never published through a
#: revision); it sorts before every real change.
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

#: The dimensions of the set hierarchy: ``<dimension>`` and ``<dimension>:<value>``.
SET_DIMENSIONS = ("type", "country", "theme", "language")


def knowledge_page_models():
    """``{knowledge_type: model}`` of the concrete knowledge page types, e.g. 'policy_note'."""
    return {
        model.knowledge_type: model
        for model in apps.get_models()
        if issubclass(model, KnowledgePage) and model.knowledge_type
    }


def set_specs_of(page):
    """The leaf setSpecs of a page: its type, countries, themes and language, sorted.

    Uses ``page.countries`` / ``page.themes`` (prefetch them for many pages) and ``page.locale``.
    """
    specs = [f"type:{page.specific_class.knowledge_type}"]
    specs += sorted({f"country:{country.code}" for country in page.countries.all()})
    specs += sorted({f"theme:{theme.slug}" for theme in page.themes.all()})
    specs.append(f"language:{page.locale.language_code}")
    return specs


def _stored_set_specs(specs):
    return f" {' '.join(specs)} " if specs else ""


def _published_at():
    return Coalesce(
        "last_published_at",
        "first_published_at",
        "latest_revision_created_at",
        Value(EPOCH),
        output_field=DateTimeField(),
    )


def live_records():
    """Public knowledge pages annotated with ``oai_datestamp``.

    The datestamp is the later of the page's last publication and the last change recorded in
    ``OaiRecord`` (made public again, moved, a term renamed), so an incremental harvest from any
    date sees every change after it.
    """
    recorded = OaiRecord.objects.filter(page_id=OuterRef("pk")).values("datestamp")[:1]
    return public_knowledge_pages().annotate(
        oai_datestamp=Greatest(
            _published_at(),
            Coalesce(Subquery(recorded), _published_at(), output_field=DateTimeField()),
            output_field=DateTimeField(),
        )
    )


def deleted_records():
    """Tombstones of pages that were public and are not any more (``OaiRecord`` rows)."""
    return OaiRecord.objects.filter(deleted=True).exclude(
        page_id__in=public_knowledge_pages().values("pk")
    )


def is_known_set(spec):
    dimension, _, value = spec.partition(":")
    return dimension in SET_DIMENSIONS and ":" not in value


def filter_pages_by_set(pages, spec):
    """``pages`` (knowledge pages) in set ``spec``; an unknown set gives none."""
    dimension, _, value = spec.partition(":")
    if not is_known_set(spec):
        return pages.none()
    if dimension == "type":
        if not value:
            return pages
        model = knowledge_page_models().get(value)
        if model is None:
            return pages.none()
        return pages.filter(content_type=ContentType.objects.get_for_model(model))
    if dimension == "language":
        return pages.filter(locale__language_code=value) if value else pages
    if dimension == "country":
        tagged = KnowledgePage.objects.filter(
            **({"countries__code": value} if value else {"countries__isnull": False})
        )
    else:
        tagged = KnowledgePage.objects.filter(
            **({"themes__slug": value} if value else {"themes__isnull": False})
        )
    return pages.filter(pk__in=tagged.values("pk"))


def filter_tombstones_by_set(tombstones, spec):
    """``tombstones`` whose stored setSpecs include ``spec`` or one of its subsets (case-sensitive
    on every database, as setSpecs are)."""
    if not is_known_set(spec):
        return tombstones.none()
    return tombstones.annotate(
        oai_leaf=StrIndex("set_specs", Value(f" {spec} ")),
        oai_subset=StrIndex("set_specs", Value(f" {spec}:")),
    ).filter(Q(oai_leaf__gt=0) | Q(oai_subset__gt=0))


def public_ids_under(page_id):
    """Ids of the public knowledge pages at or under the page ``page_id`` (none if it is gone)."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return set()
    return set(
        public_knowledge_pages().descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )


def record_exposed(page_ids):
    """Stamp the public pages among ``page_ids`` as changed now (live). Others are ignored, so a
    private page's sets are never stored."""
    now = timezone.now()
    pages = with_card_relations(public_knowledge_pages().filter(pk__in=set(page_ids)))
    for page in pages:
        _stamp(page, now, deleted=False)


def _stamp(page, now, deleted):
    """Record ``page`` (with its sets) as live or deleted at ``now``."""
    OaiRecord.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "datestamp": now,
            "deleted": deleted,
            "set_specs": _stored_set_specs(set_specs_of(page)),
        },
    )


def record_withdrawn(page_ids):
    """Tombstone ``page_ids``: pages harvesters could see that are now gone or private.

    Call it while the pages still exist (e.g. on ``pre_delete``) so their sets are kept; for an id
    whose page is already gone, an existing row is marked deleted.
    """
    page_ids = {int(pk) for pk in page_ids}
    if not page_ids:
        return
    now = timezone.now()
    pages = with_card_relations(KnowledgePage.objects.filter(pk__in=page_ids))
    for page in pages:
        _stamp(page, now, deleted=True)
    gone = page_ids - {page.pk for page in pages}
    OaiRecord.objects.filter(page_id__in=gone, deleted=False).update(datestamp=now, deleted=True)
