"""One ranking from several: the words' ranking and the meaning's (``search.semantic``), fused by
reciprocal rank fusion, on every backend.

Reciprocal rank fusion (Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms Condorcet
and individual Rank Learning Methods", SIGIR 2009) scores a result ``sum(1 / (K + rank))`` over
the rankings that hold it, ranks counted from 1. It reads ranks only, so the two sides' scores
(BM25-like sums and cosines) need no common scale.
"""

#: The constant of the paper, which found results stable around it.
K = 60
#: How deep the words' ranking takes part in the fusion. An engine cannot tell cheaply where a
#: result ranks far down (only its score), so below this the words' order is kept as it is,
#: after every fused result: the same rule on every backend. At rank 100 a word match adds
#: 1/160 against the 1/61 of the nearest item, so deeper ranks changed no judged query's first ten.
WORD_DEPTH = 100
#: How much meaning's ranking counts against the words' (1 each in the paper). On the judged set
#: (nDCG@10, monolingual / cross-language): engine 0.902 / 0.704 at 1, 0.909 / 0.662 at 0.7,
#: 0.910 / 0.662 at 0.5; database 0.909 / 0.692, 0.919 / 0.657, 0.916 / 0.657. Finding across
#: languages is what meaning is for: 1.
MEANING_WEIGHT = 1.0


def reciprocal_rank_fusion(*rankings, weights=None):
    """The results of ``rankings`` in fused order, best first. Each ranking is ``{result: rank}``
    (ranks from 1, as many as the ranking holds: a ranking may tell the ranks of some of its
    results only, e.g. its first ten and a few deeper). ``weights``, one per ranking (1 each by
    default), multiply each ranking's part. Ties go to the result ranked higher by the first
    ranking that holds it, the rankings taken in the order given."""
    weights = weights or [1] * len(rankings)
    scores, first_seen = {}, {}
    for order, (ranking, weight) in enumerate(zip(rankings, weights, strict=True)):
        for result, rank in ranking.items():
            scores[result] = scores.get(result, 0.0) + weight / (K + rank)
            first_seen[result] = min(first_seen.get(result, (order, rank)), (order, rank))
    return sorted(scores, key=lambda result: (-scores[result], first_seen[result]))


def fused_slice(words, meaning, start, stop):
    """Results ``start`` to ``stop`` of the fused answer: ``words`` (results in the words' order,
    the first ``words_to_read(stop)`` of them at least, or all) fused with ``meaning``
    (``{result: rank}``, ranks from 1, nearest first) by ``reciprocal_rank_fusion`` over the
    words' first ``WORD_DEPTH``; then the words' deeper results, in their order, that meaning
    did not find.

    Exact at any depth: every fused result comes before every deeper one, and each slice is
    cut from the same order whatever its ``stop``."""
    word_ranks = {result: rank for rank, result in enumerate(words[:WORD_DEPTH], 1)}
    fused = reciprocal_rank_fusion(word_ranks, meaning, weights=[1.0, MEANING_WEIGHT])
    deeper = [result for result in words[WORD_DEPTH:] if result not in meaning]
    return (fused + deeper)[start:stop]


def words_to_read(stop):
    """How many of the words' first results ``fused_slice`` needs for a slice ending at
    ``stop``: the fused results count the words' first ``WORD_DEPTH`` and meaning's others, and
    a deeper result that meaning found is fused already, so the words' first ``stop`` always
    complete the slice."""
    return max(WORD_DEPTH, stop)
