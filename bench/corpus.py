"""A realistic synthetic corpus of knowledge pages for the benchmarks.

``generate_corpus(size, seed=1)`` creates live, public knowledge pages until ``size`` exist: real
Wagtail pages in the tree (under the section of their country, in their locale), written with
``bulk_create`` in batches rather than one ``add_child`` each, so 100,000 take minutes, not hours.

What a page looks like (each figure a draw from a seeded ``random.Random``, so a corpus is the same
on every run):

- **Words**: each language (en, fr, es, ar) has a vocabulary of ``VOCABULARY_SIZE`` words drawn with
  a Zipf distribution (exponent ``ZIPF_EXPONENT``): the head is the project's own real text (demo
  content, the judged relevance corpus, theme names and descriptions, the translated interface)
  ranked by how often each word occurs there, so function words come first and programme words
  follow; the tail is pseudo-words made of the language's syllables in families of inflected forms
  (English ``-s/-ed/-ing``, French ``-ement/-tion``, Spanish ``-ción/-mente``, Arabic roots in
  patterns with ``ال`` and ``ات/ون/ية``), so stemming groups them as it groups real words. The
  project's own two-word collocations ("referral pathways") are entries of the vocabulary too, so
  phrase queries find real phrases at common and rarer ranks.
- **Length and sections**: 2,000 to 8,000 words (log-normal, median about 3,800) spread over the
  type's own sections: a report's context, what worked and did not, lessons and recommendations
  (statements with explanations), evidence and body; a brief's practice, results and replication;
  a note's key messages and recommendations with their audiences.
- **Attachments**: ``ATTACHMENT_SHARE`` of pages carry one PDF (a few two), whose extracted text
  (2,000 to 10,000 words) is kept as the portal keeps it (``search.models.DocumentText``, with a
  readable ``DocumentCheck``), so indexing never reads a file. The document rows all point at one
  real small PDF: writing a PDF per page would dominate the generation time and test pypdf, not
  search.
- **Keywords**: 2 to 8 tags per page from a pool per language (one to three words each).
- **Translations**: ``TRANSLATED_SHARE`` of items exist in 2 to 4 languages, versions sharing a
  ``translation_key``, each with its own text in its language.

Taxonomy is spread like real collections: a few countries and themes carry most items.

Rows are written as Wagtail's ``add_child`` would leave a live page (tree path, depth, URL path,
parent's ``numchild``), without revisions, log entries or signals: the benchmark writes the search
index and the database's full-text index itself afterwards. About 50 to 250 pages a second on a
busy 2-core machine (full length / smoke length), most of it drawing the words.
"""

import datetime
import hashlib
import itertools
import json
import math
import random
import re
import shutil
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page

from knowledge.blocks import AUDIENCES
from knowledge.models import (
    KNOWLEDGE_TYPES,
    Country,
    CountrySectionPage,
    KnowledgeAttachment,
    KnowledgePage,
    Theme,
)
from knowledge.models.documents import DocumentCheck
from knowledge.models.tags import KnowledgeTag, TaggedKnowledgePage
from knowledge.vocabulary import PARTNER_COUNTRIES, THEMES
from portal.batching import batched
from portal.progress import progress
from search.models import DocumentText

LANGUAGES = ("en", "fr", "ar", "es")
#: Share of items first written in each language.
ORIGINAL_LANGUAGE_WEIGHTS = (0.45, 0.25, 0.15, 0.15)
TYPE_WEIGHTS = {"lessons_report": 0.4, "practice_brief": 0.3, "policy_note": 0.3}
#: Words per language, and the exponent of their Zipf distribution.
VOCABULARY_SIZE = 40_000
ZIPF_EXPONENT = 1.0
#: Words of a page's own text (its sections), and of an attachment's.
PAGE_WORDS = (2_000, 8_000)
ATTACHMENT_WORDS = (2_000, 10_000)
ATTACHMENT_SHARE = 0.4
#: Share of items with translations, and how many languages they then come in.
TRANSLATED_SHARE = 0.3
TRANSLATION_COUNTS = (2, 2, 2, 3, 3, 4)
TAGS_PER_LANGUAGE = 3_000
#: Pages written per transaction.
BATCH_SIZE = 250
#: A language's most frequent words that collocations ("referral pathways") may not contain, and
#: how often a pair of neighbouring words must occur in the project's text to be one.
FUNCTION_WORDS = 150
MIN_PHRASE_COUNT = 3

REPOSITORY = Path(__file__).resolve().parent.parent
#: The project's own text in the four languages, the head of each vocabulary.
SEED_SOURCES = (
    REPOSITORY / "knowledge" / "demo" / "knowledge.jsonl",
    *sorted((REPOSITORY / "tests" / "data" / "relevance" / "corpus").glob("items-*.jsonl")),
)
#: The one real file every generated attachment row points at.
ATTACHMENT_SOURCE = REPOSITORY / "knowledge" / "demo" / "attachments" / "ng-pb-2021-01.pdf"
ATTACHMENT_FILE = "documents/bench-attachment.pdf"

_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0640]")  # short vowels, shadda, sukun, tatweel
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: Fields of an import line that hold no prose.
_NOT_PROSE = {
    "external_id",
    "type",
    "language",
    "slug",
    "countries",
    "themes",
    "publication_date",
    "period_start",
    "period_end",
    "audience",
    "attachments",
    "translation_of",
    "owner_country",
}


# --- Vocabulary -----------------------------------------------------------------------------


def words_of(text, language):
    """Lower-case words of ``text`` (Arabic without its short-vowel marks); single letters are
    kept only where they are words (English "a", French "à", Spanish "y")."""
    if language == "ar":
        text = _ARABIC_MARKS.sub("", text)
    found = (word.lower().replace("’", "'") for word in _WORD.findall(text))
    return [word for word in found if len(word) > 1 or (language != "ar" and word in "aàyoe")]


def _prose(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_PROSE:
                yield from _prose(item)
    elif isinstance(value, list):
        for item in value:
            yield from _prose(item)


def _seed_texts():
    """``(language, text)`` of the project's own text: the demo content and judged relevance
    corpus (``SEED_SOURCES``), the themes' names and descriptions, and the interface's
    translations (en from msgids, others from msgstrs)."""
    for source in SEED_SOURCES:
        for line in source.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            for text in _prose(item):
                yield item["language"], text
    for texts in THEMES.values():
        for language, pair in texts.items():
            for text in pair:
                yield language, text
    yield from _interface_texts()


@lru_cache
def seed_counts():
    """``{language: Counter}`` of the words of the project's own text (``_seed_texts``) and of
    its collocations: pairs of neighbouring words, neither among the language's
    ``FUNCTION_WORDS`` most frequent, seen at least ``MIN_PHRASE_COUNT`` times ("referral
    pathways", "mise en"), kept as one two-word entry so generated text holds real phrases."""
    words = {language: Counter() for language in LANGUAGES}
    texts = list(_seed_texts())
    for language, text in texts:
        words[language].update(words_of(text, language))
    counts = {}
    for language in LANGUAGES:
        function_words = {word for word, _n in words[language].most_common(FUNCTION_WORDS)}
        pairs = Counter()
        for text_language, text in texts:
            if text_language != language:
                continue
            for clause in re.split(r"[.;:,()!?«»\"]", text):
                found = words_of(clause, language)
                pairs.update(
                    f"{first} {second}"
                    for first, second in itertools.pairwise(found)
                    if first not in function_words and second not in function_words
                )
        counts[language] = words[language] + Counter(
            {pair: n for pair, n in pairs.items() if n >= MIN_PHRASE_COUNT}
        )
    return counts


def _interface_texts():
    """``(language, text)`` of the translated interface (locale/*/LC_MESSAGES/django.po)."""
    pattern = re.compile(r'^(msgid|msgstr) "(.*)"$', re.MULTILINE)
    for language in LANGUAGES[1:]:
        po = REPOSITORY / "locale" / language / "LC_MESSAGES" / "django.po"
        if not po.exists():
            continue
        for kind, text in pattern.findall(po.read_text(encoding="utf-8")):
            if kind == "msgstr":
                yield language, text
            elif language == "fr":  # the English msgids once, not once per language
                yield "en", text


#: Per language: syllable onsets, vowels, codas, and families of endings (each family one lemma's
#: forms, "" the bare stem), so a stemmer maps a family to one term as it does real words.
def _sounds(text):
    return text.split()


MORPHOLOGY = {
    "en": (
        _sounds("b c d f g h l m n p r s t v w br cl cr dr fl gr pl pr sc sh sl sp st str th tr"),
        _sounds("a e i o u ai ea ee io ou"),
        ["", "", "n", "r", "l", "s", "t", "m", "nd", "nt", "st", "rt", "ct"],
        [["", "s"], ["", "s", "ed", "ing"], ["ation", "ations"], ["ment", "ments"], ["ity"],
         ["al", "ally"], ["er", "ers"], ["ness"]],
    ),
    "fr": (
        _sounds("b c d f g l m n p r s t v ch gn qu br cr dr fr gr pl pr tr"),
        _sounds("a e i o u é è ou ai eau oi"),
        ["", "", "n", "r", "l", "s", "t", "m", "nt", "rt"],
        [["", "s"], ["er", "é", "ée", "ent", "ons"], ["ement", "ements"], ["tion", "tions"],
         ["ité", "ités"], ["eux", "euse", "euses"], ["age", "ages"]],
    ),
    "es": (
        _sounds("b c d f g l m n p r s t v ch ll br cr dr fr gr pl pr tr"),
        _sounds("a e i o u ia ue ie io"),
        ["", "", "", "n", "r", "l", "s"],
        [["o", "os", "a", "as"], ["ar", "ado", "ada", "ando"], ["ción", "ciones"], ["mente"],
         ["idad", "idades"], ["ero", "eros"], ["ista", "istas"]],
    ),
}  # fmt: skip
_ARABIC_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهي"
#: Arabic patterns over a root's three consonants (1, 2, 3), and the affixed forms of a stem.
_ARABIC_PATTERNS = ("123", "1ا23", "م12و3", "ت12ي3", "12ا3", "م1ا23", "ا12ا3", "م123")
_ARABIC_FORMS = (
    ("", ""),
    ("ال", ""),
    ("", "ة"),
    ("ال", "ة"),
    ("", "ات"),
    ("ال", "ات"),
    ("", "ون"),
    ("", "ين"),
    ("ال", "ية"),
    ("و", ""),
)


def _pseudo_family(language, rng):
    """One lemma's forms (a list of words) of a pseudo-word in ``language``."""
    if language == "ar":
        root = rng.sample(_ARABIC_LETTERS, 3)
        stem = rng.choice(_ARABIC_PATTERNS)
        for position, letter in zip("123", root, strict=True):
            stem = stem.replace(position, letter)
        forms = rng.sample(_ARABIC_FORMS, rng.randint(2, 5))
        return [prefix + stem + suffix for prefix, suffix in forms]
    onsets, vowels, codas, families = MORPHOLOGY[language]
    syllables = rng.choice((2, 2, 3, 3, 4))
    stem = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
    stem += rng.choice(codas)
    return [stem + ending for ending in rng.choice(families)]


#: Slots of a vocabulary's draw table: the rarest of 40,000 words still gets about five, so its
#: frequency is within a tenth of Zipf's.
DRAW_BITS = 21
DRAW_TABLE_SIZE = 2**DRAW_BITS


@dataclass(frozen=True)
class Vocabulary:
    """The words of a language by Zipf rank (``words[0]`` the most frequent), the number of them
    taken from the project's real text (``real``), and the table drawn from: each word repeated
    in proportion to its frequency (at least once), so a draw is one uniform pick."""

    language: str
    words: tuple
    real: int
    table: tuple = field(repr=False)

    def draw(self, rng, count):
        """``count`` words drawn by their Zipf frequency: 32 random bits each, the top
        ``DRAW_BITS`` of them a slot of the table (four times faster than ``rng.choices``)."""
        table, shift = self.table, 32 - DRAW_BITS
        return [table[bits >> shift] for bits in memoryview(rng.randbytes(4 * count)).cast("I")]

    def probability(self, rank):
        """The probability of the word at ``rank`` (0-based) in a draw."""
        return zipf_probabilities(len(self.words))[rank]


@lru_cache
def zipf_probabilities(size):
    """The Zipf probability of each rank of ``size`` (exponent ``ZIPF_EXPONENT``)."""
    weights = [1 / (rank**ZIPF_EXPONENT) for rank in range(1, size + 1)]
    total = sum(weights)
    return tuple(weight / total for weight in weights)


def _draw_table(words):
    """``DRAW_TABLE_SIZE`` slots: each word at least once, the rest shared by Zipf frequency
    (the most frequent word absorbs the rounding)."""
    slots = [max(1, round(p * DRAW_TABLE_SIZE)) for p in zipf_probabilities(len(words))]
    slots[0] += DRAW_TABLE_SIZE - sum(slots)
    return tuple(
        itertools.chain.from_iterable(
            itertools.repeat(w, n) for w, n in zip(words, slots, strict=True)
        )
    )


@lru_cache
def vocabulary(language, size=VOCABULARY_SIZE, seed=1):
    """The ``Vocabulary`` of ``language``: the project's real words by frequency (ties in the
    order first seen), then pseudo-word families until ``size`` words."""
    real = [word for word, _count in seed_counts()[language].most_common()][:size]
    words, taken = list(real), set(real)
    rng = random.Random(f"{seed}-{language}")  # noqa: S311  (reproducible test data, not secrets)
    while len(words) < size:
        for word in _pseudo_family(language, rng):
            if word not in taken and len(words) < size:
                taken.add(word)
                words.append(word)
    return Vocabulary(language, tuple(words), len(real), _draw_table(words))


# --- Text ------------------------------------------------------------------------------------


SENTENCE_LENGTHS = tuple(range(8, 25))
PARAGRAPH_LENGTHS = tuple(range(3, 9))


def sentences(rng, language, words):
    """About ``words`` words of ``language`` as sentences of 8 to 24 words (a list of str)."""
    drawn = vocabulary(language).draw(rng, words)
    lengths = rng.choices(SENTENCE_LENGTHS, k=words // SENTENCE_LENGTHS[0] + 1)
    found, start = [], 0
    for length in lengths:
        if start >= len(drawn):
            break
        first = drawn[start] if language == "ar" else drawn[start].capitalize()
        found.append(" ".join([first, *drawn[start + 1 : start + length]]) + ".")
        start += length
    return found


def plain(rng, language, words):
    """About ``words`` words as one plain-text run of sentences."""
    return " ".join(sentences(rng, language, words))


def paragraphs(rng, language, words):
    """About ``words`` words as rich text: ``<p>`` paragraphs of 3 to 8 sentences."""
    text = sentences(rng, language, words)
    counts = rng.choices(PARAGRAPH_LENGTHS, k=len(text) // PARAGRAPH_LENGTHS[0] + 1)
    found, start = [], 0
    for count in counts:
        if start >= len(text):
            break
        found.append("<p>" + " ".join(text[start : start + count]) + "</p>")
        start += count
    return "".join(found)


def phrase(rng, language, low, high, limit):
    """A short plain phrase (a title, a statement) of ``low`` to ``high`` words, at most
    ``limit`` characters, without the final full stop."""
    text = plain(rng, language, rng.randint(low, high))[:-1]
    return text[:limit].rsplit(" ", 1)[0] if len(text) > limit else text


def _split(total, shares):
    """``total`` words divided by ``shares`` (a dict of weights), each part at least 20."""
    whole = sum(shares.values())
    return {name: max(20, round(total * share / whole)) for name, share in shares.items()}


def _statements(rng, language, words, count):
    each = max(40, words // count)
    return [
        {
            "statement": phrase(rng, language, 8, 20, 300),
            "explanation": paragraphs(rng, language, each),
        }
        for _ in range(count)
    ]


def _body(rng, language, words):
    blocks, left = [], words
    while left > 0:
        part = min(left, rng.randint(250, 700))
        blocks.append({"type": "heading", "value": phrase(rng, language, 3, 8, 120)})
        blocks.append({"type": "paragraph", "value": paragraphs(rng, language, part)})
        left -= part
    return blocks


def type_fields(knowledge_type, rng, language, words):
    """The fields of a page of ``knowledge_type`` holding about ``words`` words in its sections."""
    if knowledge_type == "lessons_report":
        parts = _split(words, {"context": 10, "worked": 15, "not": 10, "lessons": 20,
                               "recommendations": 15, "evidence": 10, "body": 20})  # fmt: skip
        lessons = _statements(rng, language, parts["lessons"], rng.randint(4, 10))
        recommendations = _statements(rng, language, parts["recommendations"], rng.randint(3, 8))
        return {
            "context": paragraphs(rng, language, parts["context"]),
            "what_worked": paragraphs(rng, language, parts["worked"]),
            "what_did_not_work": paragraphs(rng, language, parts["not"]),
            "lessons": [{"type": "lesson", "value": value} for value in lessons],
            "recommendations": [{"type": "recommendation", "value": v} for v in recommendations],
            "evidence": paragraphs(rng, language, parts["evidence"]),
            "programme_phase": f"Phase {rng.choice(('I', 'II', 'III'))}",
            "body": _body(rng, language, parts["body"]),
        }
    if knowledge_type == "practice_brief":
        parts = _split(words, {"practice": 30, "led_by": 10, "results": 25, "replication": 15,
                               "body": 20})  # fmt: skip
        return {
            "community": phrase(rng, language, 30, 60, 600),
            "location": phrase(rng, language, 2, 4, 100),
            "practice": paragraphs(rng, language, parts["practice"]),
            "led_by": paragraphs(rng, language, parts["led_by"]),
            "results": paragraphs(rng, language, parts["results"]),
            "replication": paragraphs(rng, language, parts["replication"]),
            "contact_organisation": phrase(rng, language, 2, 5, 200),
            "body": _body(rng, language, parts["body"]),
        }
    messages = rng.randint(3, 7)
    parts = _split(words, {"recommendations": 25, "body": 75 - 4 * messages})
    audiences = [code for code, _label in AUDIENCES]
    return {
        "key_messages": [
            {"type": "message", "value": phrase(rng, language, 20, 50, 400)}
            for _ in range(messages)
        ],
        "recommendations": [
            {
                "type": "recommendation",
                "value": {
                    "statement": phrase(rng, language, 10, 40, 300),
                    "audience": rng.choice(audiences),
                },
            }
            for _ in range(max(2, parts["recommendations"] // 30))
        ],
        "body": _body(rng, language, parts["body"]),
    }


# --- Items and their versions ------------------------------------------------------------------


@dataclass
class PageSpec:
    """One page to create: its item's shared identity and its own text in ``language``.

    ``number`` is its position in the corpus (0-based), ``fields`` the model's text fields,
    ``attachments`` the extracted text of each attached document."""

    number: int
    knowledge_type: str
    language: str
    translation_key: uuid.UUID
    countries: list
    themes: list
    publication_date: datetime.date
    title: str
    summary: str
    fields: dict
    tags: list
    attachments: list


def _zipf_weights(count):
    return [1 / rank for rank in range(1, count + 1)]


#: Cumulative Zipf weights of a language's keywords (``tag_pool``), most used first.
_TAG_CUM_WEIGHTS = tuple(itertools.accumulate(_zipf_weights(TAGS_PER_LANGUAGE)))


@lru_cache
def tag_pool(language, seed=1):
    """``TAGS_PER_LANGUAGE`` keywords of ``language`` (one to three words of its vocabulary's
    first 5,000 words, no function words in front), most used first."""
    rng = random.Random(f"{seed}-tags-{language}")  # noqa: S311
    words = vocabulary(language).words[100:5_000]
    pool = {}
    while len(pool) < TAGS_PER_LANGUAGE:
        name = " ".join(rng.choices(words, k=rng.choice((1, 1, 2, 2, 3))))
        pool.setdefault(slugify(name, allow_unicode=True), name)
    return tuple(pool.values())


def page_specs(first, count, seed=1, scale=1.0):
    """The ``PageSpec`` of pages ``first`` to ``first + count - 1`` of the corpus of ``seed``.

    Pure (no database): a corpus is a fixed sequence of items, each of one to four versions, cut
    after ``count`` pages; the same ``first`` and ``seed`` give the same pages. ``scale``
    multiplies the words of every text (0.1 for a smoke run's short pages).
    """
    rng = random.Random(f"{seed}-{first}")  # noqa: S311  (reproducible test data, not secrets)
    country_weights = _zipf_weights(len(PARTNER_COUNTRIES))
    theme_slugs = list(THEMES)
    theme_weights = _zipf_weights(len(theme_slugs))
    number, stop = first, first + count
    while number < stop:
        original = rng.choices(LANGUAGES, ORIGINAL_LANGUAGE_WEIGHTS)[0]
        languages = [original]
        if rng.random() < TRANSLATED_SHARE:
            others = [code for code in LANGUAGES if code != original]
            languages += rng.sample(others, rng.choice(TRANSLATION_COUNTS) - 1)
        knowledge_type = rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0]
        countries = list(
            dict.fromkeys(
                rng.choices(PARTNER_COUNTRIES, country_weights, k=rng.choice((1, 1, 1, 2)))
            )
        )
        themes = list(dict.fromkeys(rng.choices(theme_slugs, theme_weights, k=rng.randint(1, 3))))
        date = datetime.date(rng.randint(2010, 2026), rng.randint(1, 12), rng.randint(1, 28))
        key = uuid.UUID(int=rng.getrandbits(128), version=4)
        words = min(max(rng.lognormvariate(math.log(3_800), 0.45), PAGE_WORDS[0]), PAGE_WORDS[1])
        words = round(words * scale)
        attached = rng.random() < ATTACHMENT_SHARE
        for language in languages:
            if number >= stop:
                break
            yield _page(rng, number, knowledge_type, language, key, countries, themes, date,
                        words, attached, scale)  # fmt: skip
            number += 1


def _page(rng, number, knowledge_type, language, key, countries, themes, date, words, attached,
          scale):  # fmt: skip
    pool = tag_pool(language)
    tags = list(dict.fromkeys(rng.choices(pool, cum_weights=_TAG_CUM_WEIGHTS, k=rng.randint(2, 8))))
    attachments = []
    if attached:
        for _ in range(rng.choice((1, 1, 1, 1, 2))):
            attachments.append(plain(rng, language, round(rng.randint(*ATTACHMENT_WORDS) * scale)))
    return PageSpec(
        number=number,
        knowledge_type=knowledge_type,
        language=language,
        translation_key=key,
        countries=countries,
        themes=themes,
        publication_date=date,
        title=phrase(rng, language, 6, 14, 200),
        summary=phrase(rng, language, 40, 90, 1_150) + ".",
        fields=type_fields(knowledge_type, rng, language, words),
        tags=tags,
        attachments=attachments,
    )


def words_in(spec):
    """Words of a ``PageSpec``'s own text (title, summary and sections; not its attachments)."""
    text = " ".join(_texts(spec.fields))
    return len(f"{spec.title} {spec.summary} {re.sub('<[^>]+>', ' ', text)}".split())


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("type", "audience"):
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


# --- Writing pages ------------------------------------------------------------------------------


class _Tree:
    """What writing pages needs from the database, read once: locales, sections with the next free
    child position of each, countries, themes, content types, keywords and the documents'
    collection."""

    def __init__(self):
        self.locales = {locale.language_code: locale.pk for locale in Locale.objects.all()}
        self.sections = {
            (s.locale.language_code, s.country.code if s.country else None): s
            for s in CountrySectionPage.objects.select_related("locale", "country")
        }
        self.next_position = {}
        for section in self.sections.values():
            last = section.get_last_child()
            self.next_position[section.pk] = last._get_lastpos_in_path() + 1 if last else 1
        self.countries = {
            (c.locale.language_code, c.code): c.pk for c in Country.objects.select_related("locale")
        }
        self.themes = {
            (t.locale.language_code, t.slug): t.pk for t in Theme.objects.select_related("locale")
        }
        self.content_types = {
            key: ContentType.objects.get_for_model(model).pk
            for key, model in KNOWLEDGE_TYPES.items()
        }
        self.tags = dict(KnowledgeTag.objects.values_list("slug", "pk"))
        self.collection = Collection.get_first_root_node().pk

    def place(self, spec):
        """``(section, path)`` of a new page for ``spec``, taking the next position there."""
        single = spec.countries[0] if len(spec.countries) == 1 else None
        section = self.sections[(spec.language, single)]
        position = self.next_position[section.pk]
        self.next_position[section.pk] = position + 1
        return section, Page._get_path(section.path, section.depth + 1, position)


def _attachment_file():
    """The stored name of the one real PDF that generated attachments point at (copied into
    ``MEDIA_ROOT`` once)."""
    target = Path(settings.MEDIA_ROOT) / ATTACHMENT_FILE
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ATTACHMENT_SOURCE, target)
    return ATTACHMENT_FILE


def write_pages(specs, tree):
    """Create the pages of ``specs`` (``PageSpec``s) as live, public pages, in one transaction:
    the tree rows first (``bulk_create`` of ``Page``), then each inherited table's own columns,
    countries, themes, keywords and attachments with their kept text."""
    now = timezone.now()
    bases, children, placed = [], defaultdict(int), []
    for spec in specs:
        section, path = tree.place(spec)
        children[section.pk] += 1
        slug = f"{slugify(spec.title[:50], allow_unicode=True).strip('-') or 'item'}-{spec.number}"
        moment = timezone.make_aware(
            datetime.datetime.combine(spec.publication_date, datetime.time(9))
        )
        bases.append(
            Page(
                title=spec.title,
                draft_title=spec.title,
                slug=slug,
                path=path,
                depth=section.depth + 1,
                numchild=0,
                url_path=f"{section.url_path}{slug}/",
                locale_id=tree.locales[spec.language],
                translation_key=spec.translation_key,
                content_type_id=tree.content_types[spec.knowledge_type],
                live=True,
                has_unpublished_changes=False,
                first_published_at=min(moment, now),
                last_published_at=min(moment, now),
            )
        )
        placed.append(spec)
    with transaction.atomic():
        Page.objects.bulk_create(bases)
        pages = [_specific(spec, base.pk) for spec, base in zip(placed, bases, strict=True)]
        _insert_tables(pages)
        _relations(placed, [base.pk for base in bases], tree)
        for section_pk, count in children.items():
            Page.objects.filter(pk=section_pk).update(numchild=F("numchild") + count)


def _specific(spec, pk):
    model = KNOWLEDGE_TYPES[spec.knowledge_type]
    page = model(
        summary=spec.summary,
        publication_date=spec.publication_date,
        organisation="COMPASS",
        **spec.fields,
    )
    page.page_ptr_id = page.knowledgepage_ptr_id = pk
    return page


def _insert_tables(pages):
    """Insert the ``KnowledgePage`` row and the type's own row of each page (Django's
    ``bulk_create`` refuses models with parents; this is the per-table insert ``save`` does)."""
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for model, group in [(KnowledgePage, pages), *by_model.items()]:
        fields = model._meta.local_concrete_fields
        for batch in batched(group, 100):
            model._base_manager._insert(batch, fields=fields, raw=True)


def _relations(specs, pks, tree):
    countries, themes, tagged = [], [], []
    Countries, Themes = KnowledgePage.countries.through, KnowledgePage.themes.through
    new_tags = {}
    for spec in specs:
        for name in spec.tags:
            slug = slugify(name, allow_unicode=True)
            if slug not in tree.tags:
                new_tags.setdefault(slug, name)
    if new_tags:
        KnowledgeTag.objects.bulk_create(
            [KnowledgeTag(name=name, slug=slug) for slug, name in new_tags.items()],
            ignore_conflicts=True,
        )
        tree.tags = dict(KnowledgeTag.objects.values_list("slug", "pk"))
    for spec, pk in zip(specs, pks, strict=True):
        countries += [
            Countries(knowledgepage_id=pk, country_id=tree.countries[(spec.language, code)])
            for code in spec.countries
        ]
        themes += [
            Themes(knowledgepage_id=pk, theme_id=tree.themes[(spec.language, slug)])
            for slug in spec.themes
        ]
        tagged += [
            TaggedKnowledgePage(
                content_object_id=pk, tag_id=tree.tags[slugify(n, allow_unicode=True)]
            )
            for n in spec.tags
        ]
    Countries.objects.bulk_create(countries)
    Themes.objects.bulk_create(themes)
    TaggedKnowledgePage.objects.bulk_create(tagged)
    _attachments(specs, pks, tree)


def _attachments(specs, pks, tree):
    """One document per attached text, its kept text and check, attached to its page."""
    Document = get_document_model()
    file_name = _attachment_file()
    texts, documents = [], []
    for spec, pk in zip(specs, pks, strict=True):
        for order, text in enumerate(spec.attachments):
            digest = hashlib.sha1(text.encode()).hexdigest()  # noqa: S324  (a file hash field)
            documents.append(
                Document(
                    title=f"{spec.title[:200]} ({order + 1})",
                    file=file_name,
                    file_size=len(text),
                    file_hash=digest,
                    collection_id=tree.collection,
                )
            )
            texts.append((pk, order, text))
    if not documents:
        return
    Document.objects.bulk_create(documents)
    KnowledgeAttachment.objects.bulk_create(
        [
            KnowledgeAttachment(page_id=pk, document_id=document.pk, sort_order=order)
            for (pk, order, _text), document in zip(texts, documents, strict=True)
        ]
    )
    DocumentText.objects.bulk_create(
        [
            DocumentText(document_id=document.pk, file_name=file_name, text=text)
            for (_pk, _order, text), document in zip(texts, documents, strict=True)
        ]
    )
    DocumentCheck.objects.bulk_create(
        [DocumentCheck(document_id=document.pk, file_name=file_name) for document in documents]
    )


def generate_corpus(size, seed=1, verbosity=0, stream=None, scale=1.0):
    """Create knowledge pages until ``size`` exist; returns the seconds spent (0 when none were
    needed). Pages continue the corpus of ``seed`` from the number already there, so a corpus
    grown from 1,000 to 10,000 pages holds the same first 1,000. ``verbosity`` and ``stream``
    show progress (``portal.progress``); 0 is silent. ``scale`` shortens every text (a smoke run:
    0.1, pages of 200 to 800 words)."""
    existing = KnowledgePage.objects.count()
    if existing >= size:
        return 0.0
    started = time.perf_counter()
    tree = _Tree()
    with progress("Generating pages", size - existing, verbosity, stream) as shown:
        for first in range(existing, size, BATCH_SIZE):
            count = min(BATCH_SIZE, size - first)
            write_pages(list(page_specs(first, count, seed, scale)), tree)
            shown.advance(count)
    return time.perf_counter() - started
