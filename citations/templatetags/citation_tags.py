"""``{% cite_this page as cite %}``: the formatted citation and download links of a knowledge page."""

from django import template
from django.urls import reverse

from citations.formats import FORMATS
from citations.records import citation_record, lesson_citation_record
from citations.rendering import format_citation

register = template.Library()


@register.simple_tag(takes_context=True)
def cite_this(context, page):
    """``{"citation": SafeString, "downloads": [{"format", "url"}, …]}`` for a knowledge page.

    The downloads are offered on live pages (the preview of a new page or a draft shows the
    citation alone). Costs no query: authors live in the page's StreamField and the site's root
    paths are cached on the request. So view restrictions are not looked up here: on a private
    page, or one under a private section, the links answer 404 like every other private URL.
    """
    record = citation_record(page, context.get("request"), with_keywords=False)
    citable = page.pk is not None and page.live
    return {
        "citation": format_citation(record),
        "downloads": [
            {
                "format": citation_format,
                "url": reverse(
                    "citations:download",
                    kwargs={"page_id": page.pk, "extension": citation_format.extension},
                ),
            }
            for citation_format in FORMATS.values()
        ]
        if citable
        else [],
    }


@register.simple_tag(takes_context=True)
def cite_lesson(context, lesson):
    """``{"citation": SafeString, "note": str, "downloads": [...]}`` for a lesson (a
    ``ShownLesson``): its item's citation, the lesson as the cited part, and its downloads."""
    record = lesson_citation_record(lesson, context["request"])
    return {
        "citation": format_citation(record),
        "note": record.part_note,
        "downloads": [
            {
                "format": citation_format,
                "url": reverse(
                    "citations:download_lesson",
                    kwargs={"lesson_id": lesson.record.pk, "extension": citation_format.extension},
                ),
            }
            for citation_format in FORMATS.values()
        ],
    }
