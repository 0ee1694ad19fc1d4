"""RIS, BibTeX and CSL-JSON for a ``CitationRecord``, each written by a maintained library.

Every knowledge item (lessons-learned report, practice brief, policy note) is cited as a report
published by its organisation; the kind of item goes in the "type of work" of each format.

- **RIS** (the Research Information Systems tagged format of reference managers; written with
  rispy): ``TY - RPRT``, ``ID``, one ``AU`` per author ("Family, Given", organisations whole),
  ``TI``, ``PY`` (year), ``DA`` (YYYY/MM/DD), ``PB`` (publisher), ``M3`` (type of work), ``UR``,
  ``LA`` (language code), ``AB`` (summary), one ``KW`` per keyword, then ``ER``. UTF-8.
- **BibTeX** (written with bibtexparser 2): one ``@techreport`` with ``author`` (persons "Family,
  Given", organisations in braces so BibTeX never splits them, joined by " and "), ``title``
  (in an extra pair of braces so styles keep its capitals), ``institution``, ``type``, ``year``,
  ``month`` (the standard three-letter macro, unbraced), ``url``, ``language``, ``abstract``,
  ``keywords`` (comma separated). LaTeX's special characters ``\\ { } & % $ # _ ~ ^`` are escaped
  in every field but ``url``; other characters stay UTF-8, as biber and modern BibTeX read them.
- **CSL-JSON** (the Citation Style Language's input schema, ``csl-data.json``): a list of one item
  with ``id``, ``type: "report"``, ``genre``, ``title``, ``author`` (``{"family", "given"}`` or
  ``{"literal"}``), ``issued: {"date-parts": [[y, m, d]]}``, ``publisher``, ``URL``, ``language``,
  ``abstract``, ``keyword`` (comma separated); built as data, serialised with ``json``.

``FORMATS`` maps each URL extension to its ``CitationFormat`` (content type, file extension,
label and writer); a writer takes a record and returns ``str``.
"""

import json
import unicodedata
from dataclasses import dataclass

import bibtexparser
import rispy
from bibtexparser import model as bibtex
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from citations.names import OrganisationName

BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_TABLE = str.maketrans(_LATEX_SPECIALS)


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." line before each record, which RIS does not define."""

    def set_header(self, count):
        return ""


def to_ris(record):
    """The record as one RIS reference (``str`` ending with ``ER  -``)."""
    reference = {
        "type_of_reference": "RPRT",
        "id": f"compass-{record.page_id}",
        "authors": [name.inverted for name in record.names],
        "title": record.title,
        "year": str(record.year),
        "date": record.date.strftime("%Y/%m/%d"),
        "publisher": record.publisher,
        "type_of_work": record.genre,
        "urls": [record.url] if record.url else [],
        "language": record.language,
        "abstract": record.abstract,
        "keywords": record.keywords,
        "notes": [record.part_note] if record.part else [],
    }
    reference = {key: _one_line(value) for key, value in reference.items() if value}
    return rispy.dumps([reference], implementation=_RisWriter)


def _one_line(value):
    """``value`` (a string or a list of strings) with line breaks as spaces: a RIS tag's value is
    one line, and a line starting "ER  -" inside a title would end the record."""
    if isinstance(value, list):
        return [_one_line(item) for item in value]
    return " ".join(value.split())


def latex_escape(text):
    """``text`` with LaTeX's special characters escaped: "R&D 100%" → "R\\&D 100\\%"."""
    return str(text).translate(_LATEX_TABLE)


def bibtex_key(record):
    """A citation key such as ``traore2024-42``: first family name in ASCII, year, page id."""
    first = record.names[0] if record.names else None
    stem = first.family if first and hasattr(first, "family") else "compass"
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = "".join(character for character in ascii_stem if character.isalnum()).lower()
    return f"{ascii_stem or 'compass'}{record.year}-{record.page_id}"


def _bibtex_name(name):
    if isinstance(name, OrganisationName):
        return "{" + latex_escape(name.name) + "}"
    return latex_escape(name.inverted)


def to_bibtex(record):
    """The record as one BibTeX ``@techreport`` entry (``str``)."""
    language = get_language_info(record.language)["name"].lower()
    fields = [
        ("author", " and ".join(_bibtex_name(name) for name in record.names)),
        ("title", "{" + latex_escape(record.title) + "}"),
        ("institution", latex_escape(record.publisher)),
        ("type", latex_escape(record.genre)),
        ("year", str(record.year)),
        ("month", BIBTEX_MONTHS[record.date.month - 1]),
        ("url", record.url),
        ("language", language),
        ("abstract", latex_escape(record.abstract)),
        ("keywords", latex_escape(", ".join(record.keywords))),
        ("note", latex_escape(record.part_note)),
    ]
    unbraced = {"year", "month"}
    entry = bibtex.Entry(
        "techreport",
        bibtex_key(record),
        [
            bibtex.Field(key, value, enclosing="no-enclosing" if key in unbraced else "{")
            for key, value in fields
            if value
        ],
    )
    return bibtexparser.write_string(bibtexparser.Library([entry]))


def csl_item(record):
    """The record as one CSL-JSON item (a ``dict``)."""
    authors = [
        {"literal": name.name}
        if isinstance(name, OrganisationName)
        else {"family": name.family, "given": name.given}
        for name in record.names
    ]
    item = {
        "id": f"compass-{record.page_id}",
        "type": "report",
        "genre": record.genre,
        "title": record.title,
        "author": authors,
        "issued": {"date-parts": [[record.date.year, record.date.month, record.date.day]]},
        "publisher": record.publisher,
        "URL": record.url,
        "language": record.language,
        "abstract": record.abstract,
        "keyword": ", ".join(record.keywords),
        "note": record.part_note,
    }
    return {key: value for key, value in item.items() if value}


def to_csl_json(record):
    """The record as a CSL-JSON document: a list holding its one item."""
    return json.dumps([csl_item(record)], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class CitationFormat:
    """One downloadable format: ``extension`` in the URL and file name, ``write(record)``."""

    extension: str
    label: str
    description: str
    content_type: str
    write: object


FORMATS = {
    citation_format.extension: citation_format
    for citation_format in (
        CitationFormat(
            "ris",
            "RIS",
            _("for Zotero, EndNote, Mendeley and most reference managers"),
            "application/x-research-info-systems; charset=utf-8",
            to_ris,
        ),
        CitationFormat(
            "bib",
            "BibTeX",
            _("for LaTeX, BibLaTeX and JabRef"),
            "application/x-bibtex; charset=utf-8",
            to_bibtex,
        ),
        CitationFormat(
            "json",
            "CSL-JSON",
            _("for Pandoc, Zotero and other CSL processors"),
            "application/vnd.citationstyles.csl+json; charset=utf-8",
            to_csl_json,
        ),
    )
}
