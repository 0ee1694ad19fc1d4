"""A larger site's costs estimated from two measured sizes (``make bench-estimate``).

Each cost ``t`` measured at sizes ``n1 < n2`` (two ``bench_search`` runs on the same corpus grown
from one seed) is taken to follow a power law ``t = c * n**k``, the usual model for how a search's
cost grows with the collection (Zobel & Moffat, "Inverted files for text search engines", ACM
Computing Surveys 38(2), 2006: postings to read grow with the collection, sub-linearly for rare
terms). ``k = log(t2 / t1) / log(n2 / n1)``; the estimate at ``n`` is ``t2 * (n / n2) ** k``. Two
points fit any power law, so an estimate is only as good as the two runs: it says which cost grows
fastest and roughly when it passes a budget, not the millisecond.
"""

import json
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Growth:
    """One cost at two sizes and its extrapolation: ``small`` and ``large`` in the figures' unit
    (milliseconds for timings), ``exponent`` ``k`` of the power law through them (1.0: linear),
    ``estimate`` at the target size."""

    name: str
    small: float
    large: float
    exponent: float
    estimate: float


def grown(name, small, large, sizes, target):
    """The ``Growth`` of a cost measured as ``small`` at ``sizes[0]`` and ``large`` at
    ``sizes[1]``, extrapolated to ``target``. Raises ``ValueError`` for a non-positive cost or
    sizes not increasing."""
    n1, n2 = sizes
    if not 0 < n1 < n2 or small <= 0 or large <= 0:
        raise ValueError(f"{name}: need 0 < {n1} < {n2} and positive costs ({small}, {large})")
    exponent = math.log(large / small) / math.log(n2 / n1)
    return Growth(name, small, large, round(exponent, 2), large * (target / n2) ** exponent)


def timing_growths(small_figures, large_figures, target, statistic="p95_ms"):
    """``(growths, unfitted)``: the ``Growth`` of each timed case and side present in both
    ``bench_search`` figure sets (``engine_timings`` and ``database_timings``), named
    ``"engine json one term (portal)"``, and ``(name, small, large)`` of those no power law fits
    (a cost measured as 0 ms, below the timer's resolution)."""
    sizes = (small_figures["documents"], large_figures["documents"])
    growths, unfitted = [], []
    for backend in ("engine", "database"):
        small = small_figures.get(f"{backend}_timings") or {}
        large = large_figures.get(f"{backend}_timings") or {}
        for case in small.keys() & large.keys() - {"load"}:
            for side in ("portal", "raw"):
                name = f"{backend} {case} ({side})"
                costs = small[case][side][statistic], large[case][side][statistic]
                if min(costs) <= 0:
                    unfitted.append((name, *costs))
                    continue
                growths.append(grown(name, *costs, sizes, target))
    return sorted(growths, key=lambda growth: growth.name), sorted(unfitted)


def rebuild_hours(figures, target):
    """Hours a full rebuild of ``target`` documents takes at each indexing rate the figures
    recorded (``{"portal_docs_per_s": hours, ...}``), assuming the rate holds."""
    rates = figures.get("indexing") or {}
    return {name: round(target / rate / 3600, 1) for name, rate in rates.items() if rate}


def estimate(small_path, large_path, target=1_000_000, budget_ms=5000, statistic="p95_ms"):
    """The estimate as a dict: sizes, each timing's growth (of ``statistic``: ``p95_ms``,
    ``median_ms`` or ``min_ms``) and those that could not be fitted, the rebuild hours at ``target``, and the costs whose estimate
    passes ``budget_ms`` (the search timeout by default), worst first."""
    small, large = (json.loads(path.read_text()) for path in (small_path, large_path))
    growths, unfitted = timing_growths(small, large, target, statistic)
    return {
        "sizes": [small["documents"], large["documents"]],
        "target": target,
        "growths": growths,
        "unfitted": unfitted,
        "rebuild_hours": rebuild_hours(large, target),
        "index_bytes_per_document": large.get("index_bytes_per_document"),
        "over_budget": sorted(
            (growth for growth in growths if growth.estimate > budget_ms),
            key=lambda growth: -growth.estimate,
        ),
        "budget_ms": budget_ms,
        "statistic": statistic,
    }


def estimate_table(result):
    """Lines of ``estimate``'s result: one per cost, then the rebuild time and what breaks."""
    n1, n2 = result["sizes"]
    target = result["target"]
    lines = [
        f"  {'cost (' + result['statistic'] + ')':<40}{n1:>10,}{n2:>10,}{'k':>7}{target:>12,}",
    ]
    for growth in result["growths"]:
        lines.append(
            f"  {growth.name:<40}{growth.small:>10.0f}{growth.large:>10.0f}"
            f"{growth.exponent:>7.2f}{growth.estimate:>12.0f}"
        )
    for name, small, large in result["unfitted"]:
        lines.append(
            f"  not estimated: {name} ({small:.0f} ms at {n1:,}, {large:.0f} ms at {n2:,})"
        )
    for name, hours in result["rebuild_hours"].items():
        lines.append(f"full rebuild at {target:,} documents ({name}): {hours} h")
    per_document = result["index_bytes_per_document"]
    if per_document:
        lines.append(
            f"engine index: {per_document:,.0f} bytes per document, "
            f"{per_document * target / 2**30:.1f} GiB at {target:,} (primary shards, no replica)"
        )
    over = result["over_budget"]
    lines.append(
        f"past {result['budget_ms']} ms at {target:,}: "
        + (", ".join(f"{g.name} ({g.estimate:.0f} ms)" for g in over) if over else "nothing")
    )
    return lines
