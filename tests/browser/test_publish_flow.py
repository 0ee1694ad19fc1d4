"""Country teams publish: a Mali editor writes a practice brief, a Mali moderator approves it.

Everything goes through the real admin in Chromium: the editor creates the brief in the Mali
section, uploads its PDF through the document chooser's upload tab and submits it to the section's
"Country review: Mali" workflow; nothing of it is public until the moderator approves it from the
dashboard. Then readers find it on the Mali page, in the practice briefs listing and in search
(with an engine, the outbox worker brings it to the index; the PDF's text is searchable too).
"""

import pytest
from fpdf import FPDF
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

#: Unique words, so the listings and search can only find this brief by them.
TITLE = "Zanzibarite grain banks in Kayes"
SLUG = "zanzibarite-grain-banks-in-kayes"
TITLE_WORD = "zanzibarite"
PDF_WORD = "quillonwort"
DOCUMENT_TITLE = "Kayes grain bank ledger"
#: How long a reader may wait for the search index to catch up after approval, in milliseconds.
INDEX_DELAY_MS = 20_000


@pytest.fixture
def brief_pdf(tmp_path):
    """A one-page PDF whose text holds PDF_WORD, made with fpdf2."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, f"Grain bank ledger, Kayes region. Each {PDF_WORD} is counted twice.")
    path = tmp_path / "grain-bank-ledger.pdf"
    pdf.output(str(path))
    return path


def log_in(context, server, account):
    """Sign in to the admin as ``account`` in a new page of ``context``; returns the page."""
    page = context.new_page()
    page.goto(server.url("/admin/login/"))
    page.get_by_label("Username").fill(account.username)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=account.username)).to_be_visible()
    return page


def create_brief(page, server, pdf, screenshot):
    """Fill in a practice brief with its PDF in the Mali section and submit it for review."""
    page.goto(server.url(f"/admin/pages/{server.mali_id}/"))
    expect(page.get_by_role("heading", name="Exploring: Mali")).to_be_visible()
    page.get_by_role("link", name="Add child page").click()
    page.get_by_role("link", name="Community-led practice brief", exact=True).click()
    expect(page.get_by_role("heading", name="New: Community-led practice brief")).to_be_visible()

    page.get_by_role("textbox", name="Title*").fill(TITLE)
    page.get_by_role("textbox", name="Summary*").fill(
        "Villages of the Kayes region store part of each harvest together and lend it back in the lean season."
    )
    page.get_by_role("textbox", name="Publication date*").fill("2025-03-14")
    page.keyboard.press("Tab")  # leaves the date field, which closes its picker
    page.get_by_role("textbox", name="Publishing organisation*").fill("COMPASS Mali")
    page.get_by_role("textbox", name="Community*").fill("Farmers' associations of Kayes")
    page.get_by_role("textbox", name="Location").fill("Kayes region")
    practice = page.get_by_role("region", name="The practice*").get_by_role("textbox")
    practice.fill("Each household deposits grain after the harvest and borrows it back at need.")
    screenshot(page, "content")

    page.get_by_role("tab", name="Taxonomy and attachments").click()
    page.get_by_role("checkbox", name="Mali", exact=True).check()
    page.get_by_role("checkbox", name="Community engagement", exact=True).check()
    page.get_by_role("button", name="Add Attached documents").click()
    attachment = page.get_by_role("region", name="Attached documents 1")
    attachment.get_by_role("button", name="Choose a document").click()
    chooser = page.get_by_role("dialog")
    expect(chooser.get_by_role("heading", name="Choose a document")).to_be_visible()
    chooser.get_by_role("tab", name="Upload").click()
    chooser.get_by_role("textbox", name="Title*").fill(DOCUMENT_TITLE)
    chooser.get_by_label("File").set_input_files(pdf)
    screenshot(page, "upload")
    chooser.get_by_role("button", name="Upload").click()
    expect(chooser).to_be_hidden()
    expect(attachment).to_contain_text(DOCUMENT_TITLE)
    screenshot(page, "taxonomy-and-attachment")

    # The slug follows the title by itself.
    page.get_by_role("tab", name="Promote").click()
    expect(page.get_by_role("textbox", name="Slug*")).to_have_value(SLUG)

    page.get_by_role("tab", name="Content").click()
    # Wagtail's autosave creates the draft in the background; a submit sent while that first
    # autosave is in flight posts a second "create" and fails on the slug, so an editor (and
    # this test) waits for the indicator to say "Saved". The race itself is the editor issue's.
    expect(page.locator("#w-autosave-indicator")).to_have_attribute(
        "data-w-autosave-state-value", "saved", timeout=15_000
    )
    page.get_by_role("button", name="More actions").click()
    screenshot(page, "submit-menu")
    page.get_by_role("button", name="Submit to Country review: Mali").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"Page '{TITLE}' has been submitted for moderation."
    )
    expect(page.get_by_role("cell", name="Current page status: in moderation")).to_be_visible()
    screenshot(page, "submitted")


def approve_brief(page, screenshot):
    """Approve the brief from the dashboard's "Awaiting your review" panel."""
    review = page.get_by_role("region", name="Awaiting your review")
    row = review.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE))
    expect(row).to_contain_text("mali-editor")
    screenshot(page, "awaiting-review")
    row.get_by_role("button", name="Actions").click()
    screenshot(page, "review-actions")
    row.get_by_role("button", name="Approve", exact=True).click()
    # The dashboard reloads once the page is approved (and so published): the row is gone.
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    screenshot(page, "approved")


def public_places(server):
    """The reader pages where the published brief must appear: Mali, the listing, search."""
    return {
        "country page": server.url(server.mali_url),
        "type listing": server.url("/en/practice-briefs/"),
        "search": server.url(f"/en/search/?q={TITLE_WORD}"),
    }


def expect_listed(page, url, timeout_ms=0):
    """Reload ``url`` until a result card links to the brief (at once, or within ``timeout_ms``)."""
    card_link = page.get_by_role("heading", name=TITLE, level=3).get_by_role("link", name=TITLE)
    page.goto(url)
    deadline = page.evaluate("Date.now()") + timeout_ms
    while not card_link.count() and page.evaluate("Date.now()") < deadline:
        page.wait_for_timeout(500)  # the index refreshes on its own schedule: look again
        page.goto(url)
    expect(card_link).to_be_visible()
    return card_link


def test_a_country_editor_publishes_a_brief_through_review(
    new_context, screenshot, brief_pdf, portal_server
):
    server = portal_server
    editor = log_in(new_context(), server, server.editor)
    create_brief(editor, server, brief_pdf, screenshot)

    reader = new_context().new_page()
    brief_url = server.url(f"{server.mali_url}{SLUG}/")
    assert reader.goto(brief_url).status == 404
    for name, url in public_places(server).items():
        reader.goto(url)
        expect(reader.get_by_role("main")).to_be_visible()
        assert not reader.get_by_role("link", name=TITLE).count(), f"in the {name} before approval"
    screenshot(reader, "search-before-approval")

    moderator = log_in(new_context(), server, server.moderator)
    approve_brief(moderator, screenshot)

    assert reader.goto(brief_url).status == 200
    expect(reader.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    document = reader.get_by_role("link", name=DOCUMENT_TITLE, exact=True)
    download = reader.request.get(server.url(document.get_attribute("href")))
    assert download.ok
    assert download.body().startswith(b"%PDF")
    screenshot(reader, "published-brief")

    places = public_places(server)
    expect_listed(reader, places["country page"])
    screenshot(reader, "country-page")
    expect_listed(reader, places["type listing"])
    screenshot(reader, "type-listing")
    expect_listed(reader, places["search"], timeout_ms=INDEX_DELAY_MS if server.engine else 0)
    screenshot(reader, "search")

    answer = reader.request.get(server.url(f"/en/search/json/?q={TITLE_WORD}")).json()
    # The brief first; other pages of the server may follow, close in meaning.
    assert [result["title"] for result in answer["results"]][:1] == [TITLE], answer
    if server.engine:
        # The engine answered (not the database fallback), and it indexed the PDF's text too.
        assert answer["backend"] != "database" and not answer["degraded"], answer
        expect_listed(reader, server.url(f"/en/search/?q={PDF_WORD}"))
        screenshot(reader, "search-pdf-text")
    else:
        assert answer["backend"] == "database", answer
    assert new_context.csp_violations == [], "the admin and the site work under their policies"
