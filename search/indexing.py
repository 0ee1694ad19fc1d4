"""Index services: build, fill and check the versioned search index behind its alias.

The alias (``compass-knowledge``) always points at one complete index. ``rebuild_index`` fills a new
index version while searches keep reading the old one, then swaps the alias atomically in a single
``_aliases`` request and drops the old version (the elasticsearch-dsl ``alias_migration`` pattern).

A version is filled with refreshes off and no replicas, then given its replicas and refresh
interval (``live_settings``) before it is verified and swapped in. A rebuild that stops (killed,
engine down past its retries, documents refused) leaves its version behind no alias: the next
``rebuild_index(resume=True)`` continues it, writing only the pages missing or stale there (by
fingerprint); the next plain rebuild deletes it. Nothing else ever creates a version, so no
half-filled index outlives the next rebuild.
"""

import datetime
import logging
import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from knowledge.models import KnowledgePage, KnowledgeTag, TaggedKnowledgePage
from knowledge.visibility import public_knowledge_pages
from portal.batching import batched
from portal.progress import progress, stage
from search.client import alias_name, get_engine, index_settings
from search.documents import index_body
from search.engine_vectors import KNN, SCRIPT, IndexVectors, kind_for, vectors_of, with_vectors
from search.engines import EngineUnavailable
from search.locks import LockLost, beat, index_being_built, rebuild_lock
from search.models import PassageVector
from search.serialize import fingerprints, serialize_pages

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def indexable_pages():
    """The one definition of what is searchable: live, public knowledge pages, every locale."""
    return public_knowledge_pages().specific().select_related("locale")


def pages_with_relations(queryset):
    """The specific pages of ``queryset`` with what their documents need, in a fixed number of
    queries. Prefetching happens on the specific instances: ``.specific()`` drops prefetches made on
    the base queryset. Countries, themes and keywords are read with one query each and set as
    the pages' prefetched results (``_attach``): Django's own prefetching builds a filtered
    queryset per page for them, which cost more than reading and serialising the page."""
    pages = list(queryset)
    prefetch_related_objects(pages, "locale", "attachments__document", "objective_links")
    ids = [page.pk for page in pages]
    for name in ("countries", "themes"):
        field = KnowledgePage._meta.get_field(name)
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = field.remote_field.through.objects.filter(**{f"{source}__in": ids})
        links = links.select_related(target).order_by(f"{target}__name", "pk")
        _attach(pages, name, field.related_model, links, f"{source}_id", target)
    tags = TaggedKnowledgePage.objects.filter(content_object__in=ids).select_related("tag")
    _attach(pages, "tags", KnowledgeTag, tags.order_by("pk"), "content_object_id", "tag")
    return pages


def _attach(pages, name, model, links, page_field, target):
    """Give each page the objects ``target`` of ``links`` (rows of a link table whose
    ``page_field`` names the page) as the prefetched result of its relation ``name``."""
    found = defaultdict(list)
    for link in links:
        found[getattr(link, page_field)].append(getattr(link, target))
    for page in pages:
        results = model._base_manager.all()
        results._result_cache, results._prefetch_done = found.get(page.pk, []), True
        page.__dict__.setdefault("_prefetched_objects_cache", {})[name] = results


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
    engine.create_index(
        name, version_body(filling=False, vectors=IndexVectors.new(kind_for(engine)))
    )
    engine.update_aliases([{"add": {"index": name, "alias": alias_name()}}])
    return name


#: Dynamic settings an operator may change on the live index, kept by the next rebuild.
KEPT_SETTINGS = ("number_of_replicas", "refresh_interval")


def version_body(filling, vectors):
    """Settings and mappings of a new index version: shards, replicas and refresh interval from
    the settings (``index_settings``), or, while ``filling``, no replicas and no refreshes;
    passage vectors as ``vectors`` (``search.engine_vectors.IndexVectors``) says. The mapping's
    ``_meta`` records the settings it was built under (``live_settings`` reads it) and how its
    vectors are held and centred."""
    body = with_vectors(index_body(), vectors.kind)
    wanted = index_settings()
    body["settings"] = {
        **body.get("settings", {}),
        **wanted,
        **({"number_of_replicas": 0, "refresh_interval": "-1"} if filling else {}),
    }
    body["mappings"]["_meta"] = {
        "built_with": {key: wanted[key] for key in KEPT_SETTINGS},
        **vectors.meta(),
    }
    return body


def expected_mappings(engine, index):
    """The mappings index version ``index`` should have: the portal's, with passage vectors of
    the kind its ``_meta`` records; an index built before vectors were indexed has them as
    ``add_missing_fields`` adds them (``SCRIPT``'s binary doc values, which need no index
    setting), and is searched by meaning from the database until rebuilt."""
    vectors = vectors_of(engine, index)
    return with_vectors(index_body(), vectors.kind if vectors else SCRIPT)["mappings"]


def live_settings(engine):
    """The replicas and refresh interval the next index version gets: the live index's, unless
    the setting (``SEARCH_INDEX_REPLICAS``, ``SEARCH_INDEX_REFRESH_INTERVAL``) changed since the
    live index was built; then the setting. So a value an operator set on the live index
    (``PUT compass-knowledge/_settings``) survives rebuilds, and a changed setting still applies.
    An index built before settings were recorded counts as built with 0 replicas and the
    engine's default refresh interval. With no live index: the settings."""
    wanted = {key: index_settings()[key] for key in KEPT_SETTINGS}
    live = engine.indices_behind(alias_name())
    if not live:
        return wanted
    current = engine.index_settings(live[0])
    built_with = current["meta"].get("built_with", {"number_of_replicas": 0})
    kept = {}
    for key, value in wanted.items():
        changed = str(built_with.get(key)) != str(value)
        kept[key] = value if changed or current[key] is None else current[key]
    return kept


def start_index_version(engine):
    """Create a new, empty index version set up for filling; returns its name."""
    name = new_index_name()
    engine.create_index(
        name, version_body(filling=True, vectors=IndexVectors.new(kind_for(engine)))
    )
    return name


def finish_index_version(engine, name, wanted):
    """Give index ``name`` the replicas and refresh interval ``wanted`` (``live_settings``),
    record the settings it was built under, and refresh it so that every document is visible."""
    engine.put_settings(name, wanted)
    built_with = {key: index_settings()[key] for key in KEPT_SETTINGS}
    engine.put_meta(name, {**engine.index_settings(name)["meta"], "built_with": built_with})
    engine.refresh(name)


class IndexVerificationFailed(Exception):
    """A freshly filled index version is not what was asked for; the alias was left alone."""


class RebuildStopped(Exception):
    """A rebuild could not finish (the engine stayed unavailable, or refused documents); its
    index version was kept behind no alias for ``rebuild_index(resume=True)``."""


#: Index versions are named ``<alias>-<UTC timestamp>`` (``new_index_name``).
VERSION_SUFFIX = re.compile(r"-\d{8}t\d{12}$")


def _abandoned_versions(engine):
    """Index versions behind no alias, oldest first: left by rebuilds that did not finish."""
    live = set(engine.indices_behind(alias_name()))
    return [name for name in engine.indices_matching(f"{alias_name()}-*") if name not in live]


def _resumable(engine, abandoned):
    """``(name, {other abandoned version: why it cannot be resumed})``: the newest abandoned
    version with the portal's mapping (None when there is none), and the reasons for the newer
    ones passed over (a mapping from an older portal, e.g. ``translated: missing``)."""
    versions = [name for name in abandoned if VERSION_SUFFIX.search(name)]
    passed_over = {}
    for name in reversed(versions):
        differences = mapping_differences(expected_mappings(engine, name), engine.mapping(name))
        if not differences:
            return name, passed_over
        passed_over[name] = f"its mapping is not the portal's ({'; '.join(differences[:3])})"
    return None, passed_over


def rebuild_index(
    engine=None, batch_size=BATCH_SIZE, resume=False, verbosity=1, stream=None, say=None
):
    """Fill a new index version with every indexable page, verify it, and swap the alias to it.

    Returns ``(index name, documents indexed)``. With ``resume``, a version a stopped rebuild
    left behind is filled instead of a new one, only with the pages missing or stale there;
    every other abandoned version is deleted. Old versions are deleted after the swap.
    ``verbosity`` and ``stream`` show progress as ``portal.progress`` does (0: nothing); each
    stage, and the end, is told to ``say`` (a callable taking a line) when given, else logged.

    Only one rebuild runs at a time: raises ``search.locks.RebuildInProgress`` while another
    holds the lock; ``IndexVerificationFailed`` (after deleting the new version) when the new
    index lacks documents or has other field types than the mapping; ``RebuildStopped``
    (keeping the version for ``resume``) when the engine stayed unavailable through the write
    retries or refused documents. The alias then stays where it was.
    """
    engine = engine or get_engine()
    say = say or (lambda message: stage(message, verbosity))
    with rebuild_lock() as lock:
        name, indexed, started = _version_to_fill(engine, resume, say)
        beat(lock, index=name)
        try:
            _fill(engine, name, batch_size, lock, indexed, verbosity, stream)
            say(f"Setting replicas and refresh interval of {name}")
            finish_index_version(engine, name, live_settings(engine))
            say(f"Verifying {name}")
            count = verify_index(engine, name, started)
            beat(lock)
        except IndexVerificationFailed:
            beat(lock, index="")  # updates must not recreate the index about to be deleted
            engine.delete_index(name)
            raise
        except (EngineUnavailable, DocumentsRefused) as error:
            beat(lock, index="")
            raise RebuildStopped(
                f"{error}. {name} was kept: run 'search_index rebuild --resume' to continue it"
            ) from error
        except LockLost:
            raise
        except BaseException:
            beat(lock, index="")
            raise
        say(f"Pointing {alias_name()} at {name}")
        _swap_alias(engine, name, say)
    # Pages changed while the batches were read may have been written in an older state.
    changed = PageLogEntry.objects.filter(timestamp__gte=started).values_list("page_id", flat=True)
    if changed:
        for failure in index_pages(set(changed), engine=engine).failures:
            logger.error("The engine refused a page changed during the rebuild: %s", failure)
    say(f"Rebuilt {name} with {count} documents")
    return name, count


def _version_to_fill(engine, resume, say):
    """``(name, {page id: fingerprint} already there, when it was started)``: the abandoned
    version to resume, or a new one; every other abandoned version is deleted."""
    abandoned = _abandoned_versions(engine)
    resumed, passed_over = _resumable(engine, abandoned) if resume else (None, {})
    for name in abandoned:
        if name != resumed:
            engine.delete_index(name)
            why = f": {passed_over[name]}" if name in passed_over else ""
            say(f"Deleted {name}, left by an unfinished rebuild{why}")
    if resume and resumed is None:
        say("Nothing to resume: building a new index version")
    if resumed is None:
        name = start_index_version(engine)
        say(f"Created {name}")
        return name, {}, timezone.now()
    engine.refresh(resumed)
    indexed = index_fingerprints(engine, index=resumed)
    say(f"Resuming {resumed}: {len(indexed)} documents there")
    created = int(engine.index_settings(resumed)["creation_date"]) / 1000
    return resumed, indexed, datetime.datetime.fromtimestamp(created, tz=datetime.UTC)


def _swap_alias(engine, name, say=logger.info):
    """Point the alias at ``name`` alone in one atomic request, then drop the other versions."""
    old = engine.indices_behind(alias_name())
    actions = [{"remove": {"index": index, "alias": alias_name()}} for index in old]
    engine.update_aliases([*actions, {"add": {"index": name, "alias": alias_name()}}])
    for index in engine.indices_matching(f"{alias_name()}-*"):
        if index != name:
            engine.delete_index(index)
            say(f"Deleted {index}, the version it replaced")


def verify_index(engine, name, started):
    """The number of documents in index ``name``, filled since ``started``; raises
    ``IndexVerificationFailed`` unless it holds the portal's mapping (``mapping_differences``)
    and one document per indexable page.

    Pages published, unpublished or deleted while the index was filled may be counted on either
    side, so the count may differ from the database by at most the number of pages changed since
    ``started`` (the rebuild indexes those again after the swap).
    """
    problems = mapping_differences(expected_mappings(engine, name), engine.mapping(name))
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


class DocumentsRefused(Exception):
    """The engine refused some documents (``failures``: ``BulkFailure``s); the rest were written."""

    def __init__(self, failures):
        self.failures = failures
        shown = "; ".join(str(failure) for failure in failures[:10])
        more = f" and {len(failures) - 10} more" if len(failures) > 10 else ""
        super().__init__(f"the engine refused {len(failures)} documents: {shown}{more}")


def _fill(engine, index, batch_size, lock, indexed=None, verbosity=0, stream=None):
    """Bulk-index every indexable page into ``index``; returns the number of documents written.

    ``indexed`` (``{page id: fingerprint}`` of documents already there, when resuming): pages
    whose fingerprint matches are skipped, documents of pages no longer indexable deleted.
    The engine indexes one batch while the next is read and serialised: one bulk request in
    flight at a time, so memory stays bounded and the two cores both work. Each batch beats
    the lock's heartbeat. Raises ``DocumentsRefused`` at the end when the engine refused some.
    """
    indexed = indexed or {}
    ids = list(indexable_pages().order_by("pk").values_list("pk", flat=True))
    failures, count, in_flight = [], 0, None
    with (
        ThreadPoolExecutor(max_workers=1) as sender,
        progress(f"Indexing into {index}", len(ids), verbosity, stream) as shown,
    ):
        for batch in _batches(ids, batch_size):
            pages = _unchanged_left_out(batch, indexed)
            actions = _index_actions(index, serialize_pages(pages), _passages(engine, index, pages))
            if in_flight is not None:
                failures += in_flight.result()["failures"]
            beat(lock)
            in_flight = sender.submit(engine.bulk, actions) if actions else None
            count += len(actions)
            shown.advance(len(batch))
        gone = set(indexed) - set(ids)
        if gone:
            failures += engine.bulk(_delete_actions(index, gone))["failures"]
        if in_flight is not None:
            failures += in_flight.result()["failures"]
    if failures:
        raise DocumentsRefused(failures)
    return count


def _unchanged_left_out(pages, indexed):
    """``pages`` but those whose document in the index is up to date (same fingerprint)."""
    if not indexed:
        return pages
    current = fingerprints(pages)
    return [page for page in pages if indexed.get(page.pk) != current[page.pk]]


@dataclass
class IndexUpdate:
    """What ``index_pages`` did: documents written, documents deleted, and the ``BulkFailure``s
    of those the engine refused (their ``page_id`` and ``reason``)."""

    indexed: int = 0
    deleted: int = 0
    failures: list = field(default_factory=list)


def index_pages(page_ids, engine=None, refresh=False):
    """Make the index match the database for ``page_ids``: index visible pages, delete the rest.

    Writes go to the index behind the alias and to the version a rebuild is filling, if one is,
    so the rebuild gets them too. Returns an ``IndexUpdate``; a document the engine refuses is
    reported there, the others are written. Raises ``EngineUnavailable`` when the engine stays
    unavailable through the write retries, or when there is no index yet (``search_index
    rebuild`` creates it): writing to a missing alias would create a plain, incomplete index
    under its name.
    """
    engine = engine or get_engine()
    return send_update(engine, prepare_update(page_ids, engine), refresh)


@dataclass
class PreparedUpdate:
    """The bulk actions bringing ``page_ids`` up to date (``prepare_update``), ready to send."""

    page_ids: set
    actions: list
    indexed: int
    deleted: int


#: Pages per query of ``ids_with_their_versions`` (below SQLite's limit on parameters).
PAGES_PER_QUERY = 500


def ids_with_their_versions(page_ids):
    """``page_ids`` (a set of ints) and the live pages sharing their translation keys: whether an
    item is ``translated`` (a field of every version's document, ``search.serialize``) changes
    when one version is published, unpublished, deleted or made private, so the other versions'
    documents change with it."""
    ids = sorted(page_ids)
    found = set(ids)
    for batch in batched(ids, PAGES_PER_QUERY):
        keys = Page.objects.filter(pk__in=batch)
        versions = Page.objects.filter(translation_key__in=keys.values("translation_key"))
        found.update(versions.filter(live=True).values_list("pk", flat=True))
    return found


def prepare_update(page_ids, engine):
    """Read and serialise ``page_ids`` and the other live versions of their items
    (``ids_with_their_versions``) into bulk actions for every index written to. The versions are
    read again here, after the changes committed: two versions published at once each missed the
    other when their changes were recorded."""
    targets = engine.indices_behind(alias_name())
    building = index_being_built()
    if targets and building and building not in targets:
        targets.append(building)
    if not targets:
        raise EngineUnavailable(
            f"no {alias_name()} index yet: run 'manage.py search_index rebuild'"
        )
    page_ids = ids_with_their_versions(page_ids)
    visible = list(pages_with_relations(indexable_pages().filter(pk__in=page_ids)))
    gone = page_ids - {page.pk for page in visible}
    documents = serialize_pages(visible)
    actions = []
    for index in targets:  # each with its own vectors' centring
        actions += _index_actions(index, documents, _passages(engine, index, visible))
        actions += _delete_actions(index, gone)
    return PreparedUpdate(page_ids, actions, len(visible), len(gone))


def send_update(engine, update, refresh=False):
    """Send a ``PreparedUpdate``; returns an ``IndexUpdate`` (``index_pages``)."""
    failures = engine.bulk(update.actions, refresh=refresh)["failures"] if update.actions else []
    return IndexUpdate(update.indexed, update.deleted, failures)


def _batches(ids, size):
    for batch in batched(ids, size):
        yield list(pages_with_relations(indexable_pages().filter(pk__in=batch)))


def _passages(engine, index, pages):
    """``IndexVectors.passages`` of ``pages`` for ``index`` (empty when it holds no vectors)."""
    vectors = vectors_of(engine, index)
    return vectors.passages(pages) if vectors else {}


def _index_actions(index, documents, passages):
    """Bulk-helper actions indexing ``documents`` (``KnowledgePageDocument``s) into ``index``,
    each with its page's ``passages`` (``IndexVectors.passages``) when it has some."""
    return [
        {
            "_op_type": "index",
            "_index": index,
            "_id": document.meta.id,
            "_source": document.to_dict()
            | ({"passages": passages[document.page_id]} if document.page_id in passages else {}),
        }
        for document in documents
    ]


def _delete_actions(index, page_ids):
    return [{"_op_type": "delete", "_index": index, "_id": page_id} for page_id in page_ids]


@dataclass
class Drift:
    """Differences between the index and the database: page ids missing, stale or extra, and how
    the index's mapping departs from the portal's (only a rebuild fixes that)."""

    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    mapping: list = field(default_factory=list)
    fields_added: list = field(default_factory=list)  # by a repair: fields a new version added

    def is_empty(self):
        return not (self.missing or self.stale or self.extra or self.mapping)


def index_fingerprints(engine=None, index=None):
    """``{page id: fingerprint}`` of every document in ``index`` (default: the alias), read
    with search_after pagination."""
    from elasticsearch.dsl import Search

    engine = engine or get_engine()
    index = index or alias_name()
    found, after = {}, None
    while True:
        search = Search().source(["fingerprint"]).sort("page_id").extra(size=1000)
        if after is not None:
            search = search.extra(search_after=[after])
        hits = engine.search(search, index).hits
        if not hits:
            return found
        for hit in hits:
            found[int(hit.meta.id)] = getattr(hit, "fingerprint", "")
        after = int(hits[-1].meta.id)


def check_index(engine=None, repair=False):
    """The ``Drift`` between index and database; with ``repair``, fix it and return what was fixed.

    A repair first adds the fields the portal's mapping has and the index lacks (a new version
    of the portal indexing a new field), so its documents can be written again without a full
    rebuild; other mapping differences need one and are left in ``Drift.mapping``."""
    engine = engine or get_engine()
    fields_added = add_missing_fields(engine) if repair else []
    indexed = index_fingerprints(engine)
    expected = fingerprints(pages_with_relations(indexable_pages()))
    live = _single_index(engine)
    drift = Drift(
        missing=sorted(set(expected) - set(indexed)),
        stale=sorted(pk for pk in set(expected) & set(indexed) if expected[pk] != indexed[pk]),
        extra=sorted(set(indexed) - set(expected)),
        mapping=mapping_differences(expected_mappings(engine, live), engine.mapping(live)),
        fields_added=fields_added,
    )
    if repair and (drift.missing or drift.stale or drift.extra):
        index_pages([*drift.missing, *drift.stale, *drift.extra], engine=engine, refresh=True)
    return drift


def add_missing_fields(engine):
    """Add to the index behind the alias the top-level fields of the portal's mapping it lacks;
    returns their names (sorted; empty when none were missing)."""
    index = _single_index(engine)
    wanted = expected_mappings(engine, index)["properties"]
    present = engine.mapping(index).get("properties", {})
    missing = {name: wanted[name] for name in sorted(wanted.keys() - present.keys())}
    if missing:
        engine.add_fields(index, missing)
    return list(missing)


def _single_index(engine):
    """The index version behind the alias; raises ``EngineUnavailable`` unless there is one."""
    indices = engine.indices_behind(alias_name())
    if len(indices) != 1:
        raise EngineUnavailable(
            f"{alias_name()} points at {', '.join(indices) or 'no index'}: run "
            "'manage.py search_index rebuild'"
        )
    return indices[0]


#: How ``index_status`` tells what the index holds of the passage vectors.
VECTORS_SHOWN = {
    KNN: "in the engine, searched by k-NN",
    SCRIPT: "in the engine, scored by script (the cluster lacks the k-NN plugin)",
    None: "not in this index (searched from the database's; 'search_index rebuild' adds them)",
}


def index_status(engine=None):
    """``{engine, vectors, alias, indices, indexed, indexable, knowledge_pages}``: what the alias
    points at, how its version holds passage vectors (``VECTORS_SHOWN``) and the counts."""
    engine = engine or get_engine()
    indices = engine.indices_behind(alias_name())
    vectors = vectors_of(engine, indices[0]) if len(indices) == 1 else None
    shown = VECTORS_SHOWN[vectors.kind if vectors else None]
    if vectors:
        stored = PassageVector.objects.filter(model_name=vectors.model).count()
        shown += (
            f"; centred on the {vectors.means_from} passages stored when it was built "
            f"({stored} now: 'search_index rebuild' centres anew)"
        )
    return {
        "engine": str(engine),
        "vectors": shown,
        "alias": alias_name(),
        "indices": indices,
        "indexed": engine.count(alias_name()) if indices else 0,
        "indexable": indexable_pages().count(),
        "knowledge_pages": KnowledgePage.objects.count(),
    }
