"""The benchmark harness summarises real observations and alternates which side runs first."""

from bench.timing import Case, compare, load_during, summary, timing_table


def test_summary_is_min_median_and_nearest_rank_p95_in_milliseconds():
    seconds = [n / 1000 for n in range(1, 101)]  # 1 ms .. 100 ms
    assert summary(seconds) == {"min_ms": 1.0, "median_ms": 50.5, "p95_ms": 95.0, "samples": 100}


def test_compare_rotates_the_pool_and_shuffles_the_order():
    calls = []
    case = Case(
        portal=[lambda: calls.append("p0"), lambda: calls.append("p1")],
        raw=[lambda: calls.append("r0"), lambda: calls.append("r1")],
    )
    figures = compare({"kind": case}, repeats=20, warmup=0)
    assert calls.count("p0") == calls.count("p1") == 10
    firsts = {calls[i][0] for i in range(0, len(calls), 2)}
    assert firsts == {"p", "r"}
    assert figures["kind"]["portal"]["samples"] == 20
    assert figures["kind"]["pool"] == 2
    assert set(figures["load"]) == {"before", "after"}


def test_the_timing_table_has_a_row_per_kind_and_leaves_out_the_figures_beside_them():
    case = Case(portal=[lambda: None], raw=[lambda: None])
    figures = {"vendor": "sqlite", **compare({"listing": case, "home_page": case}, repeats=3)}
    title, header, *rows = timing_table("listings", figures)
    assert title.startswith("listings (load ") and "cores)" in title
    assert "portal min/med/p95 ms" in header
    assert [row.split()[0] for row in rows] == ["listing", "home_page"]


def test_the_load_is_recorded_before_and_after_the_block():
    with load_during() as load:
        assert set(load) == {"before"}
    assert set(load) == {"before", "after"}
    assert load["after"]["cores"] >= 1 and load["after"]["load_1m"] >= 0
