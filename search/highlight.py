"""Highlighted fragments for the database backend, in the shape the engine gives them.

A fragment is about ``FRAGMENT_SIZE`` characters of a page's summary or sections around the words
that matched, HTML-escaped, each matched word wrapped in ``<mark>``; a page has at most
``MAX_FRAGMENTS`` (the engine's highlight settings in ``search.dsl``). A word matches when its
term (``search.analysis``, in the page's language) is one of the query's.
"""

from django.db.models import prefetch_related_objects
from django.utils.html import escape

from knowledge.models import KnowledgePage
from search.analysis import tokens
from search.serialize import section_text

FRAGMENT_SIZE = 180
MAX_FRAGMENTS = 3
FRAGMENTS_PER_FIELD = 2


def highlights_of(page_ids, query):
    """``{page id: [fragment HTML]}`` of ``page_ids`` for a ``TextQuery``; pages whose texts hold
    no matched word are left out."""
    terms = query.terms()
    pages = list(KnowledgePage.objects.filter(pk__in=page_ids).specific())
    prefetch_related_objects(pages, "locale")  # on the specific pages: one query for all
    found = {}
    for page in pages:
        fragments = []
        for text in (page.summary, section_text(page, key=True), section_text(page, key=False)):
            fragments += fragments_of(text, page.locale.language_code, terms)
        if fragments:
            found[page.pk] = fragments[:MAX_FRAGMENTS]
    return found


def fragments_of(text, language, terms, limit=FRAGMENTS_PER_FIELD):
    """Up to ``limit`` fragments of ``text`` (in ``language``) around the words whose terms are
    in ``terms``, in reading order, the richest windows first."""
    matched = [token for token in tokens(text, language) if token.term in terms]
    windows = []
    for token in matched:
        if windows and token.end - windows[-1][0] <= FRAGMENT_SIZE:
            windows[-1][1].append(token)
        else:
            windows.append((token.start, [token]))
    best = sorted(windows, key=lambda window: -len(window[1]))[:limit]
    return [_fragment(text, marks) for _start, marks in sorted(best, key=lambda w: w[0])]


def _fragment(text, marks):
    """The window of ``text`` around ``marks`` (matched tokens), cut at spaces, escaped, with
    each mark in ``<mark>``."""
    start = max(0, marks[0].start - (FRAGMENT_SIZE - (marks[-1].end - marks[0].start)) // 2)
    if start:
        space = text.find(" ", start, marks[0].start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + FRAGMENT_SIZE)
    if end < len(text):
        space = text.rfind(" ", marks[-1].end, end)
        end = space if space != -1 else max(end, marks[-1].end)
    parts, position = [], start
    for token in marks:
        parts += [
            escape(text[position : token.start]),
            f"<mark>{escape(text[token.start : token.end])}</mark>",
        ]
        position = token.end
    parts.append(escape(text[position:end]))
    return " ".join("".join(parts).split())
