"""Sorting names as readers of a language expect: "Égypte" among the E's in French, "Níger" before
"Nigeria" in Spanish, Arabic in its alphabet's order.

Python's own string order puts accented letters after "z", and the C library's locales are not
installed on every server; ICU's collators, with the Unicode CLDR's tailoring of each language
(https://www.unicode.org/reports/tr10/, https://cldr.unicode.org), are the reference.
"""

import threading

import icu

_local = threading.local()


def _collator(language):
    # A collator is created once per thread and language: ICU collators are not to be shared
    # between threads while in use (ICU User Guide, "Collation: Thread Safety").
    collators = getattr(_local, "collators", None)
    if collators is None:
        collators = _local.collators = {}
    if language not in collators:
        collators[language] = icu.Collator.createInstance(icu.Locale(language))
    return collators[language]


def sort_key(language):
    """A ``key`` for ``sorted``: text (or a lazy translation) -> ICU sort key (bytes) in
    ``language``'s order ('fr', 'ar')."""
    collator = _collator(language)
    return lambda text: collator.getSortKey(str(text))


def collated(items, language, key=str):
    """``items`` sorted by ``key(item)`` (text) in ``language``'s alphabetical order, as a list."""
    text_key = sort_key(language)
    return sorted(items, key=lambda item: text_key(key(item)))
