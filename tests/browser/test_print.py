"""A knowledge page printed from Chromium: a clean report, without the site's navigation, with
where each link leads written after it and each section on a page of its own."""

import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser


#: Publishes a practice brief whose text links to an outside guide; prints its URL.
def test_a_printed_item_is_a_clean_report(new_context, portal_server):
    [url] = portal_server.publish_briefs(
        {
            "title": "Printable seed fairs of Ségou",
            "summary": "Farmers of Ségou swap seed at village fairs.",
            "community": "Seed savers of Ségou",
            "practice": '<p>Fairs follow <a href="https://example.org/seed-guide">the seed '
            "guide</a>.</p>",
        }
    )
    page = new_context().new_page()
    page.goto(portal_server.url(url))
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    pages = [" ".join(sheet.extract_text().split()) for sheet in pdf.pages]
    text = " ".join(pages)

    assert "Printable seed fairs of Ségou" in pages[0]
    assert "<https://example.org/seed-guide>" in text
    for navigation in ("Lesson register", "Skip to content", "Migration vocabulary", "Filters"):
        assert navigation not in text, navigation
    # The title and summary open the report; the sections (the practice) start on later pages.
    assert "Farmers of Ségou swap seed" in pages[0] and "seed guide" not in pages[0]
