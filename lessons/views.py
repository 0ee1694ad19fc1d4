"""The lesson register: ``/<lang>/register/`` lists the lessons, ``/<lang>/register/<id>/`` shows
one with its item."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse

from knowledge.visibility import reader_language
from lessons.selectors import public_lessons, shown_lessons

PAGE_SIZE = 20


def register_view(request):
    """The current lessons of public items, newest item first, ``PAGE_SIZE`` a page (an
    out-of-range page number gives the nearest page)."""
    page = Paginator(public_lessons(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "lessons": shown_lessons(page.object_list, reader_language())}
    return TemplateResponse(request, "lessons/register.html", context)


def lesson_view(request, pk):
    """One lesson, shown from its item's version in the reader's language when it holds it;
    404 for a lesson withdrawn from its item or whose item is not public."""
    shown = shown_lessons(public_lessons().filter(pk=pk), reader_language())
    if not shown:
        raise Http404("No such lesson")
    context = {"lesson": shown[0], "languages": dict(settings.LANGUAGES)}
    return TemplateResponse(request, "lessons/lesson.html", context)
