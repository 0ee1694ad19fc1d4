"""Text analysis for the database backend, done in Python identically at index and query time.

The engine analyses text with Lucene's token filters (``search.documents``); the database backend
(SQLite FTS5, PostgreSQL full text) cannot, so the portal hands it text already analysed:

1. ``fold``: Unicode NFKC, case folding, accents and Arabic diacritics removed, then the Arabic
   normalisation of Lucene's ``ArabicNormalizer`` (Larkey, Ballesteros and Connell, "Improving
   stemming for Arabic information retrieval", SIGIR 2002): tatweel removed, alef with hamza or
   madda (أ إ آ) and alef wasla (ٱ) as bare alef, taa marbuta (ة) as haa (ه), alef maqsura (ى) as
   yaa (ي).
2. Tokens are runs of letters and digits (French elisions such as ``l'`` become stop words).
3. Stop words of the text's language are dropped (``search.stopwords``).
4. Each word is reduced by the Snowball stemmer of its language (PyStemmer, snowballstem.org),
   applied to the folded word, so a word typed with or without accents gives the same stem; in
   Arabic a leading conjunction و is stripped first, as Lucene's light stemmer does.

A page's text is analysed in its own language. A reader's word may meet pages in any language, so
a query word stands for its stems in every language (``query_stems``).
"""

import re
import threading
import unicodedata
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

import Stemmer

from search.stopwords import STOP_LISTS

#: Snowball algorithm of each portal language.
STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic"}
LANGUAGES = tuple(STEMMERS)

_ARABIC = str.maketrans(
    {"\u0640": None, "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"}  # noqa: RUF001
)
#: A word: letters and digits (not the underscore, which both databases split on), with the
#: combining marks written on them (accents, Arabic harakat) and the invisible characters that may
#: sit inside a word (soft hyphen, zero-width space and joiners), which ``\w`` alone leaves out.
_WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    r"\u00ad\u200b-\u200d\u2060\ufe70-\ufe7e])+"
)


def fold(text):
    """``text`` in lower case without accents or diacritics, Arabic letters normalised
    (see the module's step 1). Lengths may change: fold words, not whole texts with offsets."""
    if text.isascii():
        # The same result, faster: ASCII is its own NFKC and NFKD form, has no combining marks,
        # Arabic letters or format characters, and case-folds as it lowers; ``split()`` drops
        # exactly the characters ``isspace`` names.
        return "".join(text.lower().split())
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    # Combining marks go, and so do invisible format characters (zero-width space and joiners,
    # soft hyphen) and the spaces NFKC leaves of isolated Arabic vowel signs (U+FE70-FE7E).
    bare = "".join(
        char
        for char in text
        if not (unicodedata.combining(char) or char.isspace() or unicodedata.category(char) == "Cf")
    )
    return unicodedata.normalize("NFC", bare.translate(_ARABIC))


class Token(NamedTuple):
    """One analysed word of a text: the ``word`` folded, its ``term`` (folded and stemmed) and
    where the original word lies in the text (``start``, ``end``: character offsets, end
    excluded). A named tuple: a long report has tens of thousands of them."""

    word: str
    term: str
    start: int
    end: int


def tokens(text, language):
    """The analysed words of ``text`` (in ``language``, a key of ``STEMMERS``), stop words left
    out, in reading order."""
    found = []
    for match in _WORD.finditer(text):
        word, term = _analysed(match.group(), language)
        if term:
            found.append(Token(word, term, match.start(), match.end()))
    return found


def analysed_words(text, language):
    """``[(folded word, term)]`` of ``text``'s words in reading order, stop words left out: what
    ``tokens`` gives without the offsets, for indexing, where a long report has tens of thousands
    of words and only their terms are kept."""
    pairs = map(_analysed, _WORD.findall(text), repeat(language))
    return [pair for pair in pairs if pair[1]]


@lru_cache(maxsize=200_000)
def _analysed(written, language):
    """``(folded word, term)`` of one word as written; the term is ``""`` for a stop word. Cached:
    words recur (Zipf's law), and folding and stemming each occurrence of a long report again
    made writing the database's index a matter of minutes per thousand pages."""
    word = fold(written)
    if not word or word in STOP_WORDS[language]:
        return word, ""
    return word, _stemmer(language)(word)


def query_stems(word):
    """The terms one word typed by a reader stands for: its stem in each language; none when it
    is a stop word in any of them (``des`` typed on the English site is French for "of the": the
    French pages it was meant for do not hold it, and the engine's per-language fields drop it
    too)."""
    folded = fold(word)
    if not folded or any(folded in STOP_WORDS[code] for code in LANGUAGES):
        return frozenset()
    return frozenset(_stemmer(code)(folded) for code in LANGUAGES)


def query_terms(parsed):
    """The terms of a ``search.query.ParsedQuery`` that both backends count (a query of more than
    ``ALL_TERMS_REQUIRED_UP_TO`` may miss one) and name ("Missing: Canada"): its words, then its
    quoted phrases in quotes, as typed, each once (compared folded), leaving out those made of
    stop words only (``query_stems``). A hyphenated word is one term."""
    seen, terms = set(), []
    for term in [*parsed.words, *(f'"{phrase}"' for phrase in parsed.phrases)]:
        parts = words(term)
        key = (term.startswith('"'), *map(fold, parts))
        if key not in seen and any(query_stems(part) for part in parts):
            seen.add(key)
            terms.append(term)
    return terms


def first_words(text, count):
    """``text`` up to the end of its ``count``-th word (all of it when it holds fewer)."""
    ends = [match.end() for match in _WORD.finditer(text)]
    return text[: ends[count - 1]] if 0 < count <= len(ends) else text


def words(text):
    """The words of ``text`` (runs of letters and digits), as typed."""
    return _WORD.findall(text)


STOP_WORDS = {code: frozenset(map(fold, text.split())) for code, text in STOP_LISTS.items()}

# PyStemmer's stemmers are not thread-safe: each thread of a server builds its own.
_local = threading.local()


def _stemmer(language):
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        stemmer = Stemmer.Stemmer(STEMMERS[language])
        stemmer.maxCacheSize = 50_000  # words stemmed before are looked up, not stemmed again
        stemmers[language] = (
            _with_conjunction(stemmer.stemWord) if language == "ar" else stemmer.stemWord
        )
    return stemmers[language]


def _with_conjunction(stem):
    """Snowball's Arabic stemmer keeps the conjunction و ("and") on a word it joins (وإعادة,
    "and return"), so the word would miss its bare form; Lucene's ``ArabicStemmer`` strips it
    from words of four letters or more (Larkey et al. 2002), and so does this."""

    def stem_arabic(word):
        return stem(word[1:] if len(word) >= 4 and word.startswith("و") else word)

    return stem_arabic
