"""Index services: build, fill and check the versioned search index behind its alias.

The alias (``compass-knowledge``) always points at one complete index. ``rebuild_index`` fills a new
index version while searches keep reading the old one, then swaps the alias atomically in a single
``_aliases`` request and drops the old version (the elasticsearch-dsl ``alias_migration`` pattern).
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils import timezone
from wagtail.models import PageLogEntry

from knowledge.models import KnowledgePage
from knowledge.visibility import public_knowledge_pages
from search.client import alias_name, get_engine
from search.documents import index_body
from search.engines import EngineUnavailable
from search.locks import beat, index_being_built, rebuild_lock
from search.serialize import TaxonomyNames, fingerprint, serialize_pages

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def indexable_pages():
    """The one definition of what is searchable: live, public knowledge pages, every locale."""
    return public_knowledge_pages().specific().select_related("locale")


def pages_with_relations(queryset):
    """The specific pages of ``queryset`` with what their documents need, in a fixed number of
    queries. Prefetching happens on the specific instances: ``.specific()`` drops prefetches made on
    the base queryset."""
    pages = list(queryset)
    prefetch_related_objects(
        pages, "locale", "countries", "themes", "tags", "attachments__document"
    )
    return pages


def new_index_name():
    """A fresh index version name, e.g. 'compass-knowledge-20261129t141502123456'."""
    return f"{alias_name()}-{timezone.now():%Y%m%dt%H%M%S%f}"


def create_index(engine=None):
    """Create an empty index version and point the alias at it, unless the alias exists.

    Returns the name of the index behind the alias.
    """
    engine = engine or get_engine()
    current = engine.indices_behind(alias_name())
    if current:
        return current[0]
    name = new_index_name()
    engine.create_index(name, index_body())
    engine.update_aliases([{"add": {"index": name, "alias": alias_name()}}])
    return name


class IndexVerificationFailed(Exception):
    """A freshly filled index version is not what was asked for; the alias was left alone."""


def rebuild_index(engine=None, batch_size=BATCH_SIZE):
    """Fill a new index version with every indexable page, verify it, and swap the alias to it.

    Returns ``(index name, documents indexed)``. Old versions are deleted after the swap. Only one
    rebuild runs at a time: raises ``search.locks.RebuildInProgress`` while another holds the
    lock, and ``IndexVerificationFailed`` (after deleting the new version) when the new index
    lacks documents or has other field types than the mapping; the alias then stays where it was.
    """
    engine = engine or get_engine()
    with rebuild_lock() as lock:
        started = timezone.now()
        name = new_index_name()
        engine.create_index(name, index_body())
        beat(lock, index=name)
        try:
            _fill(engine, name, batch_size, lock)
            engine.refresh(name)
            count = verify_index(engine, name, started)
            beat(lock)
        except BaseException:
            beat(lock, index="")  # updates must not recreate the index about to be deleted
            engine.delete_index(name)
            raise
        _swap_alias(engine, name)
    # Pages changed while the batches were read may have been written in an older state.
    changed = PageLogEntry.objects.filter(timestamp__gte=started).values_list("page_id", flat=True)
    if changed:
        index_pages(set(changed), engine=engine)
    logger.info("Rebuilt %s with %d documents", name, count)
    return name, count


def _swap_alias(engine, name):
    """Point the alias at ``name`` alone in one atomic request, then drop the other versions."""
    old = engine.indices_behind(alias_name())
    actions = [{"remove": {"index": index, "alias": alias_name()}} for index in old]
    engine.update_aliases([*actions, {"add": {"index": name, "alias": alias_name()}}])
    for index in engine.indices_matching(f"{alias_name()}-*"):
        if index != name:
            engine.delete_index(index)


def verify_index(engine, name, started):
    """The number of documents in index ``name``, filled since ``started``; raises
    ``IndexVerificationFailed`` unless it holds the portal's mapping (``mapping_differences``)
    and one document per indexable page.

    Pages published, unpublished or deleted while the index was filled may be counted on either
    side, so the count may differ from the database by at most the number of pages changed since
    ``started`` (the rebuild indexes those again after the swap).
    """
    problems = mapping_differences(index_body()["mappings"], engine.mapping(name))
    found, expected = engine.count(name), indexable_pages().count()
    changed = PageLogEntry.objects.filter(timestamp__gte=started).values("page_id").distinct()
    if abs(found - expected) > changed.count():
        problems.append(f"{found} documents instead of {expected}")
    if problems:
        raise IndexVerificationFailed(f"{name} is not a complete index: {'; '.join(problems)}")
    return found


def mapping_differences(expected, actual, prefix=""):
    """``["first_published_at: missing", "year: type long instead of integer", ...]``: how the
    ``actual`` mapping of an index (as the engine reports it) departs from ``expected``: whether
    unknown fields are refused, then field by field and sub-field (or object property) by
    sub-field, type, analyzer and indexed options. Empty when they agree."""
    differences = []
    if expected.get("dynamic", "true") != str(actual.get("dynamic", "true")):
        differences.append(f"dynamic: {actual.get('dynamic', 'true')} instead of strict")
    actual_fields = actual.get("properties", {})
    for field_name, wanted in expected.get("properties", {}).items():
        name = f"{prefix}{field_name}"
        found = actual_fields.get(field_name)
        if found is None:
            differences.append(f"{name}: missing")
            continue
        # The engines leave out the type of an object field, which has properties instead.
        found = {"type": "object", **found} if "properties" in found else found
        for key in ("type", "analyzer", "index_options"):
            if key in wanted and wanted[key] != found.get(key):
                differences.append(f"{name}: {key} {found.get(key)} instead of {wanted[key]}")
        sub_fields = {"properties": wanted.get("fields", {}) | wanted.get("properties", {})}
        differences += mapping_differences(
            sub_fields,
            {"properties": found.get("fields", {}) | found.get("properties", {})},
            f"{name}.",
        )
    return differences


def _fill(engine, index, batch_size, lock):
    """Bulk-index every indexable page into ``index``; returns the number of documents.

    The engine indexes one batch while the next is read and serialised: one bulk request in flight
    at a time, so memory stays bounded and the two cores both work. Each batch beats the lock's
    heartbeat.
    """
    count, in_flight = 0, None
    with ThreadPoolExecutor(max_workers=1) as sender:
        for batch in _batches(indexable_pages().order_by("pk"), batch_size):
            actions = _index_actions(index, serialize_pages(batch))
            if in_flight is not None:
                _check_bulk(in_flight.result())
            beat(lock)
            in_flight = sender.submit(engine.bulk, actions) if actions else None
            count += len(actions)
        if in_flight is not None:
            _check_bulk(in_flight.result())
    return count


def index_pages(page_ids, engine=None, refresh=False):
    """Make the index match the database for ``page_ids``: index visible pages, delete the rest.

    Writes go to the index behind the alias and to the version a rebuild is filling, if one is,
    so the rebuild gets them too. Raises ``EngineUnavailable`` when there is no index yet
    (``search_index rebuild`` creates it): writing to a missing alias would create a plain,
    incomplete index under its name.
    """
    engine = engine or get_engine()
    targets = engine.indices_behind(alias_name())
    building = index_being_built()
    if targets and building and building not in targets:
        targets.append(building)
    if not targets:
        raise EngineUnavailable(
            f"no {alias_name()} index yet: run 'manage.py search_index rebuild'"
        )
    page_ids = set(page_ids)
    visible = list(pages_with_relations(indexable_pages().filter(pk__in=page_ids)))
    gone = page_ids - {page.pk for page in visible}
    documents = serialize_pages(visible)
    actions = []
    for index in targets:
        actions += _index_actions(index, documents)
        actions += [{"_op_type": "delete", "_index": index, "_id": page_id} for page_id in gone]
    if actions:
        _check_bulk(engine.bulk(actions, refresh=refresh))
    return len(visible), len(gone)


def _batches(queryset, size):
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield list(pages_with_relations(indexable_pages().filter(pk__in=ids[start : start + size])))


def _index_actions(index, documents):
    """Bulk-helper actions indexing ``documents`` (``KnowledgePageDocument``s) into ``index``."""
    return [
        {
            "_op_type": "index",
            "_index": index,
            "_id": document.meta.id,
            "_source": document.to_dict(),
        }
        for document in documents
    ]


def _check_bulk(reply):
    if not reply.get("errors"):
        return
    failures = [
        item
        for item in reply["items"]
        for action, result in item.items()
        if result.get("status", 200) >= 300 and not (action == "delete" and result["status"] == 404)
    ]
    if failures:
        raise RuntimeError(f"the engine refused {len(failures)} documents, e.g. {failures[0]}")


@dataclass
class Drift:
    """Differences between the index and the database: page ids missing, stale or extra, and how
    the index's mapping departs from the portal's (only a rebuild fixes that)."""

    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    mapping: list = field(default_factory=list)

    def is_empty(self):
        return not (self.missing or self.stale or self.extra or self.mapping)


def index_fingerprints(engine=None):
    """``{page id: fingerprint}`` of every document in the index (search_after pagination)."""
    from elasticsearch.dsl import Search

    engine = engine or get_engine()
    found, after = {}, None
    while True:
        search = Search().source(["fingerprint"]).sort("page_id").extra(size=1000)
        if after is not None:
            search = search.extra(search_after=[after])
        hits = engine.search(search, alias_name()).hits
        if not hits:
            return found
        for hit in hits:
            found[int(hit.meta.id)] = getattr(hit, "fingerprint", "")
        after = int(hits[-1].meta.id)


def check_index(engine=None, repair=False):
    """The ``Drift`` between index and database; with ``repair``, fix it and return what was fixed."""
    engine = engine or get_engine()
    indexed = index_fingerprints(engine)
    names = TaxonomyNames()
    expected = {
        page.pk: fingerprint(page, names) for page in pages_with_relations(indexable_pages())
    }
    drift = Drift(
        missing=sorted(set(expected) - set(indexed)),
        stale=sorted(pk for pk in set(expected) & set(indexed) if expected[pk] != indexed[pk]),
        extra=sorted(set(indexed) - set(expected)),
        mapping=mapping_differences(index_body()["mappings"], engine.mapping(alias_name())),
    )
    if repair and (drift.missing or drift.stale or drift.extra):
        index_pages([*drift.missing, *drift.stale, *drift.extra], engine=engine, refresh=True)
    return drift


def index_status(engine=None):
    """``{alias, indices, indexed, indexable}``: what the alias points at and the two counts."""
    engine = engine or get_engine()
    indices = engine.indices_behind(alias_name())
    return {
        "engine": str(engine),
        "alias": alias_name(),
        "indices": indices,
        "indexed": engine.count(alias_name()) if indices else 0,
        "indexable": indexable_pages().count(),
        "knowledge_pages": KnowledgePage.objects.count(),
    }
