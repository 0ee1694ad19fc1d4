from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from lessons.lifecycle import LOG_ACTION
from lessons.models import Status


@hooks.register("register_log_actions")
def register_lesson_moves(actions):
    @actions.register_action(LOG_ACTION)
    class MoveFormatter(LogFormatter):
        """ "Moved from Lesson identified to Validated", with the mover's comment."""

        label = _("Move in the lesson's lifecycle")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Moved from %(from)s to %(to)s") % {
                "from": Status(data["from"]).label,
                "to": Status(data["to"]).label,
            }

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")
