"""Items for the SEO tests: a report with a French translation, a draft, private pages."""

import pytest
from wagtail.models import Locale, PageViewRestriction

from tests.factories import (
    KnowledgeAttachmentFactory,
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
    section_page,
)


def translate(page, language):
    """A published translation of ``page`` in ``language``, in that language's section."""
    translation = page.copy_for_translation(Locale.objects.get(language_code=language))
    translation.save_revision().publish()
    return translation.specific.__class__.objects.get(pk=translation.pk)


@pytest.fixture
def report():
    page = LessonsLearnedReportPageFactory(
        title="Return to rural Mali",
        summary="What returnees need in the first year.",
        authors=[("author", "Awa Traoré"), ("author", "Moussa Keita")],
        organisation="COMPASS Mali",
        countries=["ML", "NE"],
        themes=["protection", "return-and-reintegration"],
        tags=["returnees", "land"],
    )
    KnowledgeAttachmentFactory(page=page, title="Full report")
    page.save_revision().publish()  # as editors do: sets last_published_at
    page.refresh_from_db()
    return page


@pytest.fixture
def french_report(report):
    return translate(report, "fr")


@pytest.fixture
def hidden_pages():
    """A draft, a private page and a page under a private section: none may be found."""
    draft = PolicyNotePageFactory(title="Unpublished draft", live=False)
    private = PracticeBriefPageFactory(title="Private brief")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    section = section_page("en", "NE")
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    under_private = PolicyNotePageFactory(title="Under a private section", section_country="NE")
    return [draft, private, section, under_private]
