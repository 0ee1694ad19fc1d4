"""A knowledge page cut into passages, the units semantic search embeds and matches.

An item is found by its best passage, so a lesson deep in a long report counts as much as its
title. The passages of a page, in reading order: its title with its summary (cut like the rest
when the summary is long); then each text
section of its type (``text_sections``), a StreamField block by block (a lesson, a recommendation,
a key message is one passage each) and rich text paragraph by paragraph, paragraphs joined up to
``PASSAGE_CHARS`` and longer ones cut at sentence ends. Every passage starts with the page's
title, which gives a short passage its subject ("Use local radio" of which report).

The length: multilingual-e5-small reads at most 512 tokens, and its cost grows faster than the
text (about 40 ms for 100 characters, 200 ms for 600 and 580 ms for 1,200 on one core here), so
passages are kept near 600 characters: long enough to hold a paragraph's point, short enough to
match on it.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import get_text_for_indexing

#: Characters of text a passage holds at most (before the title in front of it).
PASSAGE_CHARS = 600

#: Where Wagtail's rich text (well-formed HTML from its editor) ends a block.
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre)>", re.IGNORECASE)
#: A sentence's end: ., ! or ? (and the Arabic question mark) followed by a space.
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")
#: What may end a sentence, a heading's or a label's colon included.
ENDINGS = ".!?؟:;…"


@dataclass(frozen=True)
class Passage:
    """One passage of a page: the section it comes from (``"title"`` for the first, else a field
    name such as ``"lessons"``), its position among the page's passages (0 first) and its text."""

    section: str
    ordinal: int
    text: str
    #: The id of the StreamField block it comes from (a lesson, a recommendation), else None.
    block_id: str | None = None


def passages_of(page):
    """The ``Passage``s of ``page`` (a specific knowledge page), in reading order. Labels the page
    does not hold as text (a recommendation's audience) are in its language, as the page shows
    them, whatever language is active (``search.serialize.section_text`` does the same)."""
    summary = joined([getattr(page, "summary", "")])
    found = [("title", f"{page.title}. {piece}", None) for piece in summary]
    found = found or [("title", page.title, None)]
    with translation.override(page.locale.language_code):
        for name in page.text_sections:
            found += [
                (name, f"{page.title}. {text}", block_id)
                for text, block_id in _section_pieces(page, name)
            ]
    return [Passage(section, ordinal, *rest) for ordinal, (section, *rest) in enumerate(found)]


def _section_pieces(page, name):
    """``[(text, block id or None)]`` of one text section of ``page``."""
    try:
        field = page._meta.get_field(name)
    except FieldDoesNotExist:
        return []
    value = getattr(page, name)
    if isinstance(field, StreamField):
        return [
            (piece, child.id)
            for child in value
            for piece in joined([sentences(child.block.get_searchable_content(child.value))])
        ]
    if isinstance(field, RichTextField):
        pieces = joined(get_text_for_indexing(part) for part in BLOCK_END.split(value or ""))
    else:
        pieces = joined([str(value or "")])
    return [(piece, None) for piece in pieces]


def joined(paragraphs, limit=PASSAGE_CHARS):
    """``paragraphs`` (strings) as pieces of at most ``limit`` characters: consecutive paragraphs
    joined while they fit, a longer paragraph cut at sentence ends (a sentence longer than
    ``limit`` at the last space before it). Blank paragraphs are left out."""
    pieces, current = [], ""
    for paragraph in (" ".join(p.split()) for p in paragraphs):
        for part in _within(paragraph, limit) if paragraph else []:
            if current and len(current) + 1 + len(part) > limit:
                pieces.append(current)
                current = ""
            current = sentences([current, part])
    return [*pieces, current] if current else pieces


def sentences(texts):
    """``texts`` (strings) joined as sentences: one that does not end like one (a heading, a
    block's title) gets a full stop, so that it does not run into the next ("Reach out. Workers",
    not "Reach out Workers"). Blank ones are left out."""
    texts = [text.strip() for text in texts if text and text.strip()]
    ended = [text if text[-1] in ENDINGS else f"{text}." for text in texts[:-1]]
    return " ".join([*ended, *texts[-1:]])


def _within(paragraph, limit):
    """``paragraph`` cut into parts of at most ``limit`` characters, at sentence ends if it can."""
    if len(paragraph) <= limit:
        return [paragraph]
    parts = []
    for sentence in SENTENCE_END.split(paragraph):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            parts.append(sentence[:cut])
            sentence = sentence[cut:].strip()
        parts.append(sentence)
    return parts
