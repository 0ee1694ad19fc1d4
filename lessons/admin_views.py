"""The lesson register in the admin: the lessons of the items a user may edit, and a page per
lesson to move it through its lifecycle (``lessons.lifecycle``) with its history of moves."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.models import ModelLogEntry

from knowledge.models import KnowledgePage
from knowledge.visibility import reader_language
from lessons.lifecycle import LOG_ACTION, MoveRefused, move, moves_for
from lessons.models import Lesson, Status
from lessons.permissions import editable_lessons
from lessons.selectors import shown_lessons

PAGE_SIZE = 50


def lesson_index(request):
    """``/admin/lessons/?status=validated``: the user's lessons, newest records first."""
    lessons = editable_lessons(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        lessons = lessons.filter(status=status)
    page = Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("p"))
    context = {
        "page": page,
        "lessons": shown_lessons(page.object_list, reader_language(), _live_versions()),
        "statuses": Status.choices,
        "status": status,
    }
    return TemplateResponse(request, "lessons/admin/index.html", context)


class MoveForm(forms.Form):
    """Where to move a lesson (the statuses the user may move it to) and why, from the status
    the user saw (``was``): a lesson someone moved since is not moved on a stale page."""

    was = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("Move to"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to validate, close, reopen or declare a lesson learned: say why."),
    )

    def __init__(self, *args, allowed, current, **kwargs):
        super().__init__(*args, initial={"was": current}, **kwargs)
        self.fields["status"].choices = [(status.value, status.label) for status in allowed]


def lesson_move(request, pk):
    """``/admin/lessons/<id>/``: the lesson, its history, and the moves the user may make; 403
    for a lesson of an item the user may not edit."""
    lesson = editable_lessons(request.user).filter(pk=pk).first()
    if lesson is None:
        # Another section's lesson is not this user's to see, like its item's edit view.
        raise PermissionDenied if Lesson.objects.filter(pk=pk).exists() else Http404
    shown = shown_lessons([lesson], reader_language(), _live_versions())
    if not shown:  # its item was unpublished since the lessons were listed
        raise Http404("This lesson's item is not live")
    if request.method == "POST" and request.POST.get("was", lesson.status) != lesson.status:
        # The page the user moved it from is out of date: its moves are no longer the lesson's.
        messages.error(request, _("Someone moved this lesson meanwhile: look at it again."))
        return redirect("lessons_admin_move", pk=lesson.pk)
    allowed = moves_for(request.user, lesson)
    form = MoveForm(request.POST or None, allowed=allowed, current=lesson.status)
    if request.method == "POST" and form.is_valid():
        try:
            move(lesson, form.cleaned_data["status"], request.user, form.cleaned_data["comment"])
        except MoveRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("The lesson is now “%(status)s”.") % {"status": lesson.get_status_display()},
            )
            return redirect("lessons_admin_move", pk=lesson.pk)
    history = ModelLogEntry.objects.for_instance(lesson).filter(action=LOG_ACTION)
    context = {
        "lesson": shown[0],
        "form": form,
        "history": history.order_by("-timestamp", "-pk"),
        "actions": lesson.actions.order_by("due_date", "pk"),
    }
    return TemplateResponse(
        request, "lessons/admin/move.html", context, status=400 if form.errors else 200
    )


def _live_versions():
    return KnowledgePage.objects.filter(live=True)
