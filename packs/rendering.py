"""An offline pack as a PDF (fpdf2, with HarfBuzz shaping for Arabic): a title page with its
table of contents, then the lessons, the recommendations and the practice briefs, each entry with
the item it comes from and that item's address on the portal.

The text is set in DejaVu Sans, which covers the Latin and Arabic scripts of the portal's four
languages; the font files come from Debian's ``fonts-dejavu-core`` (``OFFLINE_PACK_FONT_DIR``).
"""

import html
import math
import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from fpdf import FPDF

from portal.addresses import page_address
from portal.dates import long_date

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)


#: Height of a line of the table of contents, in mm.
TOC_LINE = 6.5


class FontsMissing(RuntimeError):
    """The pack's font files are not where ``OFFLINE_PACK_FONT_DIR`` says."""


def paragraphs(rich_text):
    """The paragraphs of ``rich_text`` (HTML) as plain strings, without empty ones."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", str(rich_text or ""))))
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


class PackDocument(FPDF):
    """An A4 PDF in one language: right-aligned and right-to-left for Arabic."""

    def __init__(self, language, title):
        super().__init__(format="A4")
        self.language = language
        self.pack_title = title
        self.rtl = translation.get_language_info(language)["bidi"]
        self.align = "R" if self.rtl else "L"
        font_dir = Path(settings.OFFLINE_PACK_FONT_DIR)
        regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
        if not (regular.exists() and bold.exists()):
            raise FontsMissing(f"DejaVu Sans not found in {font_dir}")
        self.add_font("body", "", str(regular))
        self.add_font("body", "B", str(bold))
        self.set_text_shaping(True)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_lang(language)
        self.set_creator("COMPASS Knowledge Portal")

    def footer(self):
        """Every page's foot: the pack's title and the page number, 12 mm from the bottom."""
        self.set_y(-12)
        self.set_font("body", "", 8)
        self.set_text_color(110)
        self.cell(0, 6, f"{self.pack_title} · {self.page_no()}", align="C")

    def text_block(self, text, size=10.5, style="", height=5.5, color=30, align=None):
        """``text`` as a paragraph across the page: ``size`` in points, ``height`` of a line in
        mm, ``color`` a grey level (0–255), aligned to the language's side unless ``align``."""
        self.set_font("body", style, size)
        self.set_text_color(color)
        self.multi_cell(0, height, text, align=align or self.align, new_x="LMARGIN", new_y="NEXT")

    def heading(self, text, level):
        """A heading that is also an entry of the table of contents and the PDF's outline; a
        section (``level`` 0) starts a page unless the page is still empty."""
        if level == 0 and self.y > self.t_margin:
            self.add_page()
        else:
            self.ln(4)
        self.start_section(text, level=level)
        self.text_block(
            text, size=17 if level == 0 else 12.5, style="B", height=8 if level == 0 else 6.5
        )
        self.ln(1)


def render_pack(contents):
    """The PDF (bytes) of ``contents`` (a ``packs.contents.PackContents``), in its language.
    Raises ``FontsMissing`` when the font files are absent."""
    scope = contents.scope
    with translation.override(scope.language):
        pdf = PackDocument(scope.language, scope.title)
        _title_page(pdf, contents)
        if contents.lessons:
            pdf.heading(_("Lessons"), 0)
            for shown in contents.lessons:
                _statement(pdf, shown)
        if contents.recommendations:
            pdf.heading(_("Recommendations"), 0)
            for shown in contents.recommendations:
                _statement(pdf, shown)
        if contents.briefs:
            pdf.heading(_("Community-led practice briefs"), 0)
            for brief in contents.briefs:
                _brief(pdf, brief)
        return bytes(pdf.output())


def _title_page(pdf, contents):
    pdf.add_page()
    pdf.text_block(contents.scope.title, size=26, style="B", height=12)
    pdf.text_block(
        _("Offline pack: validated lessons, recommendations and practice briefs"), size=13, height=7
    )
    pdf.ln(2)
    pdf.text_block(_("COMPASS Knowledge Portal"), size=10, color=90)
    pdf.text_block(long_date(timezone.localdate()), size=10, color=90)
    pdf.ln(6)
    pdf.text_block(_("Contents"), size=13, style="B", height=7)
    sections = sum(
        1 for part in (contents.lessons, contents.recommendations, contents.briefs) if part
    )
    pdf.insert_toc_placeholder(
        _table_of_contents, pages=_toc_pages(pdf, sections + len(contents.briefs))
    )


def _toc_pages(pdf, entries):
    """Pages the table of contents of ``entries`` lines takes from where ``pdf`` stands: fpdf2
    reserves them before the sections are written, and refuses a table that does not fit."""
    first = int((pdf.h - pdf.b_margin - pdf.y) // TOC_LINE)
    following = int((pdf.h - pdf.t_margin - pdf.b_margin) // TOC_LINE)
    return 1 if entries <= first else 1 + math.ceil((entries - first) / following)


def _table_of_contents(pdf, outline):
    """Each section with its page number, linked to its page."""
    pdf.set_text_color(30)
    for section in outline:
        indent = 8 * section.level
        pdf.set_font("body", "B" if section.level == 0 else "", 11 if section.level == 0 else 10)
        link = pdf.add_link(page=section.page_number)
        width = pdf.epw - indent - 14
        name, number = _fitted(pdf, section.name, width), str(section.page_number)
        if pdf.rtl:
            pdf.set_x(pdf.l_margin)
            pdf.cell(14, TOC_LINE, number, align="L", link=link)
            pdf.cell(width, TOC_LINE, name, align="R", link=link, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(width, TOC_LINE, name, align="L", link=link)
            pdf.cell(14, TOC_LINE, number, align="R", link=link, new_x="LMARGIN", new_y="NEXT")


def _fitted(pdf, text, width):
    """``text`` cut with an ellipsis to fit ``width`` mm on one line in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _statement(pdf, shown):
    """A lesson or recommendation: its statement, explanation, status and source."""
    pdf.ln(3)
    pdf.text_block(shown.statement, size=11, style="B", height=6)
    for paragraph in paragraphs(shown.explanation):
        pdf.text_block(paragraph)
    pdf.text_block(
        _source_line(shown.page, shown.record.get_status_display()), size=8.5, color=90, height=4.5
    )


def _brief(pdf, brief):
    pdf.heading(brief.title, 1)
    pdf.text_block(brief.summary, style="")
    for heading, value in ((s.heading, s.value) for s in brief.sections()):
        pdf.ln(1)
        pdf.text_block(str(heading), size=10.5, style="B", height=6)
        for paragraph in paragraphs(value):
            pdf.text_block(paragraph)
    pdf.text_block(_source_line(brief), size=8.5, color=90, height=4.5)


def _source_line(page, status=""):
    """ "Status · From: title (organisation, year) · address": where an entry comes from."""
    source = _("From: %(title)s (%(organisation)s, %(year)s)") % {
        "title": page.title,
        "organisation": page.organisation,
        "year": page.publication_date.year,
    }
    address = page_address(page) or ""
    return " · ".join(part for part in (str(status), source, address) if part)
