from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from lessons.action_admin import ActionViewSet
from lessons.admin_views import lesson_index, lesson_move
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


@hooks.register("register_admin_urls")
def lesson_admin_urls():
    return [
        path("lessons/", lesson_index, name="lessons_admin"),
        path("lessons/<int:pk>/", lesson_move, name="lessons_admin_move"),
    ]


@hooks.register("register_admin_menu_item")
def lesson_menu_item():
    """The lesson register, for everyone in the admin: each sees the lessons of the items they
    may edit."""
    return MenuItem(_("Lesson register"), reverse("lessons_admin"), icon_name="tick", order=260)


@hooks.register("register_admin_viewset")
def action_viewset():
    return ActionViewSet("lessons_action", url_prefix="actions")
