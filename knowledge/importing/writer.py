"""Create or update the knowledge page an ``ItemSpec`` describes, and publish it.

Re-importing an unchanged line changes nothing; a changed line (or changed attachment file) makes
exactly one new revision. Raises ``ImportLineError`` for problems that depend on the database.
"""

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.log_actions import log
from wagtail.models import Collection, Locale, Page
from wagtail.signals import page_published, published
from wagtail.utils.file import hash_filelike

from knowledge.models import (
    KNOWLEDGE_TYPES,
    Country,
    CountrySectionPage,
    KnowledgeAttachment,
    KnowledgePage,
    Theme,
    check_document_file,
)
from knowledge.uploads import check_document

from . import references
from .schema import ImportLineError, stream_block_name

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def write_item(spec, attachments_dir):
    """Create, update or leave the page for ``spec``; returns CREATED, UPDATED or UNCHANGED."""
    locale = _locale(spec.language)
    files = _attachment_files(spec, attachments_dir)
    checksum = _checksum(spec, files)
    existing = KnowledgePage.objects.filter(external_id=spec.external_id).first()
    if existing:
        _check_same_identity(existing, spec, locale)
        if existing.import_checksum == checksum:
            return UNCHANGED
        _check_no_editorial_changes(existing)
    page = existing.specific if existing else KNOWLEDGE_TYPES[spec.knowledge_type](locale=locale)
    parent = _owning_section(spec, locale)
    source = _set_translation_key(page, spec, locale)
    ids = _block_ids(page if existing else source)
    _set_fields(page, spec, locale, files)
    _keep_block_ids(page, ids)
    page.import_checksum = checksum
    if existing is None:
        page.slug = find_available_slug(parent, _wanted_slug(spec))
        _create_published(page, parent)
    else:
        if page.get_parent().pk != parent.pk:
            _move(page, parent)
        # Publishing validates the revision's content in full (the page is live then): validating
        # it first while making the revision would do the same work twice.
        page.save_revision(clean=False).publish()
    references.written(page)
    return CREATED if existing is None else UPDATED


def _create_published(page, parent):
    """Place the new ``page`` last under ``parent``, live, with its first revision: what Wagtail's
    ``save_revision().publish()`` leaves of a new page (its live and latest revision, publication
    dates, the "created" and "published" log entries, ``page_published``).

    Own code, not Wagtail's ``publish``: publishing reads the page back from the revision just
    written, validates it again and saves it again with its tags, countries, themes and
    attachments, then looks for aliases, comments and workflows that a page created a moment ago
    cannot have: about half of an import's time (issue 12). Pages that exist already keep
    Wagtail's publish. A live page is validated in full as Wagtail places it in the tree
    (``Page.save``).
    """
    now = timezone.now()
    page.live, page.has_unpublished_changes = True, False
    page.first_published_at = page.last_published_at = now
    parent.add_child(instance=page)
    revision = page.save_revision(clean=False, changed=False)
    page.live_revision = revision
    # One column: saving the page would run every save handler a second time for it.
    Page.objects.filter(pk=page.pk).update(live_revision=revision)
    log(instance=page, action="wagtail.publish", revision=revision, content_changed=True)
    page_published.send(sender=type(page), instance=page, revision=revision)
    published.send(sender=type(page), instance=page, revision=revision)


def _move(page, parent):
    """Move ``page`` under ``parent``, first giving it a slug that is free there.

    Wagtail validates the slug while moving, so it is changed in the database beforehand.
    """
    page.slug = find_available_slug(parent, page.slug, ignore_page_id=page.pk)
    Page.objects.filter(pk=page.pk).update(slug=page.slug)
    page.move(parent, pos="last-child")
    page.refresh_from_db(fields=["path", "depth", "url_path"])


def _locale(language):
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise ImportLineError(
            f"language {language!r} is not set up; run 'manage.py setup_portal' first"
        )
    return locale


def _check_no_editorial_changes(page):
    """Refuse to overwrite what editors did in the admin since the last import."""
    if not page.live:
        raise ImportLineError(
            f"'{page.external_id}' was unpublished in the admin; publish it to let the import update it"
        )
    if page.has_unpublished_changes:
        raise ImportLineError(
            f"'{page.external_id}' has unpublished changes in the admin; "
            "publish or discard them before importing this line again"
        )


def _check_same_identity(existing, spec, locale):
    if existing.specific_class is not KNOWLEDGE_TYPES[spec.knowledge_type]:
        raise ImportLineError(
            f"'{spec.external_id}' was imported as a {existing.specific_class._meta.verbose_name}; "
            "an item cannot change type"
        )
    if existing.locale_id != locale.pk:
        raise ImportLineError(
            f"'{spec.external_id}' was imported in {existing.locale.language_code}; "
            "an item cannot change language (give the translation its own external_id)"
        )


def _owning_section(spec, locale):
    countries = spec.common["countries"]
    owner = spec.common.get("owner_country") or (countries[0] if len(countries) == 1 else None)
    sections = CountrySectionPage.objects.filter(locale=locale)
    section = (
        sections.filter(country__code=owner).first()
        if owner
        else sections.filter(country__isnull=True).first()
    )
    if section is None:
        where = f"country {owner}" if owner else "Regional and global"
        raise ImportLineError(
            f"no {where} section in {locale.language_code}; run 'manage.py setup_portal' first"
        )
    return section


def _set_translation_key(page, spec, locale):
    """Give ``page`` the translation key of the item ``translation_of`` names; returns that item
    (specific), or None when the line translates nothing."""
    source_id = spec.common.get("translation_of")
    if not source_id:
        return None
    source = KnowledgePage.objects.filter(external_id=source_id).first()
    if source is None:
        raise ImportLineError(
            f"'translation_of' names {source_id!r}, which is not imported yet (put it earlier)"
        )
    if source.locale_id == locale.pk:
        raise ImportLineError(
            f"'translation_of' names {source_id!r}, which is in the same language"
        )
    other = KnowledgePage.objects.filter(
        translation_key=source.translation_key, locale=locale
    ).exclude(pk=page.pk)
    if other.exists():
        raise ImportLineError(
            f"{source_id!r} already has a {locale.language_code} translation: {other.first().external_id or other.first().title}"
        )
    page.translation_key = source.translation_key
    return source.specific


def _block_ids(page):
    """``{stream field name: [block id, ...]}`` of ``page`` (specific), in order; {} for None."""
    if page is None:
        return {}
    return {
        field.name: [block.id for block in getattr(page, field.name)]
        for field in page._meta.get_fields()
        if isinstance(field, StreamField)
    }


def _keep_block_ids(page, ids):
    """Give the blocks of ``page``'s stream fields the ids of the blocks at the same positions in
    ``ids`` (``_block_ids`` of the item before this line, or of the item it translates).

    A line lists an item's entries in order, without ids: the position is their identity in an
    import, so a lesson keeps its record (its status, its actions) through a re-import, and a
    translation's lessons are the original's (``lessons.records``)."""
    for name, kept in ids.items():
        stream = getattr(page, name)
        for block, block_id in zip(stream, kept, strict=False):
            if block_id:
                block.id = block_id


def _set_fields(page, spec, locale, files):
    common, sections = spec.common, spec.sections
    page.title = common["title"]
    page.summary = common["summary"]
    page.publication_date = common["publication_date"]
    page.organisation = common.get("organisation", "")
    page.authors = [{"type": "author", "value": name} for name in common.get("authors", [])]
    page.body = [{"type": "paragraph", "value": common["body"]}] if common.get("body") else []
    page.external_id = spec.external_id
    countries = list(Country.objects.filter(locale=locale, code__in=common["countries"]))
    themes = list(Theme.objects.filter(locale=locale, slug__in=common["themes"]))
    _check_all_found(countries, common["countries"], "country", locale)
    _check_all_found(themes, common["themes"], "theme", locale)
    page.countries, page.themes = countries, themes
    page.tags.set(common.get("tags", []))
    page.attachments = [
        KnowledgeAttachment(document=_document(path, title), title=title) for path, title in files
    ]
    for name, value in sections.items():
        setattr(page, name, _field_value(page, name, value))


def _field_value(page, name, value):
    if isinstance(page._meta.get_field(name), StreamField):
        block = stream_block_name(type(page), name)
        return [{"type": block, "value": item} for item in value]
    return value


def _check_all_found(found, wanted, kind, locale):
    if len(found) != len(wanted):
        missing = set(wanted) - {
            getattr(item, "code", None) or getattr(item, "slug", None) for item in found
        }
        raise ImportLineError(
            f"{kind} {', '.join(sorted(missing))} has no {locale.language_code} version; run 'manage.py setup_portal'"
        )


def _attachment_files(spec, attachments_dir):
    """``[(path, link text)]`` of the line's attachments, each a readable file inside the folder."""
    folder = Path(attachments_dir).resolve()
    files = []
    for attachment in spec.common.get("attachments", []):
        path = (folder / attachment["file"]).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            raise ImportLineError(f"attachment file {attachment['file']!r} not found in {folder}")
        files.append((path, attachment["title"]))
    return files


def _checksum(spec, files):
    digest = hashlib.sha256(spec.checksum.encode())
    for path, _title in files:
        try:
            with path.open("rb") as handle:
                digest.update(hash_filelike(handle).encode())
        except OSError as error:
            raise ImportLineError(
                f"cannot read attachment {path.name!r}: {error.strerror}"
            ) from error
    return digest.hexdigest()


def _document(path, title):
    """The Wagtail document holding ``path``'s bytes, reused when the same file was imported.

    New files pass the same checks as uploads in the admin (``knowledge.uploads.check_document``).
    """
    Document = get_document_model()
    root = Collection.get_first_root_node()
    with path.open("rb") as handle:
        existing = Document.objects.filter(file_hash=hash_filelike(handle), collection=root).first()
        if existing:
            check_document_file(existing)  # checked when saved; here in case it was not
            return existing
        upload = File(handle, name=path.name)
        try:
            check_document(upload)
        except ValidationError as error:
            raise ImportLineError(
                f"attachment {path.name!r}: {' '.join(error.messages)}"
            ) from error
        document = Document(title=title or path.stem, file=upload, collection=root)
        document._set_document_file_metadata()
        document.full_clean()
        document.save()
        references.written(document)
    return document


def unreadable_attachments(spec):
    """``[(file name, problem)]`` of the attachments of the page imported from ``spec`` whose
    file cannot be read (``knowledge.models.DocumentCheck``), in the page's order."""
    attachments = KnowledgeAttachment.objects.filter(
        page__external_id=spec.external_id
    ).select_related("document__file_check")
    return [
        (attachment.document.filename, attachment.document.file_check.get_problem_display())
        for attachment in attachments
        if attachment.unreadable
    ]


def _wanted_slug(spec):
    """The line's slug, else its slugified title, cut at a word boundary (at most 80 characters)."""
    slug = spec.common.get("slug") or slugify(spec.common["title"], allow_unicode=True)
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return slug.strip("-") or slugify(spec.external_id)
