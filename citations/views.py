"""Citation downloads: ``/<lang>/cite/<page id>.<ris|bib|json>``.

Only live, public knowledge pages are citable (``knowledge.visibility.public_knowledge_pages``):
a draft, a private page, a page under a private section, a page of another type or an unknown id
answers 404, and so does an unknown format.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from citations.formats import FORMATS
from citations.records import citation_record, lesson_citation_record
from knowledge.visibility import public_knowledge_pages, reader_language
from lessons.selectors import public_lessons, shown_lessons

#: Larger ids cannot be stored (a 64-bit signed integer), so no page has one.
LARGEST_ID = 2**63 - 1


@require_safe
def download_lesson_citation(request, lesson_id, extension):
    """The citation of lesson ``lesson_id`` with its item (``lesson_citation_record``), named
    ``compass-lesson-<id>.<ext>``; 404 for a lesson readers cannot see or an unknown format."""
    citation_format = FORMATS.get(extension)
    if citation_format is None:
        raise Http404(_("Citations are available as RIS, BibTeX or CSL-JSON only."))
    lessons = public_lessons().filter(pk=lesson_id) if lesson_id <= LARGEST_ID else []
    shown = shown_lessons(lessons, reader_language())
    if not shown:
        raise Http404
    text = citation_format.write(lesson_citation_record(shown[0], request))
    filename = f"compass-lesson-{lesson_id}.{citation_format.extension}"
    response = HttpResponse(text, content_type=citation_format.content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
def download_citation(request, page_id, extension):
    """The citation of page ``page_id`` as an attachment named ``compass-<id>-<slug>.<ext>``."""
    citation_format = FORMATS.get(extension)
    if citation_format is None:
        raise Http404(_("Citations are available as RIS, BibTeX or CSL-JSON only."))
    if page_id > LARGEST_ID:
        raise Http404
    page = get_object_or_404(public_knowledge_pages().select_related("locale"), pk=page_id)
    text = citation_format.write(citation_record(page.specific, request))
    filename = f"compass-{page.pk}-{page.slug}.{citation_format.extension}"
    response = HttpResponse(text, content_type=citation_format.content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
