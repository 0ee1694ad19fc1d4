"""Language means for semantic search (search.centring)."""

import numpy as np

from search.centring import REFERENCE_WEIGHT, reference_sentences, shrunk_means


def test_the_reference_sentences_are_the_interface_s_messages_in_every_language_side_by_side():
    sentences = reference_sentences()
    assert set(sentences) == {"en", "fr", "ar", "es"}
    assert len({len(texts) for texts in sentences.values()}) == 1 and len(sentences["en"]) >= 100
    position = sentences["en"].index(
        "A date range cannot be combined with q; filter search results by year instead."
    )
    assert sentences["fr"][position].startswith("Une plage de dates ne peut pas être combinée")


def test_a_language_with_few_passages_keeps_mostly_the_reference_mean():
    site, reference = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    means = shrunk_means({"fr": site * 2}, {"fr": 2}, {"fr": reference})
    assert np.allclose(
        means["fr"], (2 * site + REFERENCE_WEIGHT * reference) / (2 + REFERENCE_WEIGHT)
    )


def test_a_large_site_s_mean_takes_over_and_a_language_without_reference_keeps_its_own():
    site = np.array([1.0, 0.0])
    means = shrunk_means(
        {"fr": site * 100_000, "xx": site * 3},
        {"fr": 100_000, "xx": 3},
        {"fr": np.array([0.0, 1.0])},
    )
    assert means["fr"][0] > 0.99 and np.allclose(means["xx"], site)
