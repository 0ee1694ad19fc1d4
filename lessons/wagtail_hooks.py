from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter

from lessons.action_admin import ActionViewSet
from lessons.admin_views import lesson_index, lesson_move
from lessons.lifecycle import LOG_ACTION
from lessons.models import Status
from lessons.permissions import editable_actions, editable_items, editable_lessons


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


class FollowUpPanel(Component):
    """The dashboard's follow-up of the lessons a user follows: lessons awaiting validation, and
    actions open, due soon and overdue, each a link to its list."""

    name = "lesson_follow_up"
    order = 150
    template_name = "lessons/admin/follow_up_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        actions = editable_actions(self.user)
        return {
            "awaiting": editable_lessons(self.user).filter(status=Status.IDENTIFIED).count(),
            "open": actions.open().count(),
            "due": actions.due(today).count(),
            "overdue": actions.overdue(today).count(),
        }


@hooks.register("construct_homepage_panels")
def follow_up_panel(request, panels):
    if editable_items(request.user).exists():
        panels.append(FollowUpPanel(request.user))
