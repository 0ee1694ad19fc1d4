"""What of a translation is still in another language: the check behind the editor's "Still to
translate" panel.

Wagtail's "Translate" action (``wagtail.contrib.simple_translation``) copies every field of the
source, so a fresh translation reads exactly like its source. A field still to translate is one
whose text is the same as in a version of the item in another language made before it (its
source, or a translation of it; the original has none); a stream (lessons,
recommendations, key messages, the body) counts its entries one by one. Names of people and
places are not compared: they stay the same in every language.
"""

from typing import NamedTuple

from django.utils.html import strip_tags
from django.utils.text import capfirst
from wagtail.blocks import StreamValue


class LeftToTranslate(NamedTuple):
    """A field of a translation still in ``language`` (a language code): its ``label`` as the
    editor shows it, and for a stream how many of its ``entries`` are (``same``), else ``None``s."""

    language: str
    label: str
    same: int | None
    entries: int | None


def _text(value):
    """The words of a field's value: rich text without its tags; ``""`` for empty."""
    return " ".join(strip_tags(str(value or "")).split())


def _entry_texts(stream):
    """The words of each entry of a ``StreamValue``, in order."""
    return [
        " ".join(" ".join(child.block.get_searchable_content(child.value)).split())
        for child in stream
    ]


def compared_fields(page):
    """Names of the fields of ``page`` (a specific knowledge page) a translator translates, in
    the editor's order: title, summary, the type's ``reading_sections`` and the body."""
    return ["title", "summary", *page.reading_sections, "body"]


def left_to_translate(page, versions):
    """The ``LeftToTranslate`` fields of ``page`` (a specific knowledge page, as being edited):
    those whose text is the same as in one of ``versions`` (the item's other language versions,
    specific pages), each named with the first such version's language."""
    found = []
    for name in compared_fields(page):
        value = getattr(page, name)
        label = capfirst(page._meta.get_field(name).verbose_name)
        for version in versions:
            other = getattr(version, name)
            language = version.locale.language_code
            if isinstance(value, StreamValue):
                entries = _entry_texts(value)
                theirs = set(_entry_texts(other))
                same = sum(1 for entry in entries if entry and entry in theirs)
                if same:
                    found.append(LeftToTranslate(language, label, same, len(entries)))
                    break
            elif _text(value) and _text(value) == _text(other):
                found.append(LeftToTranslate(language, label, None, None))
                break
    return found
