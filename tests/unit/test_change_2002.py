"""Change since 2002 (analysis/change.py) and the 2002 wave as its paper states it
(tables/wave_2002.csv, transcription/curation/paper_2002_figures.csv) and the published change_tests."""
import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, read_csv
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from analysis import change as ch

CUR = ROOT / "transcription" / "curation"
GROUPS = ["chief_executive", "medical_director", "clinical_director", "directorate_manager"]


# ---- the arithmetic, by hand ----

def test_round_half_up_in_integers():
    # 1/8 = 12.5% -> 13, 3/8 = 37.5% -> 38, 1/40 = 2.5% -> 3 (Python's round() would give 12, 38, 2)
    assert ch.round_half_up_percent([1, 3, 1], [8, 8, 40]).tolist() == [13, 38, 3]


def test_pairs_2015_over_denominators_read_as_floats():
    # 42 of 72%: of 57, 58, 59 only 58 reproduces it (42/58 = 72.4%); at 50% none does, so all three, flagged
    for denominators in ([57, 58, 59], np.array([57.0, 58.0, 59.0])):
        c, d, ok = ch.pairs_2015(72, 42, denominators)
        assert (c.tolist(), d.tolist(), ok) == ([42], [58], True)
        c, d, ok = ch.pairs_2015(50, 42, denominators)
        assert (c.tolist(), d.tolist(), ok, c.dtype, d.dtype) == ([42] * 3, [57, 58, 59], False, np.int64, np.int64)
    # 42 over 41 is no pair (more than everyone), over 42 it is (100%): neither gives 50%, so both 42 and 43
    assert [x.tolist() if hasattr(x, "tolist") else x for x in ch.pairs_2015(50, 42, [41, 42, 43])] == [
        [42, 42], [42, 43], False]


@pytest.mark.parametrize("n, m, floor", [
    (103, 0.05, 98),     # 103 x 0.95 = 97.85 -> 98
    (100, 0.05, 95),     # exactly 95: no float error pushing it to 96
    (1092, 0.05, 1038),  # 1092 x 0.95 = 1037.4 -> 1038
    (445, 0.20, 356),    # 445 x 0.8 = 356 exactly
    (376, 0.0, 376),
])
def test_denominator_floor(n, m, floor):
    assert ch.denominator_floor(n, m) == floor


def test_feasible_pairs_worked_by_hand():
    # 76% of chief executives (n = 103) with at most 5% missing: d from 98 to 103, and per d the counts c
    # with 151 d / 200 <= c < 153 d / 200 (round-half-up(100 c / d) = 76):
    #   d =  98: 73.99 <= c < 74.97 -> 74      d = 101: 76.255 <= c < 77.265 -> 77
    #   d =  99: 74.745 <= c < 75.735 -> 75    d = 102: 77.01 <= c < 78.03 -> 78
    #   d = 100: 75.5 <= c < 76.5 -> 76        d = 103: 77.765 <= c < 78.795 -> 78
    c, d, used = ch.pairs_2002(76, 103, 0.05)
    assert list(zip(c.tolist(), d.tolist())) == [(74, 98), (75, 99), (76, 100), (77, 101), (78, 102), (78, 103)]
    assert used == 0.05


def test_feasible_pairs_match_brute_force():
    for p, lo, hi in [(0, 1, 40), (1, 1, 120), (50, 1, 60), (99, 50, 250), (100, 1, 30), (33, 200, 260)]:
        c, d = ch.feasible_pairs(p, np.arange(lo, hi + 1))
        brute = [(cc, dd) for dd in range(lo, hi + 1) for cc in range(dd + 1)
                 if (200 * cc + dd) // (2 * dd) == p]
        assert list(zip(c.tolist(), d.tolist())) == brute


def test_complement_and_widening():
    # 48% stated the reverse way, n = 25, nothing missing: 95 x 25 / 200 = 11.875 <= c < 12.125 -> c = 12,
    # so the item's own count is 25 - 12 = 13.
    c, d, _ = ch.pairs_2002(48, 25, 0.0, complement=True)
    assert (c.tolist(), d.tolist()) == ([13], [25])
    # 50% of 7 cannot be printed over d = 7 (3/7 = 42.9%, 4/7 = 57.1%); the share widens by 5 points until
    # a denominator reproduces it: 15% gives ceil(7 x 0.85) = 6, and 3/6 = 50%.
    c, d, used = ch.pairs_2002(50, 7, 0.0)
    assert (c.tolist(), d.tolist(), used) == ([3], [6], 0.15)


def test_newcombe_interval_and_test_worked_by_hand():
    # Chief executives' positive rating: 2015 42/58 (Table 2.1's count over its only feasible denominator),
    # 2002 78/103 (printed in the 2003 paper). z = 1.959964, z^2 = 3.841459.
    # Wilson interval of c/n: centre (p + z^2/2n) / (1 + z^2/n), half-width
    # z / (1 + z^2/n) x sqrt(p(1 - p)/n + z^2/4n^2).
    #   2015: p1 = 42/58 = 0.724138; 1 + 3.841459/58 = 1.066232; centre = (0.724138 + 0.033116) / 1.066232
    #         = 0.710215; half = 1.959964 / 1.066232 x sqrt(0.003446 + 0.000285) = 0.112262
    #         -> l1 = 0.597953, u1 = 0.822476
    #   2002: p2 = 78/103 = 0.757282; 1 + 3.841459/103 = 1.037296; centre = (0.757282 + 0.018648) / 1.037296
    #         = 0.748031; half = 1.959964 / 1.037296 x sqrt(0.001784 + 0.0000905) = 0.081819
    #         -> l2 = 0.666212, u2 = 0.829850
    # Newcombe (method 10), d = p1 - p2 = -0.033144:
    #   low  = d - sqrt((p1 - l1)^2 + (u2 - p2)^2) = -0.033144 - sqrt(0.126184^2 + 0.072568^2) = -0.178707
    #   high = d + sqrt((u1 - p1)^2 + (p2 - l2)^2) = -0.033144 + sqrt(0.098339^2 + 0.091069^2) =  0.100886
    # Pooled z-test: p = 120/161 = 0.745342; se = sqrt(0.745342 x 0.254658 x (1/58 + 1/103)) = 0.071522;
    #   z = -0.033144 / 0.071522 = -0.4634; two-sided p = 2 x (1 - Phi(0.4634)) = 0.6431.
    res = ch.compare([42], [58], [78], [103])
    assert res["diff_low"] == pytest.approx(-0.178707, abs=1e-6)
    assert res["diff_high"] == pytest.approx(0.100886, abs=1e-6)
    assert res["p_min"] == res["p_max"] == pytest.approx(0.6431, abs=1e-4)
    assert res["combinations"] == 1


def test_compare_takes_the_union_over_pairs():
    c1, n1, c2, n2 = [42, 43], [58, 59], [74, 78], [98, 103]
    res = ch.compare(c1, n1, c2, n2)
    lows, highs, ps = [], [], []
    for (a, b), (c, d) in itertools.product(zip(c1, n1), zip(c2, n2)):
        low, high = confint_proportions_2indep(a, b, c, d, method="newcomb", compare="diff")
        lows.append(low)
        highs.append(high)
        ps.append(proportions_ztest([a, c], [b, d])[1])  # the classic pooled test gives the same p
    assert res["combinations"] == 4
    assert res["diff_low"] == pytest.approx(min(lows)) and res["diff_high"] == pytest.approx(max(highs))
    assert res["p_min"] == pytest.approx(min(ps)) and res["p_max"] == pytest.approx(max(ps))


# ---- the transcription of the 2003 paper ----

def test_wave_respondents_add_up():
    wave = {r["fact_id"]: r for r in read_csv(ROOT / "tables" / "wave_2002.csv")}
    groups = [int(wave[f"respondents_{g}"]["value"]) for g in GROUPS]
    assert groups == [103, 168, 445, 376]
    assert sum(groups) == int(wave["respondents_all"]["value"]) == 1092


def test_wave_value_text_is_the_value():
    for r in read_csv(ROOT / "tables" / "wave_2002.csv"):
        if r["value"]:
            assert r["value_text"].rstrip("%") == r["value"], r["fact_id"]


def test_response_rates_imply_the_invited_ranges():
    wave = {r["fact_id"]: r for r in read_csv(ROOT / "tables" / "wave_2002.csv")}
    for level, respondents in [("board", 103 + 168), ("directorate", 445 + 376)]:
        r = wave[f"response_rate_{level}"]
        ok = [n for n in range(respondents, 3 * respondents) if (200 * respondents + n) // (2 * n) == int(r["value"])]
        assert (min(ok), max(ok)) == (int(r["derived_invited_min"]), int(r["derived_invited_max"]))


def test_paper_counts_reproduce_their_percentages():
    wave = {r["role_group"]: int(r["value"]) for r in read_csv(ROOT / "tables" / "wave_2002.csv") if r["fact"] == "respondents"}
    items = {r["item_id"] for r in read_csv(ROOT / "tables" / "items.csv")}
    for r in read_csv(CUR / "paper_2002_figures.csv"):
        if not r["count"]:
            continue
        c, d = int(r["count"]), int(r["denominator"])
        assert f"{c}/{d}" in r["value_text"] and f"{r['percent']}%" in r["value_text"]
        assert float(r["derived_percent_from_count"]) == round(100 * c / d, 1)
        assert ((200 * c + d) // (2 * d) == int(r["percent"])) == (r["derived_reproduces"] == "true")
        assert int(r["derived_group_n"]) == wave[r["role_group"]]
        assert int(r["derived_missing"]) == wave[r["role_group"]] - d >= 0
        assert r["item_id"] in items


# ---- the published change_tests on the package's data ----

@pytest.fixture(scope="module")
def long():
    return pd.read_csv(ROOT / "tables" / "change_tests.csv")


def test_every_pair_with_both_waves_is_tested(long):
    default = long[long.assumption == "default"]
    assert len(default) == 41  # Table 2.1's 25 cells with a 2002 row and the text's 16 2002 figures elsewhere
    assert len(long) == 5 * 41
    assert default[["derived_p_min", "derived_p_max", "derived_diff_low_points", "derived_diff_high_points"]
                   ].notna().all().all()
    assert (default.change_points == default.percent_2015 - default.percent_2002).all()
    # the printed change lies inside the interval, give or take a point of rounding
    assert ((default.derived_diff_low_points <= default.change_points + 1)
            & (default.derived_diff_high_points >= default.change_points - 1)).all()


def test_paper_pairs_are_used_and_group_sizes_come_from_the_wave(long):
    d = long[long.assumption == "default"].set_index(["item_id", "role_group"])
    assert (d.derived_pair_2002 == "2003 paper").sum() == 5
    row = d.loc[("positive_rating_local_relationships", "chief_executive")]
    assert (row.derived_denominator_2002_min, row.derived_denominator_2002_max, row.derived_count_2002_min) == (
        103, 103, 78)
    assert row.derived_diff_low_points == -17.9 and row.derived_diff_high_points == 10.1  # the hand-worked case
    assert d.loc[("relationships_likely_to_improve", "directorate_manager")].n_2002 == 376
    assert d.loc[("positive_rating_local_relationships", "all_respondents")].n_2002 == 1092


def test_no_missing_means_the_whole_group(long):
    zero = long[(long.assumption == "missing_0") & (long.derived_pair_2002 == "enumerated")]
    assert (zero.derived_denominator_2002_min == zero.n_2002).all()
    assert (zero.derived_denominator_2002_max == zero.n_2002).all()


def test_relaxing_the_assumption_only_widens(long):
    order = ["missing_0", "missing_5", "missing_10", "missing_20"]
    for _, pair in long[long.assumption.isin(order)].groupby(["item_id", "role_group"]):
        s = pair.set_index("assumption").loc[order]
        assert s.derived_diff_low_points.is_monotonic_decreasing and s.derived_diff_high_points.is_monotonic_increasing
        assert s.derived_p_min.is_monotonic_decreasing and s.derived_p_max.is_monotonic_increasing
        assert s.derived_denominator_2002_min.is_monotonic_decreasing


def test_report_significance_claims_about_2002_hold(long):
    # The report calls these changes significant (Table 2.1 discussion).
    d = long[long.assumption == "default"].set_index(["item_id", "role_group"]).derived_verdict
    for key in [("positive_rating_local_relationships", "directorate_manager"),
                ("positive_rating_local_relationships", "clinical_director"),
                ("relationships_likely_to_improve", "directorate_manager")]:
        assert d[key] == "significant", key


def test_assumption_is_stated():
    assert "5%" in ch.ASSUMPTION and ch.default_max_missing(math.nan) == 0.05
    assert ch.default_max_missing(0.174) == 0.174 and ch.default_max_missing(0.01) == 0.05
    description = json.loads((ROOT / "schemas" / "change_tests.json").read_text())["fields"]
    assumption = next(f for f in description if f["name"] == "assumption")
    assert "at most 5% of the 2002 group" in assumption["description"]


def test_the_paper_and_the_report_agree_and_the_check_can_fail():
    summary = {r["rule"]: r for r in read_csv(ROOT / "tables" / "check_summary.csv")}
    assert (summary["paper_2002_agrees"]["checked"], summary["paper_2002_agrees"]["failing"]) == ("5", "0")
    from checks import validate
    from core import frames
    res = frames.load_all(ROOT)
    r = res["survey_results"]
    # Table 2.1, clinical directors, positive rating, 2002: the paper's 37% (164/443) read as 164/400 (41%).
    at = (r.item_id == "positive_rating_local_relationships") & (r.role_group == "clinical_director") & (
        r.survey_year == 2002)
    r.loc[at, "paper_2003_denominator"] = 400
    problems, _ = validate.check(res, validate.read_register(), only=["paper_2002_agrees"],
                                 sources=validate.read_sources())
    assert problems == ["unregistered discrepancy paper_2002_agrees:T2.1:positive_rating_local_relationships:"
                        "clinical_director:2002: printed 2016 report 37%; 2003 paper '37% (164/443)'; recomputed "
                        "paper count/denominator rounds to 41%; 2002 respondents in the group 445. Typed at "
                        "transcription/printed/table_2.1.csv, row 3, column 'Clinical directors (n=150)', cell '37%'; "
                        "transcription/curation/paper_2002_figures.csv, row 3, column 'value_text', "
                        "cell '37% (164/443)'. Correct what was mistyped, or explain it in "
                        "transcription/curation/discrepancies.csv"]


def test_a_change_row_at_another_level_uses_it_for_the_interval_and_the_verdict():
    # One known pair each way: 42/58 in 2015 and the paper's 164/443 in 2002. At alpha 0.01 the interval is
    # Newcombe's 99% one (statsmodels directly), wider than the 95% one, rounded outwards to 0.1 points.
    cell = {"percent_2015": 72, "count_2015": 42, "denominators_2015": [58], "missing_share_2015": 1 / 59,
            "percent_2002": 37, "n_2002": 445, "compares_as_2002": "same", "known_2002": (164, 443)}
    for alpha in (0.05, 0.01):
        low, high = confint_proportions_2indep(42, 58, 164, 443, method="newcomb", compare="diff", alpha=alpha)
        r = ch.change_row(cell, alpha=alpha)
        assert (r["diff_low_points"], r["diff_high_points"]) == (math.floor(1000 * low) / 10,
                                                                 math.ceil(1000 * high) / 10), alpha
        assert (r["combinations"], r["source_2002_pair"]) == (1, "paper")
    assert ch.change_row(cell, alpha=0.01)["diff_low_points"] < ch.change_row(cell)["diff_low_points"]


def test_a_change_row_says_the_share_asked_for_and_where_its_2002_pairs_come_from():
    cell = {"percent_2015": 72, "count_2015": 42, "denominators_2015": [58], "missing_share_2015": 1 / 59,
            "percent_2002": 37, "n_2002": 445, "compares_as_2002": "same", "known_2002": None}
    r = ch.change_row(cell, max_missing=0.2)
    assert (r["max_missing_2002"], r["source_2002_pair"], r["percent_2002"], r["change_points"]) == (
        0.2, "enumerated", 37, 35)
    # 445 x 0.8 = 356 at least answered in 2002: denominators 356 to 445
    assert (r["denominator_2002_min"], r["denominator_2002_max"], r["n_2002"]) == (356, 445, 445)
    # every (c, d) of 2002 with c/d rounding half up to 37%, tried one by one; 2015: 42/58 only
    pairs = [(c, d) for d in range(356, 446) for c in range(d + 1) if math.floor(Fraction(100 * c, d) + Fraction(1, 2)) == 37]
    assert (r["pairs_2002"], r["count_2002_min"], r["count_2002_max"]) == (
        len(pairs), min(c for c, _ in pairs), max(c for c, _ in pairs))
    assert (r["pairs_2015"], r["count_2015"], r["denominator_2015_min"], r["denominator_2015_max"],
            r["reconciles_2015"], r["combinations"]) == (1, 42, 58, 58, True, len(pairs))
    r = ch.change_row({**cell, "compares_as_2002": "complement"}, max_missing=0.2)
    assert (r["percent_2002"], r["change_points"]) == (63, 9)  # 100 - 37, on the item's wording
