"""``{% cite_this page as cite %}``: the formatted citation and download links of a knowledge page."""

from django import template
from django.urls import reverse
from wagtail.models import PageViewRestriction

from citations.formats import FORMATS
from citations.records import citation_record
from citations.rendering import format_citation

register = template.Library()


def _restricted(page):
    """Whether the page or an ancestor has a view restriction, in one query."""
    step = page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    return PageViewRestriction.objects.filter(page__path__in=paths).exists()


@register.simple_tag(takes_context=True)
def cite_this(context, page):
    """``{"citation": SafeString, "downloads": [{"format", "url"}, …]}`` for a knowledge page.

    The downloads are offered only where they answer: on a live page with no view restriction on
    it or an ancestor (the preview of a new page or a draft, or a private page, shows the citation
    alone). Costs one query, for the view restrictions; authors live in the page's StreamField.
    """
    record = citation_record(page, context.get("request"), with_keywords=False)
    citable = page.pk is not None and page.live and not _restricted(page)
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
