import json

import pytest

from bench.estimate import estimate, estimate_table, grown


def test_a_linear_cost_grows_tenfold_and_a_constant_one_stays():
    linear = grown("linear", 10.0, 100.0, (10_000, 100_000), 1_000_000)
    constant = grown("constant", 7.0, 7.0, (10_000, 100_000), 1_000_000)
    assert linear.exponent == 1.0 and linear.estimate == pytest.approx(1000.0)
    assert constant.exponent == 0.0 and constant.estimate == pytest.approx(7.0)


def test_a_cost_that_cannot_be_fitted_is_refused():
    with pytest.raises(ValueError, match="positive"):
        grown("never measured", 0.0, 5.0, (10_000, 100_000), 1_000_000)


def _figures(documents, portal_ms, raw_ms, rate):
    case = {"portal": {"p95_ms": portal_ms}, "raw": {"p95_ms": raw_ms}}
    return {
        "documents": documents,
        "engine_timings": {"json one term": case, "load": {}},
        "indexing": {"portal_docs_per_s": rate},
    }


@pytest.fixture
def runs(tmp_path):
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    small.write_text(json.dumps(_figures(10_000, 100, 50, 500)))
    large.write_text(json.dumps(_figures(100_000, 1000, 200, 500)))
    return small, large


def test_the_estimate_names_what_passes_the_budget_and_the_rebuild_time(runs):
    result = estimate(*runs, target=1_000_000, budget_ms=5000)
    lines = "\n".join(estimate_table(result))
    assert "engine json one term (portal)" in lines
    assert "full rebuild at 1,000,000 documents (portal_docs_per_s): 0.6 h" in lines
    # portal: 1 s at 100k growing linearly is 10 s at 1M; raw: 0.8 s.
    assert "past 5000 ms at 1,000,000: engine json one term (portal) (10000 ms)" in lines


def test_a_case_measured_at_0_ms_is_named_and_the_others_are_still_estimated(tmp_path):
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    small.write_text(json.dumps(_figures(10_000, 100, 0, 500)))
    large.write_text(json.dumps(_figures(100_000, 1000, 200, 500)))
    lines = "\n".join(estimate_table(estimate(small, large)))
    assert "engine json one term (portal)" in lines
    assert "not estimated: engine json one term (raw) (0 ms at 10,000, 200 ms at 100,000)" in lines
