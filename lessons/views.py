"""The lesson register: ``/<lang>/register/`` searches and lists the lessons,
``/<lang>/register/<id>/`` shows one with its item."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from knowledge.blocks import AUDIENCES
from knowledge.facets import build_facets, without_page
from knowledge.filters import printable
from knowledge.visibility import public_knowledge_pages, reader_language
from lessons.forms import RegisterForm
from lessons.models import Kind, Lesson, Status
from lessons.register import LESSON_DIMENSIONS, find_lessons
from lessons.selectors import public_lessons, shown_lessons

PAGE_SIZE = 20
#: The register's lead paragraph and meta description.
REGISTER_LEAD = _(
    "Every lesson, recommendation and key message of the published reports and notes, each with "
    "an address of its own, and what was done about it."
)

#: Labels of the lesson's own facet values (the item's are ``knowledge.facets``').
LESSON_LABELS = {"kind": Kind.choices, "status": Status.choices, "audience": AUDIENCES}


@require_safe
def register_view(request):
    """``/register/?q=...&status=validated&country=ML``: the lessons found, ``PAGE_SIZE`` a page
    (an out-of-range page number gives the nearest page), with facets; 400 on bad input."""
    form = RegisterForm(request.GET)
    context = {
        "form": form,
        "query": printable(request.GET.get("q", "")),
        "meta_description": REGISTER_LEAD,
    }
    if not form.is_valid():
        context["errors"] = form.error_messages()
        return TemplateResponse(request, "lessons/register.html", context, status=400)
    query = form.register_query(reader_language())
    results = find_lessons(query)
    page = Paginator(results.lesson_ids, PAGE_SIZE).get_page(request.GET.get("page"))
    records = Lesson.objects.in_bulk(page.object_list)
    context |= {
        "page": page,
        "lessons": shown_lessons([records[pk] for pk in page.object_list], query.language),
        "facets": _facets(results.counts, query, request.GET),
        "degraded": results.degraded,
        "query_string": without_page(request.GET).urlencode(),
        "has_filters": not query.filters.is_empty(),
    }
    return TemplateResponse(request, "lessons/register.html", context)


def _withdrawn(request, pk):
    lesson = Lesson.objects.filter(pk=pk, withdrawn_at__isnull=False).first()
    versions = public_knowledge_pages().filter(translation_key=lesson.item_key) if lesson else None
    if not versions:
        raise Http404("No such lesson")
    language = reader_language()
    item = next((v for v in versions if v.locale.language_code == language), versions[0])
    context = {"lesson": None, "item": item, "withdrawn_at": lesson.withdrawn_at}
    return TemplateResponse(request, "lessons/withdrawn.html", context, status=410)


def _facets(counts, query, params):
    facets = build_facets(counts, query.filters, query.language, params)
    for dimension in LESSON_DIMENSIONS:
        labels = {str(value): str(label) for value, label in LESSON_LABELS[dimension]}
        for bucket in facets[dimension]:
            bucket.label = labels.get(bucket.value, bucket.value)
    return facets


def lesson_view(request, pk):
    """One lesson, shown from its item's version in the reader's language when it holds it;
    410 with a link to its item for a lesson withdrawn from a public item (its address was
    given out and cited: it says what became of it); 404 when its item is not public."""
    shown = shown_lessons(public_lessons().filter(pk=pk), reader_language())
    if not shown:
        return _withdrawn(request, pk)
    context = {"lesson": shown[0], "languages": dict(settings.LANGUAGES)}
    return TemplateResponse(request, "lessons/lesson.html", context)
