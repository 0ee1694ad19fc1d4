"""Building the offline packs, in the background: after every change of public content the task
worker brings each pack up to date, building again only those whose contents changed
(``PackContents.fingerprint``). A scope with nothing to put in a pack has no pack."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from packs.contents import pack_contents, pack_scopes
from packs.models import OfflinePack
from packs.rendering import FontsMissing, render_pack
from portal.transactions import once_after_commit

logger = logging.getLogger(__name__)


def refresh_pack(scope):
    """Bring the ``OfflinePack`` of ``scope`` (a ``PackScope``) up to date; returns "built",
    "unchanged" or "removed" (nothing left to put in it)."""
    contents = pack_contents(scope)
    existing = OfflinePack.objects.filter(
        scope=scope.scope, key=scope.key, language=scope.language
    ).first()
    if not contents.item_count:
        if existing is None:
            return "unchanged"
        existing.delete()
        return "removed"
    if existing is not None and existing.fingerprint == contents.fingerprint:
        return "unchanged"
    pdf = render_pack(contents)
    pack = existing or OfflinePack(scope=scope.scope, key=scope.key, language=scope.language)
    old_file = pack.file.name if pack.file else None
    pack.fingerprint = contents.fingerprint
    pack.item_count = contents.item_count
    pack.size = len(pdf)
    pack.file.save(
        f"{scope.scope}-{scope.key}-{scope.language}.pdf".lower(), ContentFile(pdf), save=False
    )
    pack.save()
    if old_file and old_file != pack.file.name:
        pack.file.storage.delete(old_file)
    return "built"


def refresh_all_packs():
    """``refresh_pack`` for every scope (``pack_scopes``), and packs of scopes that are gone
    removed; returns ``{outcome: count}`` (built, unchanged, removed, failed: logged). Raises
    ``FontsMissing`` when no pack can be built."""
    started = timezone.now()
    outcomes = {"built": 0, "unchanged": 0, "removed": 0}
    outcomes["failed"] = 0
    scopes = pack_scopes()
    for scope in scopes:
        try:
            outcomes[refresh_pack(scope)] += 1
        except FontsMissing:
            raise
        # One pack that cannot be built (a layout fpdf2 refuses) must not stop the others.
        except Exception:  # noqa: BLE001
            logger.exception("Offline pack %s not built", scope)
            outcomes["failed"] += 1
    current = {(scope.scope, scope.key, scope.language) for scope in scopes}
    for pack in OfflinePack.objects.all():
        if (pack.scope, pack.key, pack.language) not in current:
            pack.delete()
            outcomes["removed"] += 1
    OfflinePack.objects.update(checked_at=started)
    return outcomes


@task()
def refresh_offline_packs(requested_at):
    """The worker's ``refresh_all_packs``: logs what it did, or why it could not build. Skipped
    when a refresh started after ``requested_at`` (ISO 8601): that one saw the change already
    (a demo load or an import queues one per transaction)."""
    if OfflinePack.objects.filter(checked_at__gte=requested_at).exists():
        return
    try:
        outcomes = refresh_all_packs()
    except FontsMissing as error:
        logger.error("Offline packs not built: %s", error)
        return
    logger.info("Offline packs: %s", outcomes)


def _enqueue_refresh():
    refresh_offline_packs.enqueue(timezone.now().isoformat())


def refresh_after_commit():
    """Queue ``refresh_offline_packs`` once the current transaction commits, once however many
    changes it holds (an import saves thousands of lesson records in one); nothing when
    ``OFFLINE_PACKS_AUTO_REFRESH`` is off."""
    if settings.OFFLINE_PACKS_AUTO_REFRESH:
        once_after_commit(_enqueue_refresh)
