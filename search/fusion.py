"""One ranking from several: the words' ranking and the meaning's (``search.semantic``), fused by
reciprocal rank fusion, on every backend.

Reciprocal rank fusion (Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms Condorcet
and individual Rank Learning Methods", SIGIR 2009) scores a result ``sum(1 / (K + rank))`` over
the rankings that hold it, ranks counted from 1. It reads ranks only, so the two sides' scores
(BM25-like sums and cosines) need no common scale.
"""

#: The constant of the paper, which found results stable around it.
K = 60


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
