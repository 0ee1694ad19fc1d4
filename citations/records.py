"""The one description of a knowledge page as a citable work, read by every citation format.

``citation_record(page)`` gathers what the formats need from a live knowledge page, so RIS,
BibTeX, CSL-JSON and the formatted citation always agree.
"""

import datetime
from dataclasses import dataclass, field, replace

from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from citations.names import OrganisationName, PersonName, parse_names
from portal.addresses import absolute, page_address

#: Publisher cited when a page names no publishing organisation: the programme itself.
DEFAULT_PUBLISHER = "COMPASS"


@dataclass(frozen=True)
class CitationRecord:
    """A knowledge page as a citable report.

    ``names`` holds ``PersonName`` and ``OrganisationName`` objects in the editors' order;
    ``language`` is the page's language code ("fr"); ``genre`` the type of item in that language
    ("Note d'orientation"); ``url`` the page's absolute URL, or "" when it has none; ``keywords``
    the item's keywords, then its themes, then its countries (empty unless asked for).
    """

    page_id: int
    title: str
    names: list[PersonName | OrganisationName]
    date: datetime.date
    publisher: str
    url: str
    language: str
    genre: str
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    #: A part of the item cited with it (a lesson, a recommendation): its kind ("Lesson"), its
    #: text and its own absolute URL; empty when the item is cited whole.
    part_kind: str = ""
    part: str = ""
    part_url: str = ""

    @property
    def part_note(self):
        """The cited part as one sentence of the record's language, e.g. 'Lesson: “Involve host
        communities early”. https://…/en/register/12/', or ""."""
        if not self.part:
            return ""
        with translation.override(self.language):
            note = gettext("%(kind)s: “%(text)s”.") % {"kind": self.part_kind, "text": self.part}
        return f"{note} {self.part_url}".strip()

    @property
    def year(self):
        return self.date.year


def citation_record(page, request=None, with_keywords=True):
    """The ``CitationRecord`` of a knowledge page (any ``KnowledgePage`` subclass instance).

    ``request`` makes the URL absolute for the site that serves it. ``with_keywords=False`` skips
    the three queries for keywords, themes and countries (the formatted citation does not show
    them).
    """
    language = page.locale.language_code
    with translation.override(language):
        genre = str(capfirst(page.specific_class._meta.verbose_name))
    keywords = []
    if with_keywords:
        keywords = [tag.name for tag in page.tags.all()]
        keywords += [theme.name for theme in page.themes.all()]
        keywords += [country.name for country in page.countries.all()]
    return CitationRecord(
        page_id=page.pk,
        title=page.title,
        names=parse_names(block.value for block in page.authors),
        date=page.publication_date,
        publisher=page.organisation or DEFAULT_PUBLISHER,
        url=page_address(page, request) or "",
        language=language,
        genre=genre,
        abstract=" ".join(page.summary.split()),
        keywords=list(dict.fromkeys(keywords)),
    )


def lesson_citation_record(lesson, request):
    """The ``CitationRecord`` of a lesson (a ``lessons.selectors.ShownLesson``): its item's,
    with the lesson as the cited part, in the language of the version it is shown from. A
    lesson is cited with its report: the report is the published work, the lesson a place in
    it with an address of its own."""
    page = lesson.page
    with translation.override(page.locale.language_code):
        kind = str(lesson.record.get_kind_display())
    return replace(
        citation_record(page, request, with_keywords=False),
        part_kind=kind,
        part=lesson.statement,
        part_url=absolute(reverse("lesson", args=[lesson.record.pk]), request),
    )
