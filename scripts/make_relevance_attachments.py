"""Write the PDF attachments of the search evaluation corpus from their text.

Each ``tests/data/relevance/attachments/NAME.txt`` becomes ``NAME.pdf`` beside it: its first line
is the document's title, the rest its paragraphs (separated by a blank line). The text of these
PDFs is deliberately not in the items' own fields, so the evaluation can ask for text found only
in a PDF. The PDFs are committed; run this again after editing a ``.txt``.

The DejaVu Sans font (Debian ``fonts-dejavu-core``) is embedded so that French and Spanish accents
survive text extraction as they were written; Arabic items have no PDFs (fpdf2 would need text
shaping, and extracted Arabic comes back in presentation forms).

Usage (from the repository root)::

    .venv/bin/python scripts/make_relevance_attachments.py
"""

import datetime
import sys
from pathlib import Path

from fpdf import FPDF

FOLDER = Path(__file__).resolve().parent.parent / "tests" / "data" / "relevance" / "attachments"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def build_pdf(text: str) -> bytes:
    """The PDF of one attachment's text: title (first line) in 15 pt, paragraphs in 11 pt."""
    title, _, body = text.strip().partition("\n")
    pdf = FPDF(format="A4")
    # A fixed date: the same text always gives the same bytes.
    pdf.set_creation_date(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", size=15)
    pdf.multi_cell(0, 8, title.strip())
    pdf.ln(4)
    pdf.set_font("DejaVu", size=11)
    for paragraph in (p.strip() for p in body.split("\n\n")):
        if paragraph:
            pdf.multi_cell(0, 6, " ".join(paragraph.split()))
            pdf.ln(3)
    return bytes(pdf.output())


def main() -> int:
    sources = sorted(FOLDER.glob("*.txt"))
    for source in sources:
        source.with_suffix(".pdf").write_bytes(build_pdf(source.read_text(encoding="utf-8")))
    print(f"{len(sources)} PDFs written in {FOLDER}")  # noqa: T201  (a script's report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
