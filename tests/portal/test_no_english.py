"""No English on a French, Arabic or Spanish page, other than content written in English and
marked so (``lang="en"``): the interface of every public page type, with the demo content."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from knowledge.models import KnowledgePage, LessonsLearnedReportPage, PracticeBriefPage

pytestmark = pytest.mark.django_db

#: Words of the portal's English interface that are not also French or Spanish words (so not
#: "menu", "pages", "documents", "notes", "types", "pack", "citation", "on", "a").
ENGLISH_WORDS = {
    "about", "all", "and", "briefs", "cite", "clear", "countries", "country",
    "download", "entries", "filter", "filters", "for", "from", "home", "language", "languages",
    "lesson", "lessons", "more", "next", "not", "of", "offline", "other", "policy", "previous",
    "published", "read", "register", "related", "remove", "results", "search", "skip",
    "subscribe", "the", "theme", "themes", "this", "translated", "updated", "with", "yet",
}  # fmt: skip

#: Attributes a reader meets (a screen reader reads them, a browser shows them).
READ_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


def english_words(html, language):
    """The ``ENGLISH_WORDS`` in the text and read attributes of ``html``, outside the parts
    marked with another language than ``language``."""
    page = BeautifulSoup(html, "html.parser")
    for element in page.select("script, style, template"):
        element.decompose()
    for element in page.body.select("[lang]"):
        if not element.decomposed and not element.get("lang", "").startswith(language):
            element.decompose()
    texts = [page.body.get_text(" ")]
    texts += [
        element[name] for name in READ_ATTRIBUTES for element in page.body.select(f"[{name}]")
    ]
    texts.append(page.title.get_text() if page.title else "")
    words = re.findall(r"[A-Za-z]+", " ".join(texts))
    return sorted({word for word in words if word.lower() in ENGLISH_WORDS})


def public_urls(language):
    """One address of each public page type in ``language``."""
    pages = KnowledgePage.objects.live().public().filter(locale__language_code=language)
    report = pages.type(LessonsLearnedReportPage).first()
    brief = pages.type(PracticeBriefPage).first()
    english_only = (
        KnowledgePage.objects.live()
        .public()
        .filter(locale__language_code="en")
        .exclude(translation_key__in=pages.values("translation_key"))
        .first()
    )
    return [
        f"/{language}/",
        f"/{language}/search/?q=migration",
        f"/{language}/search/?q=migration&country=ML",
        f"/{language}/lessons/",
        f"/{language}/mali/",
        f"/{language}/themes/",
        f"/{language}/themes/protection/",
        f"/{language}/countries/",
        f"/{language}/register/",
        f"/{language}/vocabulary/",
        f"/{language}/subscribe/",
        f"/{language}/no-such-page/",
        report.url,
        brief.url,
        f"/{language}/untranslated/{english_only.pk}/",
    ]


@pytest.mark.parametrize("language", ["fr", "ar", "es"])
def test_no_english_word_outside_content_marked_english(client, language):
    call_command("load_demo_content", stdout=io.StringIO())
    found = {}
    for url in public_urls(language):
        response = client.get(url, follow=True)
        words = english_words(response.content.decode(), language)
        if words:
            found[url] = words
    assert found == {}
