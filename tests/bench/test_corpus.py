"""The benchmark corpus is reproducible, shaped like real knowledge, and written as real pages."""

import collections
import random

import pytest
from django.test import Client
from wagtail.models import Page

from bench import corpus
from bench.corpus import PAGE_WORDS, generate_corpus, page_specs, vocabulary, words_in
from bench.search import KINDS, check_pools, query_pools
from knowledge.models import KnowledgeAttachment, KnowledgePage
from knowledge.visibility import public_knowledge_pages
from search.analysis import tokens
from search.models import DocumentText


def test_the_same_seed_gives_the_same_pages_and_another_seed_others():
    first = list(page_specs(0, 6, seed=1))
    assert first == list(page_specs(0, 6, seed=1))
    assert [spec.title for spec in page_specs(0, 6, seed=2)] != [spec.title for spec in first]


def test_pages_have_report_length_in_their_language_and_share_keys_across_translations():
    specs = list(page_specs(0, 60))
    lengths = [words_in(spec) for spec in specs]
    assert PAGE_WORDS[0] * 0.9 <= min(lengths) and max(lengths) <= PAGE_WORDS[1] * 1.15
    assert {spec.language for spec in specs} == {"en", "fr", "ar", "es"}
    versions = collections.defaultdict(list)
    for spec in specs:
        versions[spec.translation_key].append(spec)
    translated = [group for group in versions.values() if len(group) > 1]
    assert translated, "some items come in several languages"
    for group in translated:
        assert len({spec.language for spec in group}) == len(group)
        assert len({(spec.knowledge_type, tuple(spec.countries)) for spec in group}) == 1
    assert any(spec.attachments for spec in specs) and not all(spec.attachments for spec in specs)
    assert all(2 <= len(spec.tags) <= 8 for spec in specs)


@pytest.mark.parametrize("language", ["en", "fr", "ar", "es"])
def test_vocabulary_is_tens_of_thousands_of_words_drawn_by_zipf(language):
    words = vocabulary(language)
    assert len(words.words) == len(set(words.words)) == corpus.VOCABULARY_SIZE
    assert words.real > 1_000  # the head is the project's own text
    drawn = collections.Counter(words.draw(random.Random(1), 200_000))  # noqa: S311
    for rank in (0, 9, 99):
        expected = words.probability(rank) * 200_000
        assert abs(drawn[words.words[rank]] - expected) < 0.1 * expected + 30


@pytest.mark.parametrize("language", ["en", "fr", "ar", "es"])
def test_pseudo_words_come_in_families_that_stem_together(language):
    rng = random.Random(3)  # noqa: S311
    families = [corpus._pseudo_family(language, rng) for _ in range(200)]
    grouped = 0
    for family in families:
        stems = {tokens(word, language)[0].term for word in family}
        grouped += len(stems) < len(family)
    multi = sum(len(family) > 1 for family in families)
    assert grouped >= 0.6 * multi


@pytest.mark.django_db
def test_generated_pages_are_live_public_pages_in_a_sound_tree():
    assert generate_corpus(6) > 0
    assert generate_corpus(12) > 0  # grown from 6: 1,000 then 10,000 is the same corpus
    assert generate_corpus(12) == 0  # already there
    assert Page.find_problems() == ([], [], [], [], [])
    pages = public_knowledge_pages().specific()
    assert pages.count() == KnowledgePage.objects.count() == 12
    attachments = KnowledgeAttachment.objects.all()
    assert DocumentText.objects.filter(document__in=attachments.values("document")).count() == (
        attachments.count()
    )
    page = pages.filter(tagged_items__isnull=False).first()
    response = Client().get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()


@pytest.mark.django_db
def test_query_pools_answer_from_the_engine_and_rare_words_match_less(reindex):
    generate_corpus(40, scale=0.1)
    reindex()
    pools = query_pools()
    assert set(pools) == set(KINDS)
    assert all({q.language for q in pool} == {"en", "fr", "ar", "es"} for pool in pools.values())
    check_pools(pools, Client(HTTP_HOST="127.0.0.1"))  # raises unless the engine answered
    totals = {(q.language, q.label.split(":")[0]): q.total for q in pools["one_term"]}
    for language in ("en", "fr", "ar", "es"):
        assert totals[(language, "rare")] <= totals[(language, "common")]
        assert totals[(language, "common")] > 0
