"""Reading what a reader sees in a response: result titles, facet counts, parts of the HTML."""

import io

from bs4 import BeautifulSoup
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def titles(response):
    """Titles of the results on a listing or search page, in order."""
    if "listing" in response.context:
        return [item.title for item in response.context["listing"].page]
    return [item.title for item in response.context["results_page"]]


def facet(response, dimension):
    """``{value: count}`` of one facet of a listing or search page."""
    if "listing" in response.context:
        buckets = response.context["listing"].facets[dimension]
    else:
        buckets = response.context["facets"][dimension]
    return {bucket.value: bucket.count for bucket in buckets}


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response, selector):
    """The visible text of every element matching the CSS ``selector``, joined by spaces."""
    return " ".join(
        " ".join(element.stripped_strings) for element in soup(response).select(selector)
    )


def facts(response):
    """A knowledge page's facts panel as ``{label: value}``."""
    panel = soup(response).select_one("dl.facts")
    labels = [" ".join(dt.stripped_strings) for dt in panel.find_all("dt")]
    values = [" ".join(dd.stripped_strings) for dd in panel.find_all("dd")]
    return dict(zip(labels, values, strict=True))


def pdf_bytes(text):
    """A real one-page PDF (fpdf2, Helvetica) holding ``text``: its bytes."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def encrypted_pdf_bytes(user_password, text="Annual report"):
    """``pdf_bytes(text)`` encrypted with RC4 (which pypdf decrypts without extra libraries); an
    empty ``user_password`` opens without one, as "owner-locked" PDFs do."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(text))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
