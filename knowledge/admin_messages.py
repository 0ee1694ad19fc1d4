"""What the page editor tells a team after each step of writing and review, where Wagtail's own
messages mislead (``portal.urls`` puts these views before Wagtail's, at the same addresses).

- A save, submit or publish that fails validation: Wagtail says the page "could not be created"
  or "could not be saved", even when a draft exists (saved earlier, or by the editor's autosave).
  These views say what was not done and what is kept.
- Approving or requesting changes from the dashboard: Wagtail redirects without a word. These
  views say what happened to the page: published, scheduled, passed to the next step, or sent
  back to its author.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.utils import get_latest_str
from wagtail.admin.views.pages import create, edit, workflow
from wagtail.models import TaskState

#: What a failed action did not do, by Wagtail's name of the action.
_NOT_DONE = {
    "publish": lambda: _("Not published"),
    "submit": lambda: _("Not submitted for review"),
    "restart_workflow": lambda: _("Not submitted for review"),
}


def not_done_message(action_name, draft_kept):
    """The message of a save, submit or publish that failed validation: what was not done, and
    whether an earlier draft is kept (``draft_kept``, an existing page) or nothing is saved yet."""
    not_done = _NOT_DONE.get(action_name, lambda: _("Not saved"))()
    if draft_kept:
        return _("%(not_done)s: correct the errors below. Your last saved draft is kept.") % {
            "not_done": not_done
        }
    return _(
        "%(not_done)s: correct the errors below. Nothing is saved yet; saving a draft needs "
        "only a title."
    ) % {"not_done": not_done}


def review_outcome_message(task_state):
    """What a reviewer's approve or request-changes did to the page of ``task_state`` (a
    ``TaskState`` after the action), or ``None`` while the task is still open."""
    page = task_state.revision.content_object.specific
    title = get_latest_str(page)
    if task_state.status == TaskState.STATUS_REJECTED:
        return _(
            "Changes requested: “%(title)s” goes back to its author, who is told by email."
        ) % {"title": title}
    if task_state.status != TaskState.STATUS_APPROVED:
        return None
    workflow_state = task_state.workflow_state
    if workflow_state.status == workflow_state.STATUS_IN_PROGRESS:
        return _("Approved: “%(title)s” goes on to the next review step, %(task)s.") % {
            "title": title,
            "task": workflow_state.current_task_state.task.name,
        }
    if page.live and not page.has_unpublished_changes:
        return _("Approved and published: “%(title)s” is on the site.") % {"title": title}
    # A live page's next version waits on its revision; a new page's on the page itself.
    go_live_at = task_state.revision.approved_go_live_at or page.go_live_at
    if go_live_at and go_live_at > timezone.now():
        when = timezone.localtime(go_live_at).strftime("%Y-%m-%d %H:%M")
        return _("Approved: “%(title)s” will be published on %(when)s.") % {
            "title": title,
            "when": when,
        }
    return _("Approved: “%(title)s”.") % {"title": title}


class PageCreateView(create.CreateView):
    """Wagtail's page create view, whose failed save, submit or publish says what it did not do
    (``not_done_message``)."""

    def form_invalid(self, form):
        if self.expects_json_response:
            return super().form_invalid(form)
        messages.validation_error(self.request, not_done_message(self.action_name, False), form)
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())


class PageEditView(edit.EditView):
    """Wagtail's page edit view, whose failed save, submit or publish says the draft is kept,
    and whose approve or request-changes says what happened (``review_outcome_message``)."""

    def form_invalid(self, form):
        if self.expects_json_response or self.locked_for_user or self.is_cancelling_workflow:
            return super().form_invalid(form)
        messages.validation_error(self.request, not_done_message(self.action_name, True), form)
        self.errors_debug = repr(form.errors)  # as Wagtail's, for its debug output
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())

    def perform_workflow_action(self):
        self.acted_on = self.page.current_workflow_task_state  # the action closes it
        return super().perform_workflow_action()

    def add_save_confirmation_message(self):
        acted_on = getattr(self, "acted_on", None)
        message = None
        if acted_on is not None:
            acted_on.refresh_from_db()
            message = review_outcome_message(acted_on)
        if message is None:
            return super().add_save_confirmation_message()
        messages.success(self.request, message)


class PageWorkflowAction(workflow.WorkflowAction):
    """Wagtail's approve and request-changes from the dashboard, which then say what happened
    to the page (``review_outcome_message``)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        self.task_state.refresh_from_db()
        message = review_outcome_message(self.task_state)
        if message:
            messages.success(request, message)
        return response
