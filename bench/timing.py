"""Timing two ways of doing the same work, fairly: the shared harness of every benchmark.

``compare(cases, repeats)`` runs each case's ``portal`` and ``raw`` callables in a random order per
sample (so neither always runs on a warm cache first) and summarises each side with min, median and
p95 in milliseconds, the ratios of the medians and of the p95s, and the machine's load average
before and after (a figure taken while something else used the cores is worth little, and now says
so). A case is a callable or a list of callables: a list rotates through a pool of queries, one per
sample, so no single query's cache decides the result.
"""

import json
import os
import random
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    """One kind of work timed both ways: ``portal`` and ``raw`` are lists of zero-argument
    callables of equal length (a pool: sample ``i`` runs element ``i % len``)."""

    portal: list
    raw: list

    def pair(self, sample):
        index = sample % len(self.portal)
        return self.portal[index], self.raw[index]


def summary(seconds):
    """``{min_ms, median_ms, p95_ms, samples}`` of a list of durations in seconds.

    p95 is the nearest-rank percentile (the smallest sample at or above 95 % of them), so it is a
    real observation; with fewer than 20 samples it is the maximum.
    """
    ordered = sorted(seconds)
    rank = max(1, -(-len(ordered) * 95 // 100))  # ceil(0.95 n)
    return {
        "min_ms": round(ordered[0] * 1000, 2),
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[rank - 1] * 1000, 2),
        "samples": len(ordered),
    }


def ratio(numerator, denominator):
    """``numerator / denominator`` rounded to 2 places; ``None`` when the denominator is 0."""
    return round(numerator / denominator, 2) if denominator else None


def timed(function):
    """Seconds ``function()`` took (``time.perf_counter``, wall clock)."""
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def load_average():
    """The 1-minute load average and the number of cores, e.g. ``{"load_1m": 0.4, "cores": 2}``."""
    return {"load_1m": round(os.getloadavg()[0], 2), "cores": os.cpu_count()}


@contextmanager
def load_during():
    """The load average around a measurement: yields ``{"before": load_average()}`` and adds
    ``"after"`` when the block ends, the ``"load"`` entry of every benchmark's figures (a figure
    taken while something else used the cores is worth little, and says so)."""
    load = {"before": load_average()}
    yield load
    load["after"] = load_average()


def write_figures(path, figures):
    """Write ``figures`` as indented JSON to ``path`` (a ``Path``), making its folder; returns
    the JSON text."""
    text = json.dumps(figures, indent=2, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def compare(cases, repeats, seed=1, warmup=1, progress=None):
    """Time every case ``repeats`` times each way, in random order per sample.

    ``cases`` maps a kind name to a ``Case``. Each callable runs ``warmup`` times untimed first.
    Returns ``{kind: {"portal": summary, "raw": summary, "median_ratio", "p95_ratio", "pool",
    "load_1m"}}`` (``pool``: the number of queries rotated; ``load_1m``: the load average when the
    kind was done) plus ``"load"``: ``{"before": load_average(), "after": load_average()}``.
    ``progress`` (a ``portal.progress.Progress``) advances by one per kind.
    """
    rng = random.Random(seed)  # noqa: S311  (a reproducible order, not a secret)
    with load_during() as load:
        figures = {"load": load}
        for kind, case in cases.items():
            figures[kind] = _compare_one(case, repeats, warmup, rng)
            if progress is not None:
                progress.advance()
    return figures


def _compare_one(case, repeats, warmup, rng):
    for function in [*case.portal, *case.raw] * warmup:
        function()
    samples = {"portal": [], "raw": []}
    for sample in range(repeats):
        portal, raw = case.pair(sample)
        order = [("portal", portal), ("raw", raw)]
        rng.shuffle(order)
        for side, function in order:
            samples[side].append(timed(function))
    return _compared(samples) | {
        "pool": len(case.portal),
        "load_1m": load_average()["load_1m"],
    }


def _compared(samples):
    portal, raw = summary(samples["portal"]), summary(samples["raw"])
    return {
        "portal": portal,
        "raw": raw,
        "median_ratio": ratio(portal["median_ms"], raw["median_ms"]),
        "p95_ratio": ratio(portal["p95_ms"], raw["p95_ms"]),
    }


def timing_table(title, timings):
    """Lines of one ``compare`` result: portal and raw min/median/p95 (ms) and the ratios, under
    ``title`` and the load before and after. Entries that are not a kind's row (the figures a
    benchmark adds beside them, such as the corpus's size) are left out."""
    load = timings["load"]
    lines = [
        f"{title} (load {load['before']['load_1m']} -> {load['after']['load_1m']} on "
        f"{load['before']['cores']} cores)",
        f"  {'case':<22}{'portal min/med/p95 ms':>24}{'raw min/med/p95 ms':>22}{'med x':>8}{'p95 x':>8}",
    ]
    for kind, row in timings.items():
        if not isinstance(row, dict) or "portal" not in row:
            continue
        portal, raw = row["portal"], row["raw"]
        lines.append(
            f"  {kind:<22}{_three(portal):>24}{_three(raw):>22}"
            f"{row['median_ratio'] or '-':>8}{row['p95_ratio'] or '-':>8}"
        )
    return lines


def _three(summary):
    return "/".join(_ms(summary[name]) for name in ("min_ms", "median_ms", "p95_ms"))


def _ms(value):
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"
