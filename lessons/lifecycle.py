"""How a lesson moves from observed to learned, who may move it, and the log of each move.

The stages are those of lessons-learned processes (NATO's lessons process: observation, lesson
identified, remedial action, lesson learned): observation → lesson identified → validated →
action planned → implemented → lesson learned, or closed as not accepted. A report's entry starts
as a lesson identified. Who may move a lesson follows Wagtail's permissions on its item's page:
whoever may edit the item (its section's editors) moves it along its work (identified, action
planned, implemented); whoever may publish it (the section's moderators, the programme
reviewers) also judges it (validated, not accepted, learned, reopened), with a comment that says
why. Each move is a Wagtail log entry (``lessons.move``): who, when, from, to and the comment,
shown in the admin's history of the lesson.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from knowledge.models import KnowledgePage
from lessons.models import Lesson, Status

#: ``{from: (to, ...)}``: the moves the lifecycle allows.
MOVES = {
    Status.OBSERVATION: (Status.IDENTIFIED, Status.NOT_ACCEPTED),
    Status.IDENTIFIED: (Status.VALIDATED, Status.OBSERVATION, Status.NOT_ACCEPTED),
    Status.VALIDATED: (Status.ACTION_PLANNED, Status.NOT_ACCEPTED),
    Status.ACTION_PLANNED: (Status.IMPLEMENTED, Status.VALIDATED, Status.NOT_ACCEPTED),
    Status.IMPLEMENTED: (Status.LEARNED, Status.ACTION_PLANNED),
    Status.LEARNED: (Status.IMPLEMENTED,),
    Status.NOT_ACCEPTED: (Status.IDENTIFIED,),
}
#: The moves that judge a lesson, ``(from, to)``: its item's reviewers only, with a comment.
JUDGEMENTS = {
    *((before, Status.VALIDATED) for before in Status),
    *((before, Status.NOT_ACCEPTED) for before in Status),
    *((before, Status.LEARNED) for before in Status),
    (Status.NOT_ACCEPTED, Status.IDENTIFIED),
    (Status.LEARNED, Status.IMPLEMENTED),
}
LOG_ACTION = "lessons.move"


class MoveRefused(Exception):
    """A move the lifecycle or the user's rights do not allow; its message says why, for the
    user who asked."""


def item_page(lesson):
    """The page whose permissions govern ``lesson``: its item's first version (specific), or
    None when the item is gone."""
    pages = KnowledgePage.objects.filter(translation_key=lesson.item_key).order_by("pk")
    page = pages.first()
    return page.specific if page else None


def moves_for(user, lesson):
    """The statuses ``user`` may move ``lesson`` to, in the lifecycle's order."""
    page = item_page(lesson)
    if page is None:
        return []
    rights = page.permissions_for_user(user)
    may_edit, may_judge = rights.can_edit(), rights.can_publish()
    allowed = []
    for status in MOVES[lesson.status]:
        judging = (lesson.status, status) in JUDGEMENTS
        if may_judge or (may_edit and not judging):
            allowed.append(status)
    return allowed


def move(lesson, status, user, comment=""):
    """Move ``lesson`` to ``status`` for ``user`` with ``comment``, and log it.

    Raises ``MoveRefused`` when the lifecycle does not lead there from the lesson's status, when
    ``user`` may not make that move, or when a judgement comes without a comment."""
    status, comment = Status(status), comment.strip()
    if status not in MOVES[lesson.status]:
        raise MoveRefused(
            _("A lesson cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(lesson.status).label, "to": status.label}
        )
    if status not in moves_for(user, lesson):
        raise MoveRefused(_("You may not move this lesson to “%(to)s”.") % {"to": status.label})
    if (lesson.status, status) in JUDGEMENTS and not comment:
        raise MoveRefused(_("Say why in a comment: others will read it with the lesson."))
    with transaction.atomic():
        locked = Lesson.objects.select_for_update().get(pk=lesson.pk)
        if locked.status != lesson.status:
            raise MoveRefused(_("Someone moved this lesson meanwhile: look at it again."))
        before, lesson.status = lesson.status, status
        lesson.save(update_fields=["status"])
        log(
            instance=lesson,
            action=LOG_ACTION,
            user=user,
            data={"from": before, "to": status.value, "comment": comment},
        )
