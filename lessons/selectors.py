"""The lessons readers may see, and each one's entry in the version of its item shown."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Count,
    Max,
    OuterRef,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.models import Locale, ModelLogEntry

from knowledge.blocks import AUDIENCES
from knowledge.models import KnowledgePage
from knowledge.visibility import public_knowledge_pages, unrestricted_documents, visible
from lessons.lifecycle import LOG_ACTION
from lessons.models import Action, ActionStatus, Lesson, Status
from lessons.records import statements_of


def public_lessons():
    """Current lessons (not withdrawn) of items with a live, public version, newest item first
    (its latest publication date, ``published``), then in the order of their records."""
    public = public_knowledge_pages()
    latest = public.filter(translation_key=OuterRef("item_key")).order_by("-publication_date")
    return (
        Lesson.objects.filter(
            withdrawn_at__isnull=True, item_key__in=public.values("translation_key")
        )
        .annotate(published=Subquery(latest.values("publication_date")[:1]))
        .order_by("-published", "pk")
    )


@dataclass(frozen=True)
class ShownLesson:
    """A lesson as a reader sees it: its ``record``, the ``page`` (a specific knowledge page, one
    version of its item) it is shown from and its ``block`` there."""

    record: Lesson
    page: object
    block: object
    #: When the lesson reached its status (its last move), or None: where a report's entry starts.
    since: object = None
    #: Its public actions (``ShownAction``), in due-date order.
    actions: list = field(default_factory=list)

    @property
    def applied(self):
        """``[(country, year)]`` where its public actions were done, in order, each once: the
        "applied in Niger 2025" of its status."""
        places = []
        for shown in self.actions:
            action = shown.action
            if action.status == ActionStatus.DONE and action.country and action.done_on:
                place = (action.country, action.done_on.year)
                if place not in places:
                    places.append(place)
        return places

    @property
    def anchor(self):
        """The fragment of the entry on its page (``knowledge/includes/section.html``)."""
        return f"entry-{self.block.id}"

    @property
    def statement(self):
        """The entry's one sentence (a key message is one)."""
        value = self.block.value
        return value if isinstance(value, str) else value["statement"]

    @property
    def explanation(self):
        """A lesson's or a report recommendation's explanation (rich text), else None."""
        return None if isinstance(self.block.value, str) else self.block.value.get("explanation")

    @property
    def audience(self):
        """The audience a policy note's recommendation addresses, by name, else ""."""
        value = self.block.value
        code = "" if isinstance(value, str) else value.get("audience", "")
        return dict(AUDIENCES).get(code, code)


def shown_lessons(lessons, language, versions=None):
    """``[ShownLesson]`` of ``lessons`` (in their order): each from the version of its item in
    ``language`` that holds it, else from the first version created that does, among
    ``versions`` (knowledge pages; public ones by default); a lesson none of them holds is left
    out. Four queries and one per page type."""
    lessons = list(lessons)
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    versions = public_knowledge_pages() if versions is None else versions
    versions = versions.filter(translation_key__in={x.item_key for x in lessons})
    found = {}
    pages = list(versions.order_by("pk").specific())
    prefetch_related_objects(pages, "locale")
    for page in pages:
        for block_id, _kind, block in statements_of(page):
            found.setdefault((page.translation_key, block_id), []).append((page, block))
    moved = last_moves(lessons)
    actions = shown_actions(lessons)
    shown = []
    for lesson in lessons:
        holders = found.get((lesson.item_key, lesson.block_id))
        if holders:
            in_language = [h for h in holders if languages[h[0].locale_id] == language]
            page, block = (in_language or holders)[0]
            shown.append(
                ShownLesson(lesson, page, block, moved.get(lesson.pk), actions.get(lesson.pk, []))
            )
    return shown


@dataclass(frozen=True)
class ShownAction:
    """A public action as readers see it, with the evidence they may follow: its
    ``evidence_page`` when visible, its ``evidence_document`` when unrestricted, else None."""

    action: Action
    evidence_page: object = None
    evidence_document: object = None


def public_actions():
    """The public actions of the lessons readers may see (an ``Action`` queryset)."""
    return Action.objects.filter(public=True, lesson__in=public_lessons().values("pk"))


def public_evidence_documents():
    """The documents public actions give as evidence (``KNOWLEDGE_DOCUMENTS_SHOWN_ELSEWHERE``):
    a ``Document`` queryset; knowledge narrows it to unrestricted collections."""
    evidence = public_actions().values("evidence_document")
    return get_document_model().objects.filter(pk__in=evidence)


def shown_actions(lessons):
    """``{lesson id: [ShownAction]}``: the public actions of ``lessons`` in due-date order, their
    evidence narrowed to what readers may see. Three queries whatever their number."""
    actions = list(
        Action.objects.filter(public=True, lesson__in=[lesson.pk for lesson in lessons])
        .select_related("country", "evidence_document")
        .order_by("due_date", "pk")
    )
    page_ids = {action.evidence_page_id for action in actions if action.evidence_page_id}
    pages = {page.pk: page for page in visible(KnowledgePage.objects.filter(pk__in=page_ids))}
    document_ids = {a.evidence_document_id for a in actions if a.evidence_document_id}
    documents = set(
        unrestricted_documents().filter(pk__in=document_ids).values_list("pk", flat=True)
    )
    shown = {}
    for action in actions:
        document = action.evidence_document if action.evidence_document_id in documents else None
        evidence = ShownAction(action, pages.get(action.evidence_page_id), document)
        shown.setdefault(action.lesson_id, []).append(evidence)
    return shown


def last_moves(lessons):
    """``{lesson id: when it last moved}`` of ``lessons`` that ever moved (one query)."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Lesson),
        object_id__in=[str(lesson.pk) for lesson in lessons],
        action=LOG_ACTION,
    )
    last = entries.values("object_id").annotate(at=Max("timestamp")).values_list("object_id", "at")
    return {int(object_id): at for object_id, at in last}


def describe_actions(actions, language, versions):
    """Set on each of ``actions`` what the follow-up report shows of its lesson, from its item's
    version in ``language`` among ``versions`` (knowledge pages), else its first: ``statement``,
    ``item_title``, ``item_countries`` and ``item_themes`` (strings; empty when no version holds
    the lesson). Returns ``actions`` as a list; eight queries whatever their number."""
    actions = list(actions)
    lessons = {action.lesson_id: action.lesson for action in actions}
    shown = {x.record.pk: x for x in shown_lessons(lessons.values(), language, versions)}
    pages = KnowledgePage.objects.filter(pk__in={x.page.pk for x in shown.values()})
    pages = {page.pk: page for page in pages.prefetch_related("countries", "themes")}
    for action in actions:
        lesson = shown.get(action.lesson_id)
        page = pages[lesson.page.pk] if lesson else None
        action.statement = lesson.statement if lesson else ""
        action.item_title = page.title if page else ""
        action.item_countries = ", ".join(c.name for c in page.countries.all()) if page else ""
        action.item_themes = ", ".join(t.name for t in page.themes.all()) if page else ""
    return actions


#: A lesson validated once and still validated or further on (not sent back, not closed).
STILL_VALIDATED = (Status.VALIDATED, Status.ACTION_PLANNED, Status.IMPLEMENTED, Status.LEARNED)


def recently_validated(limit):
    """``[(lesson, when)]``: the public lessons most recently validated and still validated or
    further on (``STILL_VALIDATED``), newest validation first, each once, at most ``limit``: two
    queries."""
    still = public_lessons().filter(status__in=STILL_VALIDATED)
    entries = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Lesson),
            action=LOG_ACTION,
            data__to=Status.VALIDATED,
            object_id__in=still.annotate(key=Cast("pk", CharField())).values("key"),
        )
        .values("object_id")
        .annotate(at=Max("timestamp"))
        .values_list("object_id", "at")
        .order_by("-at")[:limit]
    )
    found = dict(entries)
    lessons = Lesson.objects.in_bulk([int(pk) for pk in found])
    return [(lessons[int(pk)], at) for pk, at in found.items() if int(pk) in lessons]


def recently_applied(limit):
    """The public actions done most recently (by ``done_on``, then last change), of public
    lessons, at most ``limit``: an ``Action`` queryset with their lessons and countries."""
    done = public_actions().filter(status=ActionStatus.DONE, done_on__isnull=False)
    return done.select_related("lesson", "country").order_by("-done_on", "-updated_at")[:limit]


#: A lesson is acted on once its actions are implemented (or it is learned), or once one of its
#: public actions is done: what a country's or a theme's page counts.
ACTED_ON_STATUSES = (Status.IMPLEMENTED, Status.LEARNED)


def acted_on_counts(**item_lookup):
    """``(lessons, acted on)``: how many public lessons of the items with a public version
    matching ``item_lookup`` (e.g. ``countries__code="ML"``, ``themes__slug="protection"``)
    there are, and how many of them were acted on (``ACTED_ON_STATUSES``, or a public action
    done). One query."""
    keys = public_knowledge_pages().filter(**item_lookup).values("translation_key")
    done = public_actions().filter(status=ActionStatus.DONE).values("lesson")
    lessons = Lesson.objects.filter(withdrawn_at__isnull=True, item_key__in=keys)
    acted = Q(status__in=ACTED_ON_STATUSES) | Q(pk__in=done)
    counts = lessons.aggregate(total=Count("pk"), acted=Count("pk", filter=acted))
    return counts["total"], counts["acted"]
