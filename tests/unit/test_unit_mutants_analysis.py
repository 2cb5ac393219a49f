"""analysis/ (all but rules.py) on small synthetic inputs, each case on the boundary or branch a one-line slip
would move: the change since 2002 (change_tests), the claims' comparisons, the statistics, the derived figures.
Expected values are worked by hand or by another method in the test (brute force, Fraction, the textbook
formulas of Wilson, Newcombe, the z-test and chi-squared in tests/oracles.py, not the statsmodels and scipy calls
the code makes), never read from the code under test."""
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from oracles import chi_squared_p, newcombe, pooled_z_p, wilson

from analysis import change as ch
from analysis.failures import FiguresError

# ---- change_tests: the arithmetic ----


def test_change_round_half_up_percent_against_fractions():
    # Every c/d with d up to 60, rounded half up by Fraction: the ties (1/8 = 12.5%, 1/40 = 2.5%) go up.
    cs, ds = zip(*[(c, d) for d in range(1, 61) for c in range(d + 1)])
    expected = [math.floor(Fraction(100 * c, d) + Fraction(1, 2)) for c, d in zip(cs, ds)]
    assert ch.round_half_up_percent(cs, ds).tolist() == expected


def test_change_denominator_floor_at_its_bounds():
    # 20 x (1 - 0.15) is 17 exactly: the float 0.15 lies just under 3/20, and read as it is would give 18
    assert ch.denominator_floor(20, 0.15) == 17
    assert ch.denominator_floor(1, 0.0) == 1 and ch.denominator_floor(1, 0.5) == 1  # ceil(0.5) = 1
    assert ch.denominator_floor(0, 0.0) == 1  # never a denominator of 0
    assert ch.denominator_floor(10, 0.999) == 1
    assert ch.denominator_floor(100, 9 / 100) == 91  # a share of whole numbers read as that fraction exactly
    for bad in (1, 1.0, -0.01, 1.5):
        with pytest.raises(ValueError) as e:
            ch.denominator_floor(10, bad)
        assert str(e.value) == f"max_missing must be in [0, 1), not {bad}"


def test_change_feasible_pairs_with_a_count_given():
    # 3 of 6, 7, 8, 2: 50% over 6 only (3/7 = 42.9%, 3/8 = 37.5%); over 2 the count exceeds the denominator
    c, d = ch.feasible_pairs(50, [2, 6, 7, 8], count=3)
    assert (c.tolist(), d.tolist()) == ([3], [6])
    # 100%: 3 of 3 only, 3 of 2 is no pair though it would "round" to 150%
    c, d = ch.feasible_pairs(100, [2, 3, 4], count=3)
    assert (c.tolist(), d.tolist()) == ([3], [3])


def test_change_feasible_pairs_by_brute_force_at_the_ends():
    for p, ds in [(0, range(1, 30)), (100, range(1, 30)), (1, range(40, 70)), (99, range(90, 210)), (50, [1, 2, 3])]:
        c, d = ch.feasible_pairs(p, list(ds))
        brute = [(cc, dd) for dd in ds for cc in range(dd + 1)
                 if math.floor(Fraction(100 * cc, dd) + Fraction(1, 2)) == p]
        assert list(zip(c.tolist(), d.tolist())) == brute, p
        assert c.dtype == np.int64 and d.dtype == np.int64
    c, d = ch.feasible_pairs(50, [])
    assert (c.tolist(), d.tolist()) == ([], [])


def test_change_pairs_2002_with_a_known_pair_and_when_nothing_fits():
    # A pair printed by the paper is used alone, the share asked for kept, complemented when stated the other way
    c, d, used = ch.pairs_2002(40, 50, 0.07, known=(20, 50))
    assert (c.tolist(), d.tolist(), used) == ([20], [50], 0.07)
    c, d, used = ch.pairs_2002(40, 50, 0.07, known=(20, 50), complement=True)
    assert (c.tolist(), d.tolist(), used) == ([30], [50], 0.07)
    # 50% of a group of 1: no denominator (only 1) gives it, at any share: widened to 95% and given up, empty
    c, d, used = ch.pairs_2002(50, 1, 0.0)
    assert (c.tolist(), d.tolist(), used) == ([], [], 0.95)
    # 50% of 9 with 10% missing: d 9 (4/9 = 44%, 5/9 = 56%) fails, widen to 15%: ceil(9 x 0.85) = 8, 4/8 = 50%
    c, d, used = ch.pairs_2002(50, 9, 0.10)
    assert (c.tolist(), d.tolist(), used) == ([4], [8], 0.15)
    # 50% of 3 from 90% missing: ceil(3 x 0.1) = 1 (0% or 100%), 2 gives 1/2 = 50% only at 95%: ceil(0.15) = 1,
    # so still d in 1..3: 1/2 is there at the first try already
    c, d, used = ch.pairs_2002(50, 3, 0.90)
    assert (c.tolist(), d.tolist(), used) == ([1], [2], 0.90)
    # 33% of 3 with no one missing: 1/3 = 33% at once
    c, d, used = ch.pairs_2002(33, 3, 0.0)
    assert (c.tolist(), d.tolist(), used) == ([1], [3], 0.0)
    # widened from 93%: capped at 95%, not 98%
    c, d, used = ch.pairs_2002(50, 1, 0.93)
    assert (c.tolist(), d.tolist(), used) == ([], [], 0.95)


def test_change_pairs_2015_keeps_denominators_not_under_the_count():
    # 5 of 4, 5, 6, 7 at 90%: none reproduces (5/5 = 100%, 5/6 = 83%): every candidate from the count up, flagged
    c, d, ok = ch.pairs_2015(90, 5, [4, 5, 6, 7])
    assert (c.tolist(), d.tolist(), ok) == ([5, 5, 5], [5, 6, 7], False)
    # denominators read as floats (a column with a blank) still give whole pairs
    c, d, ok = ch.pairs_2015(50, 3, [5.0, 6.0])
    assert (c.tolist(), d.tolist(), ok, c.dtype, d.dtype) == ([3], [6], True, np.int64, np.int64)
    c, d, ok = ch.pairs_2015(90, 3, [5.0, 6.0])
    assert (c.tolist(), d.tolist(), ok, c.dtype, d.dtype) == ([3, 3], [5, 6], False, np.int64, np.int64)


def test_change_round_half_up_percent_of_floats_is_whole():
    got = ch.round_half_up_percent([1.0, 3.0], np.array([8, 8]))
    assert (got.tolist(), got.dtype) == ([13, 38], np.int64)
    got = ch.round_half_up_percent(np.array([1, 3]), [8.0, 8.0])
    assert (got.tolist(), got.dtype) == ([13, 38], np.int64)


def test_change_compare_keeps_out_the_pairs_that_have_no_test():
    # 0 of 5 against 0 of 7: no test (p is nan), the interval still given; with a second pair the p is its own
    res = ch.compare([0], [5], [0], [7])
    assert res["combinations"] == 1 and math.isnan(res["p_min"]) and math.isnan(res["p_max"])
    assert (res["diff_low"], res["diff_high"]) == pytest.approx(newcombe(0, 5, 0, 7))  # -0.3543, 0.4345
    import warnings

    with warnings.catch_warnings():  # nothing said on the build's output for a pair with no test
        warnings.simplefilter("error")
        ch.compare([0], [5], [0], [7])
        ch.compare([2], [5], [0], [7])  # a ratio over 0 inside statsmodels
    res = ch.compare([0, 2], [5, 5], [0], [7])
    p = pooled_z_p(2, 5, 0, 7)  # pooled 2/12: z = 0.4 / sqrt(1/6 x 5/6 x 12/35) = 1.833, p = 0.0668
    assert p == pytest.approx(0.0668, abs=1e-4)
    assert res["combinations"] == 2 and res["p_min"] == res["p_max"] == pytest.approx(p)


def test_change_compare_at_another_alpha():
    res = ch.compare([30], [50], [20], [50], alpha=0.2)
    assert (res["diff_low"], res["diff_high"]) == pytest.approx(newcombe(30, 50, 20, 50, alpha=0.2))  # 0.0719, 0.3191
    wide = ch.compare([30], [50], [20], [50])
    assert wide["diff_low"] < res["diff_low"] and wide["diff_high"] > res["diff_high"]


def test_change_verdict_on_each_side_of_alpha():
    assert ch.verdict(0.01, 0.049) == "significant"
    assert ch.verdict(0.01, 0.05) == "depends_on_denominators"  # p_max at alpha is not under it
    assert ch.verdict(0.05, 0.3) == "not_significant"  # p_min at alpha is not under it
    assert ch.verdict(0.049, 0.3) == "depends_on_denominators"
    assert ch.verdict(0.02, 0.04, alpha=0.03) == "depends_on_denominators"
    assert ch.verdict(0.02, 0.04, alpha=0.01) == "not_significant"
    assert ch.verdict(0.02, 0.04, alpha=0.041) == "significant"


def test_change_default_missing_share():
    assert ch.default_max_missing(None) == 0.05 and ch.default_max_missing(math.nan) == 0.05
    assert ch.default_max_missing(0.05) == 0.05 and ch.default_max_missing(0.2) == 0.2
    assert ch.default_max_missing(0) == 0.05 and ch.default_max_missing(np.float64(0.3)) == 0.3
    assert type(ch.default_max_missing(np.float64(0.3))) is float


def test_change_row_whole_at_a_known_pair():
    # 2015: 30 of 50 (60%), 2002: the paper's 20 of 50 (40%): one combination, every field of the row
    cell = {"percent_2015": 60, "count_2015": 30, "denominators_2015": [50, 51], "missing_share_2015": 0.1,
            "percent_2002": 40, "n_2002": 52, "compares_as_2002": "same", "known_2002": (20, 50)}
    # Newcombe's 95% interval for 0.6 - 0.4 is 0.00458 to 0.37524: rounded outwards to a tenth of a point
    low, high = newcombe(30, 50, 20, 50)
    assert (math.floor(1000 * low), math.ceil(1000 * high)) == (4, 376)
    p = pooled_z_p(30, 50, 20, 50)
    r = ch.change_row(cell)
    assert r == {
        "percent_2002": 40, "percent_2015": 60, "change_points": 20,
        "max_missing_2002": 0.1, "max_missing_2002_used": 0.1,  # the cell's own 2015 share, over 5%
        "source_2002_pair": "paper", "n_2002": 52,
        "denominator_2002_min": 50, "denominator_2002_max": 50, "count_2002_min": 20, "count_2002_max": 20,
        "pairs_2002": 1, "denominator_2015_min": 50, "denominator_2015_max": 50,  # 30/51 = 58.8%: not 60
        "count_2015": 30, "pairs_2015": 1, "reconciles_2015": True, "combinations": 1,
        "diff_low_points": 0.4, "diff_high_points": 37.6,
        "p_min": pytest.approx(p), "p_max": pytest.approx(p), "verdict": "significant"}
    assert p == pytest.approx(0.0455, abs=1e-4)  # z = 2 exactly: (0.6 - 0.4) / sqrt(0.5 x 0.5 x 2 / 50)
    # at alpha 0.01 the same p (0.0455) is not significant, and the interval is the 99% one: -0.05428 to 0.42115,
    # rounded outwards -5.5 and 42.2
    low, high = newcombe(30, 50, 20, 50, alpha=0.01)
    assert (math.floor(1000 * low), math.ceil(1000 * high)) == (-55, 422)
    r = ch.change_row(cell, alpha=0.01)
    assert (r["verdict"], r["diff_low_points"], r["diff_high_points"]) == ("not_significant", -5.5, 42.2)


def test_change_row_rounds_outwards_and_keeps_a_whole_bound():
    # 0 of 10 in 2015 against 10 of 10 in 2002: the difference is -1 exactly at its lower end, printed -100.0,
    # never -100.1; the other way round +100.0
    cell = {"percent_2015": 0, "count_2015": 0, "denominators_2015": [10], "missing_share_2015": None,
            "percent_2002": 100, "n_2002": 10, "compares_as_2002": "same", "known_2002": (10, 10)}
    assert ch.change_row(cell)["diff_low_points"] == -100.0
    cell = {**cell, "percent_2015": 100, "count_2015": 10, "known_2002": (0, 10), "percent_2002": 0}
    r = ch.change_row(cell)
    assert r["diff_high_points"] == 100.0 and r["change_points"] == 100 and r["verdict"] == "significant"


def test_change_row_enumerates_under_the_default_share():
    # 2002: 50% of 10, default 5% (the 2015 share 2% is smaller): d from ceil(9.5) = 10: 5 of 10 only.
    # As a complement the item's count is 10 - 5 = 5 too, but its printed percentage becomes 100 - 50.
    cell = {"percent_2015": 40, "count_2015": 4, "denominators_2015": [10], "missing_share_2015": 0.02,
            "percent_2002": 30, "n_2002": 10, "compares_as_2002": "same"}
    r = ch.change_row(cell)
    assert (r["max_missing_2002"], r["source_2002_pair"], r["count_2002_min"], r["count_2002_max"],
            r["denominator_2002_min"], r["pairs_2002"], r["change_points"]) == (0.05, "enumerated", 3, 3, 10, 1, 10)
    r = ch.change_row({**cell, "compares_as_2002": "complement"})
    assert (r["percent_2002"], r["count_2002_min"], r["change_points"]) == (70, 7, -30)
    r = ch.change_row({**cell, "compares_as_2002": None}, max_missing=0.0)
    assert (r["percent_2002"], r["count_2002_min"], r["max_missing_2002"]) == (30, 3, 0.0)


# ---- change_tests: from the package's frames ----

def _change_frames():
    """A package of four items: a (a group cell that reconciles, its overall over those who answered, the overall
    2002 figure the complement of a pair the paper prints), b (2002 only), c (a group cell that does not
    reconcile; the overall over all respondents), e (overall reproduced over either base)."""
    S, N = "string", "Int64"
    rows = [  # table, item, year, group, percent, compares_as, paper count, paper denominator
        ("T9.1", "a", 2015, "chief_executive", 50, None, None, None),
        ("T9.1", "a", 2015, "all_respondents", 60, None, None, None),
        ("T9.1", "a", 2002, "chief_executive", 40, "same", None, None),
        ("T9.1", "a", 2002, "all_respondents", 30, "complement", 15, 45),
        ("T9.1", "b", 2002, "chief_executive", 10, "same", None, None),
        ("T9.2", "c", 2015, "chief_executive", 90, None, None, None),
        ("T9.2", "c", 2015, "all_respondents", 9, None, None, None),
        ("T9.2", "c", 2002, "chief_executive", 20, "same", 4, None),
        ("T9.2", "c", 2002, "all_respondents", 10, "same", None, None),
        ("T9.2", "e", 2015, "all_respondents", 12, None, None, None),
        ("T9.2", "e", 2002, "all_respondents", 15, "same", None, 40),
    ]
    r = pd.DataFrame(rows, columns=["table_id", "item_id", "survey_year", "role_group", "percent", "compares_as",
                                    "paper_2003_count", "paper_2003_denominator"]).astype(
        {"table_id": S, "item_id": S, "survey_year": N, "role_group": S, "percent": N, "compares_as": S,
         "paper_2003_count": N, "paper_2003_denominator": N})
    wave = pd.DataFrame({"fact": ["respondents", "respondents", "response_rate"],
                         "role_group": ["chief_executive", "all_respondents", "chief_executive"],
                         "value": [20, 50, 77]}).astype({"fact": S, "role_group": S, "value": N})
    roles = pd.DataFrame({"role_group": ["chief_executive", "all_respondents"], "respondents": [12, 100]}).astype(
        {"role_group": S, "respondents": N})
    cells = pd.DataFrame({"item_id": ["a", "c"], "role_group": ["chief_executive"] * 2, "count": [5, 3],
                          "group_n": [16, 8], "derived_denominator_min": [9, None],
                          "derived_denominator_max": [10, None], "derived_missing_max": [3, None]}).astype(
        {"item_id": S, "role_group": S, "count": N, "group_n": N, "derived_denominator_min": N,
         "derived_denominator_max": N, "derived_missing_max": N})
    bases = pd.DataFrame({"item_id": ["a", "c", "e"], "derived_count_sum": [30, 9, 12],
                          "derived_denominator_sum_min": [48, 97, 96], "derived_denominator_sum_max": [50, 99, 97],
                          "derived_base": ["answered", "all_respondents", "either"]}).astype(
        {"item_id": S, "derived_count_sum": N, "derived_denominator_sum_min": N, "derived_denominator_sum_max": N,
         "derived_base": S})
    return {"survey_results": r, "wave_2002": wave, "role_groups": roles, "cell_denominators": cells,
            "overall_bases": bases}


def test_change_cells_from_each_kind_of_cell():
    got = ch.cells_from(_change_frames())
    assert got.columns.tolist() == ["table_id", "item_id", "role_group", "percent_2015", "count_2015",
                                    "denominators_2015", "missing_share_2015", "percent_2002", "n_2002",
                                    "compares_as_2002", "known_2002"]
    rows = got.to_dict("records")
    nan = [math.isnan(r.pop("missing_share_2015")) for r in rows]
    assert nan == [False, False, True, True, True]
    assert rows == [
        # a group cell that reconciles: its feasible denominators 9..10, the missing share 3 of 16
        {"table_id": "T9.1", "item_id": "a", "role_group": "chief_executive", "percent_2015": 50, "count_2015": 5,
         "denominators_2015": [9, 10], "percent_2002": 40, "n_2002": 20, "compares_as_2002": "same",
         "known_2002": None},
        # the overall over those who answered: 48..50; the paper's 15 of 45 as printed, in the wording of its 30%
        {"table_id": "T9.1", "item_id": "a", "role_group": "all_respondents", "percent_2015": 60,
         "count_2015": 30, "denominators_2015": [48, 49, 50], "percent_2002": 30, "n_2002": 50,
         "compares_as_2002": "complement", "known_2002": (15, 45)},
        # not reconciling: every d from the count to n; a paper count without its denominator is no pair
        {"table_id": "T9.2", "item_id": "c", "role_group": "chief_executive", "percent_2015": 90, "count_2015": 3,
         "denominators_2015": [3, 4, 5, 6, 7, 8], "percent_2002": 20, "n_2002": 20, "compares_as_2002": "same",
         "known_2002": None},
        # over all respondents: the 100 only
        {"table_id": "T9.2", "item_id": "c", "role_group": "all_respondents", "percent_2015": 9, "count_2015": 9,
         "denominators_2015": [100], "percent_2002": 10, "n_2002": 50, "compares_as_2002": "same",
         "known_2002": None},
        # either base: those who answered and all respondents
        {"table_id": "T9.2", "item_id": "e", "role_group": "all_respondents", "percent_2015": 12,
         "count_2015": 12, "denominators_2015": [96, 97, 100], "percent_2002": 15, "n_2002": 50,
         "compares_as_2002": "same", "known_2002": None},
    ]
    assert got.missing_share_2015.tolist()[:2] == [0.1875, 0.52]  # 3 of 16; (100 - 48) of 100


def test_change_cells_from_a_group_cell_with_no_denominator_and_no_count():
    res = _change_frames()
    res["cell_denominators"].loc[1, "count"] = 0
    got = ch.cells_from(res).set_index(["item_id", "role_group"])
    assert got.loc[("c", "chief_executive"), "denominators_2015"] == [1, 2, 3, 4, 5, 6, 7, 8]  # from 1, not 0
    res["overall_bases"].loc[2, "derived_base"] = "neither"
    got = ch.cells_from(res).set_index(["item_id", "role_group"])
    assert got.loc[("e", "all_respondents"), "denominators_2015"] == [96, 97, 100]


def test_change_tests_rows_under_each_assumption():
    res = _change_frames()
    keep = res["survey_results"].item_id == "a"
    res["survey_results"] = res["survey_results"][keep & (res["survey_results"].role_group == "all_respondents")]
    got = ch.change_tests(res)
    assert got.columns.tolist() == [
        "table_id", "item_id", "role_group", "assumption", "percent_2002", "percent_2015", "change_points",
        "n_2002", "derived_max_missing_2002_percent", "derived_pair_2002", "derived_count_2002_min",
        "derived_count_2002_max", "derived_denominator_2002_min", "derived_denominator_2002_max",
        "derived_denominator_2015_min", "derived_denominator_2015_max", "derived_diff_low_points",
        "derived_diff_high_points", "derived_p_min", "derived_p_max", "derived_verdict"]
    assert got.assumption.tolist() == ["default", "missing_0", "missing_5", "missing_10", "missing_20"]
    # the paper's pair (15 of 45 printed, so 30 of 45 in the item's wording, as its 70%) under every assumption; 2015: 30 of 50 only
    # (30/48 = 62.5% and 30/49 = 61.2% do not print 60%); the default share: (100 - 48) / 100
    assert got.derived_max_missing_2002_percent.tolist() == [52.0, 0.0, 5.0, 10.0, 20.0]
    # Newcombe's interval for 30/50 - 30/45 is -0.24952 to 0.12480: -25.0 and 12.5 rounded outwards; z-test p 0.501
    low, high = newcombe(30, 50, 30, 45)
    assert (math.floor(1000 * low), math.ceil(1000 * high)) == (-250, 125)
    p = pooled_z_p(30, 50, 30, 45)
    assert p == pytest.approx(0.5012, abs=1e-4)
    for r in got.to_dict("records"):
        assert (r["table_id"], r["item_id"], r["role_group"], r["percent_2002"], r["percent_2015"],
                r["change_points"], r["n_2002"], r["derived_pair_2002"], r["derived_count_2002_min"],
                r["derived_count_2002_max"], r["derived_denominator_2002_min"], r["derived_denominator_2002_max"],
                r["derived_denominator_2015_min"], r["derived_denominator_2015_max"], r["derived_verdict"]) == (
            "T9.1", "a", "all_respondents", 70, 60, -10, 50, "2003 paper", 30, 30, 45, 45, 50, 50, "not_significant")
        assert (r["derived_diff_low_points"], r["derived_diff_high_points"]) == (-25.0, 12.5)
        assert r["derived_p_min"] == r["derived_p_max"] == pytest.approx(p)


def test_change_tests_enumerated_pairs_are_said_so():
    res = _change_frames()
    res["survey_results"] = res["survey_results"][res["survey_results"].item_id == "e"]
    got = ch.change_tests(res)
    assert set(got.derived_pair_2002) == {"enumerated"}
    # 15% of 50: with no one missing 15% needs 7.5 of 50, so none; the share widens to 5%: d = 48 (7/48 = 14.6%)
    assert got.set_index("assumption").derived_max_missing_2002_percent.to_dict() == {
        "default": 5.0, "missing_0": 5.0, "missing_5": 5.0, "missing_10": 10.0, "missing_20": 20.0}


def test_change_tests_give_the_share_used_to_a_tenth_of_a_point():
    res = _change_frames()
    r = res["survey_results"]
    res["survey_results"] = r[(r.item_id == "a") & (r.role_group == "chief_executive")]
    got = ch.change_tests(res).set_index("assumption")
    assert got.derived_max_missing_2002_percent.to_dict() == {  # 3 of 16 is 18.75%: 18.8
        "default": 18.8, "missing_0": 0.0, "missing_5": 5.0, "missing_10": 10.0, "missing_20": 20.0}


def test_change_tests_name_the_cell_they_cannot_test():
    res = _change_frames()
    res["survey_results"] = res["survey_results"][res["survey_results"].item_id == "a"]
    res["wave_2002"].loc[0, "value"] = 1  # 40% of one chief executive: no 2002 pair at any share
    with pytest.raises(FiguresError) as e:
        ch.change_tests(res)
    assert e.value.problem == ("the change since 2002 of a for chief_executive (T9.1) cannot be tested on these "
                               "figures")
    assert e.value.rests_on == [("survey_results", "a", 2015, "chief_executive"),
                                ("survey_results", "a", 2002, "chief_executive")]


# ---- the statistics ----

def test_fisher_p_is_a_seeded_monte_carlo_estimate_of_the_exact_p():
    from itertools import product
    from math import comb

    from analysis import statistics

    # agreed 1, 2, 0, 3 of 3 each: every table with these margins (6 agreed of 12, 3 per group), by hand
    table = np.array([[1, 2, 0, 3], [2, 1, 3, 0]])

    def prob(a):
        return math.prod(comb(3, x) for x in a) / comb(12, 6)
    tables = [a for a in product(range(4), repeat=4) if sum(a) == 6]
    exact = sum(prob(a) for a in tables if prob(a) <= prob(table[0]) * (1 + 1e-9))
    p = statistics.fisher_p(np.array([table, table]))
    assert p.shape == (2,) and abs(p[0] - exact) < 0.01 and abs(p[1] - exact) < 0.01
    # the same p each run (a fixed seed: builds are identical), counted over 200,000 resamples: (k + 1) / 200,001
    assert p[0] == statistics.fisher_p(np.array([table]))[0]
    assert abs(p[0] * 200_001 - round(p[0] * 200_001)) < 1e-6


# ---- the claims ----

GROUPS4 = ["chief_executive", "medical_director", "directorate_manager", "clinical_director"]


def _figures(cells=None, results=None, items=None, profile=None, text=None, sizes=(50, 100, 150, 200), bases=None):
    """A Figures over small synthetic frames. cells: {(item, group): (percent, count, n, dmin, dmax)}, dmin None
    where the count reproduces no percentage; results: {(item, year, group): percent} (2015 group cells come
    from cells); items: {item: (table, favourable)} in printed order; profile: {(table, category, group):
    percent}; text: {figure_id: (value, qualifier, unit, value_text)}; bases: {item: (table, count sum, least and
    greatest sum of denominators, whether the overall percentage reproduces over those who answered, over all)}."""
    from analysis.feasible import Figures

    S, N = "string", "Int64"
    cells, results, items, profile, text = cells or {}, results or {}, items or {}, profile or {}, text or {}
    roles = pd.DataFrame({"role_group": GROUPS4 + ["all_respondents"],
                          "column_label": ["Chief executives", "Medical directors", "Directorate managers",
                                           "Clinical directors", "All respondents"],
                          "respondents": [*sizes, sum(sizes)], "sort_order": [1, 2, 3, 4, 5],
                          "response_rate_percent": [30, 40, 50, 60, None]}).astype(
        {"role_group": S, "column_label": S, "respondents": N, "sort_order": N, "response_rate_percent": N})
    res_rows = [(i, 2015, g, p) for (i, g), (p, *_) in cells.items()] + [(i, y, g, p) for (i, y, g), p in
                                                                          results.items()]
    sr = pd.DataFrame([{"item_id": i, "survey_year": y, "role_group": g, "percent": p, "paper_2003_count": None,
                        "paper_2003_denominator": None, "compares_as": "same" if y == 2002 else None}
                       for i, y, g, p in res_rows], columns=["item_id", "survey_year", "role_group", "percent",
                                                             "paper_2003_count", "paper_2003_denominator",
                                                             "compares_as"]).astype(
        {"item_id": S, "survey_year": N, "role_group": S, "percent": N, "paper_2003_count": N,
         "paper_2003_denominator": N, "compares_as": S})
    cd = pd.DataFrame([{"item_id": i, "role_group": g, "percent": p, "count": c, "group_n": n,
                        "derived_denominator_min": lo, "derived_denominator_max": hi,
                        "derived_reconciles": lo is not None} for (i, g), (p, c, n, lo, hi) in cells.items()],
                      columns=["item_id", "role_group", "percent", "count", "group_n", "derived_denominator_min",
                               "derived_denominator_max", "derived_reconciles"]).astype(
        {"item_id": S, "role_group": S, "percent": N, "count": N, "group_n": N, "derived_denominator_min": N,
         "derived_denominator_max": N, "derived_reconciles": "boolean"})
    it = pd.DataFrame([{"item_id": i, "table_id": t, "item_order": k, "row_label": i.replace("_", " ").capitalize(),
                        "favourable": f} for k, (i, (t, f)) in enumerate(items.items(), 1)],
                      columns=["item_id", "table_id", "item_order", "row_label", "favourable"]).astype(
        {"item_id": S, "table_id": S, "item_order": N, "row_label": S, "favourable": S})
    rp = pd.DataFrame([{"table_id": t, "category_id": c, "role_group": g, "percent": p}
                       for (t, c, g), p in profile.items()],
                      columns=["table_id", "category_id", "role_group", "percent"]).astype(
        {"table_id": S, "category_id": S, "role_group": S, "percent": N})
    tf = pd.DataFrame([{"figure_id": f, "derived_value": v, "derived_qualifier": q, "unit": u, "value_text": vt}
                       for f, (v, q, u, vt) in text.items()],
                      columns=["figure_id", "derived_value", "derived_qualifier", "unit", "value_text"]).astype(
        {"figure_id": S, "derived_value": "Float64", "derived_qualifier": S, "unit": S, "value_text": S})
    return Figures({"role_groups": roles, "survey_results": sr, "cell_denominators": cd, "items": it,
                    "role_profile": rp, "text_figures": tf, "overall_bases": pd.DataFrame(
                        [{"table_id": t, "item_id": i, "derived_count_sum": c, "derived_denominator_sum_min": lo,
                          "derived_denominator_sum_max": hi, "derived_answered_reproduces": a,
                          "derived_all_respondents_reproduces": e}
                         for i, (t, c, lo, hi, a, e) in (bases or {}).items()],
                        columns=["table_id", "item_id", "derived_count_sum", "derived_denominator_sum_min",
                                 "derived_denominator_sum_max", "derived_answered_reproduces",
                                 "derived_all_respondents_reproduces"])})


def _claim(**columns):
    from types import SimpleNamespace

    base = {"claim_id": "c1", "tables": None, "items": None, "other_items": None, "role_groups": None,
            "other_groups": None, "direction": None, "word": None, "amount": None, "survey_year": None,
            "significance": None, "quantifier": None, "figures": None, "reason": None}
    return SimpleNamespace(**{**base, **columns})


def test_claims_odd_cells_are_the_claims_rows_counts_that_reproduce_no_percentage():
    from analysis import claims

    ok = (60, 30, 50, 50, 50)  # 30 of 50 is 60%
    odd = (70, 30, 50, None, None)  # 30 of 50 is not 70% over any denominator
    fig = _figures(cells={("a", "chief_executive"): odd, ("a", "medical_director"): ok,
                          ("b", "chief_executive"): ok, ("c", "chief_executive"): odd,
                          ("d", "medical_director"): odd},
                   items={"a": ("T9.1", None), "b": ("T9.1", None), "c": ("T9.1", None), "d": ("T9.2", None)})
    odd_a, odd_c, odd_d = (("survey_results", k, 2015, g) for k, g in [
        ("a", "chief_executive"), ("c", "chief_executive"), ("d", "medical_director")])
    # every row of the table where the claim names none
    assert claims._odd_cells(_claim(tables="T9.1"), fig) == [odd_a, odd_c]
    # the rows it names, and those it compares them with, wherever they are printed
    assert claims._odd_cells(_claim(tables="T9.1", items="a", other_items="d"), fig) == [odd_a, odd_d]
    assert claims._odd_cells(_claim(tables="T9.1", items="b;d"), fig) == [odd_d]
    # no rows named by the claim's columns (a category of a profile table, a row no table has): none
    assert claims._odd_cells(_claim(tables="T9.3", items="nope"), fig) == []
    assert claims._odd_cells(_claim(tables="T9.3"), fig) == []


def test_claims_list_columns_and_their_alignment():
    from analysis import claims

    assert claims.listed("a;b;") == ["a", "b"] and claims.listed("") == [] and claims.listed(None) == []
    assert claims.listed(3.0) == []  # a number is no list of names
    assert claims._by(_claim(direction="higher"), "direction", 3) == ["higher"] * 3
    assert claims._by(_claim(direction="higher;lower"), "direction", 2) == ["higher", "lower"]
    with pytest.raises(ValueError) as e:
        claims._by(_claim(direction="higher;lower"), "direction", 3)
    assert str(e.value) == "claim c1: direction has 2 values for 3"
    assert claims._margin(_claim(word="much")) == 10 and claims._margin(_claim(word="over")) == 0


def _parts(*verdicts):
    from analysis import claims

    return [claims.Part(f"p{i}", v, f"r{i}") for i, v in enumerate(verdicts, 1)]


def test_claims_summary_lists_the_parts_that_do_not_hold():
    from analysis import claims

    H, F, D = "holds", "does_not_hold", "depends"
    assert claims.part_text(_parts(H)[0]) == "p1: r1"
    assert claims.part_text(_parts(F)[0]) == "p1: r1 (does not hold)"
    assert claims.part_text(_parts(D)[0]) == "p1: r1 (depends on rounding or denominators)"
    # three parts or fewer: each of them
    assert claims.summary(_parts(H, F, H)) == "p1: r1; p2: r2 (does not hold); p3: r3"
    # more: how many hold, then the others
    assert claims.summary(_parts(H, H, H, H)) == "4 of 4 parts hold"
    assert claims.summary(_parts(F, D, F, F)) == (
        "0 of 4 parts hold: p1: r1 (does not hold); p2: r2 (depends on rounding or denominators); "
        "p3: r3 (does not hold); p4: r4 (does not hold)")
    assert claims.summary(_parts(H, H, F, H)) == "3 of 4 parts hold; the other: p3: r3 (does not hold)"
    assert claims.summary(_parts(H, F, F, H)) == (
        "2 of 4 parts hold; the other 2: p2: r2 (does not hold); p3: r3 (does not hold)")
    six = claims.summary(_parts(H, *[F] * 6))
    assert six.startswith("1 of 7 parts hold; the other 6: p2: r2") and six.endswith("p7: r7 (does not hold)")
    seven = claims.summary(_parts(H, *[F] * 7))
    assert seven.endswith("p7: r7 (does not hold); and 1 more (claim_parts lists every part)")
    assert "p8" not in seven


def test_claims_a_part_over_both_bases():
    from analysis import claims

    p, q = claims.Part("x", "holds", "60%"), claims.Part("x", "holds", "61%")
    assert claims.both_bases(p, claims.Part("x", "holds", "60%"), 472) is p
    both = claims.both_bases(p, q, 472)
    assert (both.verdict, both.result) == ("holds", "over all 472 respondents, as printed: 60%; over those who "
                                                    "answered: 61%")
    assert claims.both_bases(p, claims.Part("x", "does_not_hold", "40%"), 472).verdict == "depends"
    assert claims.undecidable(_claim(reason="no counts."), None)[0] == claims.Part(
        "the printed figures", "undecidable", "no counts")


def _four(item, *pcts, table="T9.1", sizes=(50, 100, 150, 200)):
    """An item whose four groups print whole shares of their sizes exactly (one denominator each)."""
    return {(item, g): (p, p * n // 100, n, n, n) for g, p, n in zip(GROUPS4, pcts, sizes)}


def test_claims_extreme_on_each_side_and_by_a_margin():
    from analysis import claims

    fig = _figures(cells={**_four("a", 60, 50, 50, 50), **_four("b", 40, 50, 48, 50)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None)},
                   results={**{("a", 2002, g): 20 for g in GROUPS4}, ("b", 2002, "chief_executive"): 20})
    parts = claims.extreme(_claim(tables="T9.1", items="a", role_groups="chief_executive", direction="higher",
                                  survey_year=2015), fig)
    assert parts == [claims.Part("A, 2015: CE highest", "holds", "CE 60%, MD 50%, DM 50%, CD 50%", "T9.1", "a",
                                 "chief_executive", 2015)]
    # by 10 points or more: 60 against 50 is exactly 10; against the 2002 figures (20% each, 19.5 to 20.5) it
    # depends; b only prints 2002 for one group, so only its 2015 wave is read
    parts = claims.extreme(_claim(tables="T9.1", role_groups="chief_executive", direction="higher",
                                  word="much"), fig)
    assert [(p.label, p.verdict) for p in parts] == [
        ("A, 2015: CE highest by 10 points or more", "holds"),
        ("A, 2002: CE highest by 10 points or more", "does_not_hold"),
        ("B, 2015: CE highest by 10 points or more", "does_not_hold")]
    assert parts[1].result == "CE 19.5–20.5%, MD 19.5–20.5%, DM 19.5–20.5%, CD 19.5–20.5%"
    # lowest, against the groups named only: CE's 40 below DM's 48; against every group, MD 50
    parts = claims.extreme(_claim(tables="T9.1", items="b", role_groups="chief_executive;directorate_manager",
                                  direction="lower;higher", other_groups="directorate_manager",
                                  survey_year=2015), fig)
    assert [(p.label, p.verdict, p.role_group) for p in parts] == [
        ("B, 2015: CE lowest", "holds", "chief_executive"),
        ("B, 2015: DM highest", "does_not_hold", "directorate_manager")]


def test_claims_threshold_reads_the_figure_or_its_complement():
    from analysis import claims

    fig = _figures(cells=_four("a", 60, 50, 50, 81), items={"a": ("T9.1", None)},
                   results={("a", 2002, "chief_executive"): 45})
    parts = claims.threshold(_claim(tables="T9.1", items="a", role_groups="chief_executive;clinical_director",
                                    word="majority"), fig)
    assert parts == [claims.Part("A: CE over 50%", "holds", "CE: 60%", "T9.1", "a", "chief_executive", 2015),
                     claims.Part("A: CD over 50%", "holds", "CD: 81%", "T9.1", "a", "clinical_director", 2015)]
    parts = claims.threshold(_claim(tables="T9.1", items="a", role_groups="chief_executive", word="at_least",
                                    amount="two_thirds", direction="complement"), fig)
    assert parts == [claims.Part("A: CE at least 66.7%", "does_not_hold", "CE disagreed: 40%", "T9.1", "a",
                                 "chief_executive", 2015)]
    parts = claims.threshold(_claim(tables="T9.1", items="a", role_groups="chief_executive", word="under",
                                    amount="45", survey_year=2002), fig)
    assert (parts[0].label, parts[0].verdict, parts[0].result, parts[0].survey_year) == (
        "A: CE under 45%", "depends", "CE: 44.5–45.5%", 2002)


def test_claims_ordering_of_two_sets_of_groups_and_the_gap():
    from analysis import claims

    fig = _figures(cells=_four("a", 70, 50, 58, 40), items={"a": ("T9.1", None)})
    parts = claims.ordering(_claim(tables="T9.1", role_groups="chief_executive", other_groups="medical_director",
                                   direction="higher", word="much", survey_year=2015), fig)
    assert parts == [claims.Part("A, 2015: CE above MD by 10 points or more", "holds",
                                 "CE 70%, MD 50%, DM 58%, CD 40%; gap 20 points", "T9.1", "a", None, 2015)]
    parts = claims.ordering(_claim(tables="T9.1", role_groups="clinical_director;medical_director",
                                   other_groups="chief_executive;directorate_manager", direction="lower",
                                   survey_year=2015), fig)
    assert (parts[0].label, parts[0].verdict, parts[0].result) == (
        "A, 2015: CD and MD below CE and DM", "holds", "CE 70%, MD 50%, DM 58%, CD 40%")
    parts = claims.ordering(_claim(tables="T9.1", role_groups="directorate_manager", other_groups="medical_director",
                                   direction="higher", word="much", survey_year=2015), fig)
    assert (parts[0].verdict, parts[0].result.split("; ")[1]) == ("does_not_hold", "gap 8 points")


def _profile(**rows):
    """A role profile table (T1.2): category -> the four groups' printed percentages."""
    return {("T1.2", c, g): p for c, ps in rows.items() for g, p in zip(GROUPS4, ps)}


def test_claims_on_a_profile_table_read_its_categories():
    from analysis import claims

    fig = _figures(profile=_profile(own_post=[60, 40, 45, 50], other_post=[40, 60, 55, 50]))
    parts = claims.extreme(_claim(tables="T1.2", role_groups="chief_executive", direction="higher"), fig)
    assert [(p.label, p.verdict, p.table_id, p.item_id) for p in parts] == [
        ("own post, 2015: CE highest", "holds", "T1.2", None), ("other post, 2015: CE highest", "does_not_hold",
                                                                  "T1.2", None)]
    parts = claims.threshold(_claim(tables="T1.2", role_groups="medical_director", word="majority"), fig)
    assert [(p.label, p.verdict, p.result, p.item_id) for p in parts] == [
        ("own post: MD over 50%", "does_not_hold", "MD: 39.5–40.5%", None),
        ("other post: MD over 50%", "holds", "MD: 59.5–60.5%", None)]
    parts = claims.ordering(_claim(tables="T1.2", role_groups="chief_executive", other_groups="medical_director",
                                   direction="higher"), fig)
    assert [(p.label, p.verdict, p.item_id) for p in parts] == [
        ("own post, 2015: CE above MD", "holds", None), ("other post, 2015: CE above MD", "does_not_hold", None)]


def test_claims_extreme_against_the_groups_named_and_by_a_margin_below():
    from analysis import claims

    fig = _figures(cells=_four("a", 45, 56, 38, 56), items={"a": ("T9.1", "lower")})
    # CE's 45 is below MD's 56 but not below DM's 38
    one = claims.extreme(_claim(tables="T9.1", role_groups="chief_executive", direction="lower",
                                other_groups="medical_director;clinical_director", survey_year=2015), fig)
    assert one[0].verdict == "holds"
    every = claims.extreme(_claim(tables="T9.1", role_groups="chief_executive", direction="lower",
                                  survey_year=2015), fig)
    assert every[0].verdict == "does_not_hold"
    # lowest by 10 points or more: 56 - 45 is 11 against MD and CD
    much = claims.extreme(_claim(tables="T9.1", role_groups="chief_executive", direction="lower", word="much",
                                 other_groups="medical_director;clinical_director", survey_year=2015), fig)
    assert much[0].verdict == "holds"
    fig = _figures(cells=_four("a", 48, 56, 38, 56), items={"a": ("T9.1", "lower")})
    much = claims.extreme(_claim(tables="T9.1", role_groups="chief_executive", direction="lower", word="much",
                                 other_groups="medical_director;clinical_director", survey_year=2015), fig)
    assert much[0].verdict == "does_not_hold"  # 8 points
    # favourable read by the item: lower is favourable here, so the favourable extreme is the lowest
    fav = claims.extreme(_claim(tables="T9.1", role_groups="directorate_manager", direction="favourable",
                                survey_year=2015), fig)
    assert (fav[0].label, fav[0].verdict) == ("A, 2015: DM lowest", "holds")


def test_claims_ordering_of_the_rows_named_in_every_wave_printed():
    from analysis import claims

    fig = _figures(cells={**_four("a", 70, 50, 58, 40), **_four("b", 30, 50, 58, 40)},
                   items={"a": ("T9.1", "higher"), "b": ("T9.1", "higher")},
                   results={("a", 2002, g): p for g, p in zip(GROUPS4, [30, 50, 50, 50])})
    parts = claims.ordering(_claim(tables="T9.1", items="a", role_groups="chief_executive",
                                   other_groups="medical_director", direction="favourable"), fig)
    assert [(p.label, p.verdict) for p in parts] == [("A, 2015: CE above MD", "holds"),
                                                     ("A, 2002: CE above MD", "does_not_hold")]
    assert parts[0].result == "CE 70%, MD 50%, DM 58%, CD 40%"  # no margin: no gap
    # below by 10 points or more: the gap is MD's minus CD's
    parts = claims.ordering(_claim(tables="T9.1", items="b", role_groups="clinical_director",
                                   other_groups="medical_director", direction="lower", word="much",
                                   survey_year=2015), fig)
    assert (parts[0].label, parts[0].verdict, parts[0].result.split("; ")[1]) == (
        "B, 2015: CD below MD by 10 points or more", "holds", "gap 10 points")


def test_claims_threshold_over_every_row_of_a_table_and_a_reason_kept_whole():
    from analysis import claims

    fig = _figures(cells={**_four("a", 70, 50, 58, 40), **_four("b", 30, 50, 58, 40)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None)})
    parts = claims.threshold(_claim(tables="T9.1", role_groups="chief_executive", word="majority"), fig)
    assert [(p.label, p.verdict) for p in parts] == [("A: CE over 50%", "holds"), ("B: CE over 50%", "does_not_hold")]
    assert claims.undecidable(_claim(reason="no count for group X."), None)[0].result == "no count for group X"


def test_claims_ordering_and_threshold_read_only_the_wave_and_rows_named():
    from analysis import claims

    fig = _figures(cells={**_four("a", 70, 50, 58, 40), **_four("b", 30, 50, 58, 42)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None)},
                   results={("a", 2002, g): p for g, p in zip(GROUPS4, [30, 50, 50, 50])})
    parts = claims.ordering(_claim(tables="T9.1", items="a", role_groups="chief_executive",
                                   other_groups="medical_director", direction="higher", survey_year=2015), fig)
    assert [p.label for p in parts] == ["A, 2015: CE above MD"]
    # 42 below 50 by 8 points: below, but not by 10 or more
    parts = claims.ordering(_claim(tables="T9.1", items="b", role_groups="clinical_director",
                                   other_groups="medical_director", direction="lower", word="much",
                                   survey_year=2015), fig)
    assert (parts[0].verdict, parts[0].result.split("; ")[1]) == ("does_not_hold", "gap 8 points")
    parts = claims.threshold(_claim(tables="T9.1", items="b", role_groups="chief_executive", word="majority"), fig)
    assert [(p.label, p.verdict) for p in parts] == [("B: CE over 50%", "does_not_hold")]


def _with_changes(fig, rows):
    """fig with change_tests' default rows: {(item, group): (p_min, p_max)}."""
    fig.res["change_tests"] = pd.DataFrame(
        [{"item_id": i, "role_group": g, "assumption": a, "derived_p_min": lo, "derived_p_max": hi}
         for (i, g), (lo, hi) in rows.items() for a in ("missing_0", "default")])
    return fig


def test_claims_change_since_2002_direction_size_and_other_groups():
    from analysis import claims

    fig = _figures(cells=_four("a", 70, 60, 40, 20), items={"a": ("T9.1", "higher")},
                   results={("a", 2002, g): p for g, p in zip(GROUPS4, [50, 55, 30, 10])})
    parts = claims.change(_claim(tables="T9.1", items="a", role_groups="chief_executive;medical_director",
                                 direction="higher", word="much", other_groups="chief_executive;clinical_director"),
                          fig)
    # CE: 70 against 49.5-50.5: a rise of 19.5 to 20.5 points, 10 or more; CD rose 9.5 to 10.5
    assert parts[0] == claims.Part(
        "A: CE up", "holds", "CE 49.5–50.5% in 2002, 70% in 2015; rise 19.5–20.5 points; change 19.5–20.5 points "
        "against CD 9.5–10.5 points", "T9.1", "a", "chief_executive", None)
    # MD: a rise of 4.5 to 5.5: up, but not by 10
    assert (parts[1].label, parts[1].verdict) == ("A: MD up", "does_not_hold")
    # down, favourable read by the item (higher is favourable here, so unfavourable is down)
    parts = claims.change(_claim(tables="T9.1", items="a", role_groups="directorate_manager",
                                 direction="unfavourable"), fig)
    assert (parts[0].label, parts[0].verdict, parts[0].result) == (
        "A: DM down", "does_not_hold", "DM 29.5–30.5% in 2002, 40% in 2015")


def test_claims_change_as_a_multiple_and_where_none_can_be_read():
    from analysis import claims

    fig = _figures(cells=_four("a", 60, 10, 0, 20), items={"a": ("T9.1", None)},
                   results={("a", 2002, g): p for g, p in zip(GROUPS4, [30, 31, 10, 0])})
    parts = claims.change(_claim(tables="T9.1", items="a", role_groups="chief_executive", direction="higher",
                                 word="roughly_times", amount="2"), fig)
    # 60 over 29.5-30.5 is 1.967 to 2.034 times: within 1.5 to 2.5
    assert (parts[0].verdict, parts[0].result) == (
        "holds", "CE 29.5–30.5% in 2002, 60% in 2015; ratio 1.96–2.04 (read as 1.5–2.5 times)")
    # fallen to a third: 30.5-31.5 over 10 is 3.05 to 3.15 times, almost trebled is 2.5 to under 3
    parts = claims.change(_claim(tables="T9.1", items="a", role_groups="medical_director", direction="lower",
                                 word="almost_times", amount="3"), fig)
    assert (parts[0].label, parts[0].verdict, parts[0].result.split("; ")[1]) == (
        "A: MD down", "does_not_hold", "ratio 3.05–3.15 (read as 2.5 to under 3 times)")
    with pytest.raises(FiguresError) as e:  # a multiple of 0-0.5% in 2002
        claims.change(_claim(tables="T9.1", items="a", role_groups="clinical_director", direction="higher",
                             word="roughly_times", amount="2"), fig)
    assert (e.value.problem, e.value.rests_on) == (
        "A, CD: no multiple of 0–0.5% in 2002 can be read", [("survey_results", "a", 2002, "clinical_director")])
    with pytest.raises(FiguresError) as e:  # down: the multiple is of the 2015 figure, 0 of 150
        claims.change(_claim(tables="T9.1", items="a", role_groups="directorate_manager", direction="lower",
                             word="roughly_times", amount="2"), fig)
    assert (e.value.problem, e.value.rests_on) == (
        "A, DM: no multiple of 0% in 2015 can be read", [("survey_results", "a", 2015, "directorate_manager")])


def test_claims_change_significance_and_groups_without_both_waves():
    from analysis import claims

    fig = _figures(cells=_four("a", 70, 60, 40, 20), items={"a": ("T9.1", None)},
                   results={("a", 2002, g): p for g, p in zip(GROUPS4[:3], [50, 55, 30])})
    fig = _with_changes(fig, {("a", "chief_executive"): (0.001, 0.02), ("a", "medical_director"): (0.03, 0.2)})
    parts = claims.change(_claim(tables="T9.1", items="a", role_groups="chief_executive;medical_director;"
                                 "clinical_director", significance="significant"), fig)
    # no direction: only the test; CD prints no 2002 figure, so no part
    assert [(p.label, p.verdict, p.result) for p in parts] == [
        ("A: CE significantly", "holds", "CE 49.5–50.5% in 2002, 70% in 2015; p 0.001–0.02"),
        ("A: MD significantly", "depends", "MD 54.5–55.5% in 2002, 60% in 2015; p 0.03–0.2")]
    parts = claims.change(_claim(tables="T9.1", items="a", role_groups="medical_director", direction="higher",
                                 significance="not_significant"), fig)
    assert (parts[0].label, parts[0].verdict) == ("A: MD up not significantly", "depends")


def test_claims_change_falls_and_small_rises():
    from analysis import claims

    fig = _figures(cells={**_four("a", 50, 30, 40, 20), **_four("b", 2, 2, 2, 2)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None)},
                   results={**{("a", 2002, g): p for g, p in zip(GROUPS4[1:3], [45, 48])},
                            ("a", 2002, "chief_executive"): 49, ("b", 2002, "chief_executive"): 1})
    # 50 against 48.5-49.5: up by 0.5 to 1.5 points, above 0 whatever the rounding; CD prints no 2002 figure
    parts = claims.change(_claim(tables="T9.1", items="a", role_groups="clinical_director;chief_executive",
                                 direction="higher"), fig)
    assert [(p.role_group, p.verdict) for p in parts] == [("chief_executive", "holds")]
    # MD fell 14.5 to 15.5 points, much; DM fell 7.5 to 8.5, less than MD's fall
    parts = claims.change(_claim(tables="T9.1", items="a", role_groups="medical_director", direction="lower",
                                 word="much", other_groups="directorate_manager"), fig)
    assert (parts[0].label, parts[0].verdict, parts[0].result) == (
        "A: MD down", "holds", "MD 44.5–45.5% in 2002, 30% in 2015; fall 14.5–15.5 points; change 14.5–15.5 points "
        "against DM 7.5–8.5 points")
    # significant and not significant on the same p range
    fig = _with_changes(fig, {("a", "chief_executive"): (0.001, 0.02)})
    assert claims.change(_claim(tables="T9.1", items="a", role_groups="chief_executive",
                                significance="not_significant"), fig)[0].verdict == "does_not_hold"
    # a multiple of a figure printed as 1% (0.5 to 1.5) can be read: 1 of 50 (2%) over it is 1.33 to 4 times
    # (and of the table's rows, only the one named)
    parts = claims.change(_claim(tables="T9.1", items="b", role_groups="chief_executive", direction="higher",
                                 word="roughly_times", amount="2"), fig)
    assert (parts[0].verdict, parts[0].result.split("; ")[1]) == ("depends", "ratio 1.33–4 (read as 1.5–2.5 times)")


def test_claims_change_reads_the_overall_column_over_those_who_answered_where_asked():
    from analysis import claims

    # T9.3 prints its overall column over all 500 respondents: 40%; over those who answered, 100 of 200 to 250
    fig = _figures(cells=_four("o", 60, 40, 40, 40, table="T9.3"), items={"o": ("T9.3", None)},
                   results={("o", 2015, "all_respondents"): 40, ("o", 2002, "all_respondents"): 30,
                            ("o", 2002, "chief_executive"): 50},
                   bases={"o": ("T9.3", 100, 200, 250, False, True)})
    assert fig.all_respondents_tables == {"T9.3"}
    answered = fig.over_answered()
    claim = _claim(tables="T9.3", items="o", role_groups="all_respondents", direction="higher")
    assert claims.change(claim, fig)[0].result == "all respondents 29.5–30.5% in 2002, 39.5–40.5% in 2015"
    assert claims.change(claim, answered)[0].result == "all respondents 29.5–30.5% in 2002, 40–50% in 2015"
    claim = _claim(tables="T9.3", items="o", role_groups="chief_executive", other_groups="all_respondents",
                   direction="higher")
    assert claims.change(claim, answered)[0].result.endswith("against all respondents 9.5–20.5 points")


def test_claims_change_over_every_row_of_a_table():
    from analysis import claims

    fig = _figures(cells={**_four("a", 60, 40, 40, 40), **_four("b", 20, 40, 40, 40)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None)},
                   results={("a", 2002, "chief_executive"): 50, ("b", 2002, "chief_executive"): 30})
    parts = claims.change(_claim(tables="T9.1", role_groups="chief_executive", direction="higher"), fig)
    assert [(p.label, p.verdict) for p in parts] == [("A: CE up", "holds"), ("B: CE up", "does_not_hold")]


def test_claims_items_ordering_within_one_column():
    from analysis import claims

    fig = _figures(cells={**_four("a", 60, 40, 40, 40), **_four("b", 50, 40, 40, 40), **_four("c", 66, 40, 40, 40)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None), "c": ("T9.1", None)})
    parts = claims.items_ordering(_claim(tables="T9.1", items="a", other_items="b;c", role_groups="chief_executive",
                                         survey_year=2015, direction="higher"), fig)
    assert parts == [claims.Part("A above B", "holds", "CE: 60% against 50%", "T9.1", "a", "chief_executive", 2015),
                     claims.Part("A above C", "does_not_hold", "CE: 60% against 66%", "T9.1", "a", "chief_executive",
                                 2015)]
    parts = claims.items_ordering(_claim(tables="T9.1", items="b", other_items="a;c", role_groups="chief_executive",
                                         survey_year=2015, direction="lower", word="much"), fig)
    assert [(p.label, p.verdict) for p in parts] == [("B below A by 10 points or more", "holds"),
                                                     ("B below C by 10 points or more", "holds")]
    parts = claims.items_ordering(_claim(tables="T9.1", items="a", other_items="c", role_groups="chief_executive",
                                         survey_year=2015, direction="lower", word="much"), fig)
    assert parts[0].verdict == "does_not_hold"  # 6 points below
    parts = claims.items_ordering(_claim(tables="T9.1", items="c", other_items="a", role_groups="chief_executive",
                                         survey_year=2015, direction="higher", word="much"), fig)
    assert parts[0].verdict == "does_not_hold"  # 6 points above


def test_claims_pairwise_direction_margin_and_test():
    from analysis import claims

    fig = _figures(cells=_four("a", 60, 50, 54, 20), items={"a": ("T9.1", "lower")})
    # CE 30 of 50 against CD 40 of 200: 70 of 250 agreed (28%), expected 14 and 56; chi-squared
    # 16² x (1/14 + 1/36 + 1/56 + 1/144) = 31.75, p = erfc(sqrt(31.75 / 2)) = 1.76e-08, printed to 2 digits
    assert chi_squared_p([[30, 40], [20, 160]]) == pytest.approx(1.757e-08, rel=1e-3)
    parts = claims.pairwise(_claim(tables="T9.1", items="a", role_groups="chief_executive",
                                   other_groups="clinical_director", direction="higher"), fig)
    assert parts == [claims.Part("A: CE significantly above CD", "holds", "CE 60%, CD 20%; p 1.8e-08", "T9.1",
                                 "a", "chief_executive", 2015)]
    parts = claims.pairwise(_claim(tables="T9.1", items="a", role_groups="clinical_director",
                                   other_groups="chief_executive", direction="favourable", word="much"), fig)
    assert (parts[0].label, parts[0].verdict) == ("A: CD significantly below by 10+ points CE", "holds")
    parts = claims.pairwise(_claim(tables="T9.1", items="a", role_groups="medical_director",
                                   other_groups="directorate_manager", direction="either"), fig)
    # 50 of 100 against 81 of 150: not significant, whatever the direction (chi-squared 0.385, p 0.535)
    assert chi_squared_p([[50, 81], [50, 69]]) == pytest.approx(0.5350, abs=1e-4)
    assert parts[0] == claims.Part("A: MD significantly different from DM", "does_not_hold",
                                   "MD 50%, DM 54%; p 0.53", "T9.1", "a", "medical_director", 2015)
    parts = claims.pairwise(_claim(tables="T9.1", items="a", role_groups="medical_director",
                                   other_groups="directorate_manager", direction="lower"), fig)
    assert parts[0].verdict == "does_not_hold"


def test_claims_across_groups_rerun_or_printed():
    from analysis import claims

    fig = _figures(cells={**_four("a", 60, 50, 50, 50), **_four("s", 2, 2, 2, 2)},
                   items={"a": ("T9.1", None), "s": ("T9.1", None)})
    # 30, 50, 75, 100 agreed of 50, 100, 150, 200: 255 of 500 (51%), expected 25.5, 51, 76.5, 102; chi-squared
    # 4.5²(1/25.5 + 1/24.5) + 1²(1/51 + 1/49) + 1.5²(1/76.5 + 1/73.5) + 2²(1/102 + 1/98) = 1.801, 3 df: p 0.615
    p = chi_squared_p([[30, 50, 75, 100], [20, 50, 75, 100]])
    assert p == pytest.approx(0.6148, abs=1e-4)
    fig.res["significance_checks"] = pd.DataFrame({"item_id": ["b"], "derived_p_min": [0.01], "derived_p_max": [0.03],
                                                   "printed_marker": ["*"]})
    lo, hi, note = claims.across_p(fig, "a", "T9.1")
    assert (lo, hi, note) == (pytest.approx(p), pytest.approx(p), "no printed test; chi-squared ")
    parts = claims.across_groups(_claim(tables="T9.1", items="a", significance="not_significant"), fig)
    assert parts == [claims.Part("A: groups alike", "holds", "no printed test; chi-squared p 0.61", "T9.1", "a",
                                 "all_respondents", 2015)]
    parts = claims.across_groups(_claim(tables="T9.1", items="a", significance="significant"), fig)
    assert (parts[0].label, parts[0].verdict) == ("A: groups differ", "does_not_hold")
    # 1, 2, 3 and 4 agreed: an expected count of 50 x 10 / 500 = 1
    with pytest.raises(FiguresError) as e:
        claims.across_p(fig, "s", "T9.1")
    assert e.value.problem == ("S (T9.1): the chi-squared test across the four groups meets feasible tables with "
                               "expected counts below 5, where the report used Fisher's exact test")
    assert e.value.rests_on == [("survey_results", "s", 2015, g) for g in GROUPS4]
    fig = _figures(cells=_four("b", 60, 50, 50, 50), items={"b": ("T9.2", None)})
    fig.res["significance_checks"] = pd.DataFrame({"item_id": ["b"], "derived_p_min": [0.01], "derived_p_max": [0.03],
                                                   "printed_marker": ["*"]})
    assert claims.across_p(fig, "b", "T9.2") == (0.01, 0.03, "printed *; rerun ")


def test_claims_rank_top_in_order_and_outside_the_top():
    from analysis import claims

    fig = _figures(cells={**_four("a", 50, 40, 40, 40), **_four("b", 60, 40, 40, 40), **_four("c", 40, 40, 40, 40)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None), "c": ("T9.1", None)},
                   results={("a", 2002, "chief_executive"): 30, ("b", 2002, "chief_executive"): 31,
                            ("c", 2002, "chief_executive"): 50})
    shown = "B 60%, A 50%, C 40%"
    parts = claims.rank(_claim(tables="T9.1", items="b;a", role_groups="chief_executive", word="top"), fig)
    assert parts == [claims.Part("CE: B; A: the top 2", "holds", shown, "T9.1", "b", "chief_executive", 2015)]
    parts = claims.rank(_claim(tables="T9.1", items="a;c", role_groups="chief_executive", word="in_order",
                               amount="2"), fig)
    assert [(p.label, p.verdict, p.item_id) for p in parts] == [("CE: A: rank 2", "holds", "a"),
                                                                ("CE: C: rank 3", "holds", "c")]
    parts = claims.rank(_claim(tables="T9.1", items="a;b", role_groups="chief_executive", word="in_order"), fig)
    assert [(p.label, p.verdict) for p in parts] == [("CE: A: rank 1", "does_not_hold"),
                                                     ("CE: B: rank 2", "does_not_hold")]
    parts = claims.rank(_claim(tables="T9.1", items="a", role_groups="chief_executive", word="outside_top",
                               survey_year=2002), fig)
    assert (parts[0].label, parts[0].verdict, parts[0].result, parts[0].survey_year) == (
        "CE: A: not in the top 1", "holds", "C 49.5–50.5%, B 30.5–31.5%, A 29.5–30.5%", 2002)
    with pytest.raises(ValueError) as e:
        claims.rank(_claim(tables="T9.1", items="a", role_groups="chief_executive", word="best"), fig)
    assert str(e.value) == "claim c1: rank reads top, in_order or outside_top, not 'best'"
    fig = _figures(profile=_profile(own_post=[60, 40, 45, 50], other_post=[40, 60, 55, 50]))
    parts = claims.rank(_claim(tables="T1.2", items="own_post", role_groups="chief_executive", word="top"), fig)
    assert (parts[0].label, parts[0].verdict, parts[0].item_id) == ("CE: own post: the top 1", "holds", None)


def test_claims_item_and_group_comparisons_over_every_row_and_by_a_margin():
    from analysis import claims

    big = (50, 1000, 1500, 2000)
    fig = _figures(cells={**_four("a", 10, 50, 55, 57, sizes=big), **_four("b", 10, 10, 10, 10, sizes=big)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None)}, sizes=big)
    fig.res["significance_checks"] = pd.DataFrame({"item_id": ["a"], "derived_p_min": [0.01], "derived_p_max": [0.03],
                                                   "printed_marker": ["*"]})
    # every row of the table where the claim names none: a printed * differs, b's 10% everywhere is alike
    parts = claims.across_groups(_claim(tables="T9.1", significance="significant"), fig)
    assert [(p.label, p.verdict) for p in parts] == [("A: groups differ", "holds"), ("B: groups differ", "does_not_hold")]
    # MD's 50% of 1,000 is significantly below CD's 57% of 2,000, but by 7 points, not 10
    parts = claims.pairwise(_claim(tables="T9.1", role_groups="medical_director", other_groups="clinical_director",
                                   direction="lower"), fig)
    assert [(p.item_id, p.verdict) for p in parts] == [("a", "holds"), ("b", "does_not_hold")]
    parts = claims.pairwise(_claim(tables="T9.1", items="a", role_groups="medical_director",
                                   other_groups="clinical_director", direction="lower", word="much"), fig)
    assert [(p.item_id, p.verdict) for p in parts] == [("a", "does_not_hold")]
    parts = claims.pairwise(_claim(tables="T9.1", items="a", role_groups="clinical_director",
                                   other_groups="medical_director", direction="higher", word="much"), fig)
    assert parts[0].verdict == "does_not_hold"
    parts = claims.items_ordering(_claim(tables="T9.1", items="a", other_items="b", role_groups="directorate_manager",
                                         survey_year=2015, direction="higher", word="much"), fig)
    assert parts[0].verdict == "holds"  # 55 against 10
    parts = claims.items_ordering(_claim(tables="T9.1", items="a", other_items="b", role_groups="chief_executive",
                                         survey_year=2015, direction="higher", word="much"), fig)
    assert parts[0].verdict == "does_not_hold"  # 10 against 10


def test_claims_across_groups_at_an_expected_count_of_5_and_the_table_named():
    from analysis import claims

    # 10% of each group: 5, 10, 15, 20 agreed, 50 of 500; the least expected count 50 x 50 / 500 = 5: chi-squared
    fig = _figures(cells={**_four("e", 10, 10, 10, 10), **_four("s", 2, 2, 2, 2)},
                   items={"e": ("T9.1", None), "s": ("T9.1", None)})
    fig.res["significance_checks"] = pd.DataFrame(columns=["item_id", "derived_p_min", "derived_p_max",
                                                           "printed_marker"])
    lo, hi, note = claims.across_p(fig, "e", "T9.1")
    assert (lo, hi, note) == (pytest.approx(1.0), pytest.approx(1.0), "no printed test; chi-squared ")
    with pytest.raises(FiguresError, match=r"^S \(T9\.1\): the chi-squared test"):
        claims.across_groups(_claim(tables="T9.1", items="s", significance="significant"), fig)


def test_claims_items_ordering_of_a_profile_tables_categories():
    from analysis import claims

    fig = _figures(profile=_profile(own_post=[60, 40, 45, 50], other_post=[40, 60, 55, 50]))
    parts = claims.items_ordering(_claim(tables="T1.2", items="own_post", other_items="other_post",
                                         role_groups="chief_executive", survey_year=2015, direction="higher"), fig)
    assert parts == [claims.Part("own post above other post", "holds", "CE: 59.5–60.5% against 39.5–40.5%", "T1.2",
                                 "own_post", "chief_executive", 2015)]


def test_claims_rank_in_each_group_named_and_outside_the_top_two():
    from analysis import claims

    fig = _figures(cells={**_four("a", 50, 40, 40, 40), **_four("b", 60, 50, 40, 40), **_four("c", 40, 60, 40, 40)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None), "c": ("T9.1", None)})
    parts = claims.rank(_claim(tables="T9.1", items="c;a", role_groups="chief_executive;medical_director",
                               word="outside_top", amount="2"), fig)
    assert [(p.label, p.verdict) for p in parts] == [("CE: C: not in the top 2", "holds"),
                                                     ("MD: C: not in the top 2", "does_not_hold")]


def test_claims_text_figures_summed_and_against_a_word():
    from analysis import claims

    fig = _figures(text={"w": (60.0, "over", "percent", "over 60%"), "r": (65.0, "around", "percent", "around 65%"),
                         "u": (70.0, "less_than", "percent", "less than 70%"), "f1": (30.0, "exact", "percent", "30%"),
                         "f2": (20.0, "exact", "percent", "20%"), "f3": (15.0, "exact", "percent", "15%")})
    # 29.5-30.5 + 19.5-20.5 + 14.5-15.5 = 63.5-66.5 (open above)
    parts = claims.figures_sum(_claim(figures="w;f1;f2;f3"), fig)
    assert parts == [claims.Part("'over 60%' from f1, f2, f3", "holds",
                                 "29.5–30.5% + 19.5–20.5% + 14.5–15.5% = 63.5–66.5%; read as over 60%")]
    assert claims.figures_sum(_claim(figures="r;f1;f2;f3"), fig)[0].verdict == "holds"  # within 62.5-67.5
    assert claims.figures_sum(_claim(figures="r;f1;f2"), fig)[0].verdict == "does_not_hold"  # 49-51
    part = claims.figures_sum(_claim(figures="u;f1;f2;f3"), fig)[0]
    assert (part.verdict, part.result.split("; ")[1]) == ("holds", "read as under 70%")
    parts = claims.figure_threshold(_claim(figures="f1", word="at_least", amount="a_third"), fig)
    assert parts == [claims.Part("30%: at least 33.3%", "does_not_hold", "29.5–30.5%")]
    assert claims.figure_threshold(_claim(figures="f1", word="rare"), fig)[0].label == "30%: under 25%"


def test_claims_shortfall_and_a_group_apart():
    from analysis import claims
    from analysis import comparisons as cmp

    fig = _figures(cells={**_four("a", 20, 50, 60, 70), **_four("b", 40, 50, 50, 52), **_four("c", 44, 50, 54, 60)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None), "c": ("T9.1", None)})
    parts = claims.shortfall(_claim(tables="T9.1", role_groups="chief_executive", items="a"), fig)
    assert parts == [claims.Part("A: CE's gap below the next group larger than on every other item", "holds",
                                 "gap 30 points; largest elsewhere 10.0 points", "T9.1", "a", "chief_executive", 2015)]
    parts = claims.shortfall(_claim(tables="T9.1", role_groups="chief_executive", items="c"), fig)
    assert (parts[0].verdict, parts[0].result) == ("does_not_hold", "gap 6 points; largest elsewhere 30.0 points")
    # the next group is the lowest of the others at each end: b's gap is 50 - 40, not 52 - 40
    fig = _figures(cells={**_four("a", 20, 50, 60, 70), **_four("b", 40, 50, 52, 51)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None)})
    parts = claims.shortfall(_claim(tables="T9.1", role_groups="chief_executive", items="b"), fig)
    assert [(p.item_id, p.verdict, p.result) for p in parts] == [("b", "does_not_hold", "gap 10 points; largest "
                                                                  "elsewhere 30.0 points")]
    v = {g: cmp.rounded(p) for g, p in zip(GROUPS4, (20, 30, 35, 40))}
    assert claims._apart(v, "chief_executive") == "depends"  # 9 to 11 below MD
    assert claims._apart({**v, "chief_executive": cmp.rounded(19)}, "chief_executive") == "holds"
    assert claims._apart({**v, "chief_executive": cmp.rounded(51)}, "chief_executive") == "holds"
    assert claims._apart({**v, "chief_executive": cmp.rounded(45)}, "chief_executive") == "does_not_hold"
    assert claims._apart({**v, "chief_executive": cmp.rounded(50)}, "chief_executive") == "depends"


def test_claims_distribution_of_a_groups_row_from_whole_counts():
    from analysis import claims

    fig = _figures(profile={**_profile(own=[60, 33, 40, 50], other=[40, 33, 60, 40]),
                            ("T1.2", "third", "medical_director"): 33})
    fig.res["role_profile"]["table_n"] = 500
    parts = claims.distribution(_claim(tables="T1.2"), fig)
    assert parts[0] == claims.Part("Table 1.2: CE's 2 shares, summing to 100%, from whole counts", "holds",
                                   "reproduced over 50–50 respondents", "T1.2", None, "chief_executive", 2015)
    # 33% of 100 is 33 only: three of them make 99, not 100
    assert parts[1] == claims.Part("Table 1.2: MD's 3 shares, summing to 99%, from whole counts", "does_not_hold",
                                   "no whole counts over 100–100 respondents reproduce them", "T1.2", None,
                                   "medical_director", 2015)
    # a table of 497 of the 500: each group's row may be over up to 3 fewer respondents; MD's three 33s: 32 each
    # over 97 and 98 (96), 33 each over 99 (33/99 rounds to 33), and over 100 none
    fig.res["role_profile"]["table_n"] = 497
    parts = claims.distribution(_claim(tables="T1.2"), fig)
    assert [(p.verdict, p.result) for p in parts[:2]] == [("holds", "reproduced over 47–50 respondents"),
                                                          ("holds", "reproduced over 99–99 respondents")]
    assert parts[3].result == "no whole counts over 197–200 respondents reproduce them"  # 50% and 40%
    # and the group furthest below the others on a category of a profile table
    fig = _figures(profile=_profile(own=[20, 60, 40, 50], other=[40, 50, 55, 45]))
    parts = claims.shortfall(_claim(tables="T1.2", role_groups="chief_executive", items="own"), fig)
    assert (parts[0].verdict, parts[0].result) == ("holds", "gap 19–21 points; largest elsewhere 6.0 points")


def _cells(rows):
    """cell_denominators rows: (item, group, percent, count, n, dmin, dmax), dmin None where none reproduces."""
    S, N = "string", "Int64"
    return pd.DataFrame([{"table_id": "T9.1", "item_id": i, "role_group": g, "percent": p, "count": c, "group_n": n,
                          "derived_denominator_min": lo, "derived_denominator_max": hi,
                          "derived_reconciles": lo is not None} for i, g, p, c, n, lo, hi in rows]).astype(
        {"table_id": S, "item_id": S, "role_group": S, "percent": N, "count": N, "group_n": N,
         "derived_denominator_min": N, "derived_denominator_max": N, "derived_reconciles": "boolean"})


def test_statistics_denominator_ranges_and_their_fallbacks():
    from analysis import statistics

    got = statistics.denominator_ranges(_cells([
        ("a", "chief_executive", 60, 30, 50, 49, 50),  # as derived
        ("b", "chief_executive", 39, 5, 20, None, None),  # 5/13 = 38.46%: 38.5% to one decimal, then 39%
        ("c", "chief_executive", 90, 5, 20, None, None),  # nothing gives 90%: every d from the count to n
        ("d", "chief_executive", 5, 0, 20, None, None)]))  # a count of 0: from 1, not 0
    assert list(zip(got.d_lo, got.d_hi)) == [(49, 50), (13, 13), (5, 20), (1, 20)]
    assert got.d_lo.dtype == np.int64 and got.d_hi.dtype == np.int64
    # 13 by brute force: the only d of 5..20 whose two-step rounding of 5/d prints 39
    two_step = [d for d in range(5, 21) if math.floor(Fraction(math.floor(Fraction(1000 * 5, d) + Fraction(1, 2)), 10)
                                                      + Fraction(1, 2)) == 39]
    assert two_step == [13]


def test_statistics_significance_checks_name_the_item_they_cannot_rerun():
    from analysis import statistics

    printed = pd.DataFrame({"table_id": ["T9.1"], "item_id": ["a"], "test": ["chi_squared"], "marker": ["n.s."]})
    rows = [("a", g, p, c, n, n, n) for g, p, c, n in zip(GROUPS4, [60, 50, 50, 50], [30, 50, 75, 100],
                                                          [50, 100, 150, 200])]
    got = statistics.significance_checks(_cells(rows), printed)
    p = chi_squared_p([[30, 50, 75, 100], [20, 50, 75, 100]])  # 1.801 on 3 df: 0.615, as worked above
    assert got.to_dict("records") == [{"table_id": "T9.1", "item_id": "a", "test": "chi_squared",
                                       "printed_marker": "n.s.", "derived_tables_tested": 1,
                                       "derived_p_min": pytest.approx(p), "derived_p_max": pytest.approx(p),
                                       "derived_markers": "n.s.", "derived_agrees": True}]
    assert p > 0.05
    # CE over 49 or 50: two tables, 30/49 = 61.2% too (chi-squared 2.228 on 3 df: p 0.526)
    rows2 = [("a", "chief_executive", 60, 30, 50, 49, 50)] + rows[1:]
    got = statistics.significance_checks(_cells(rows2), printed.assign(marker="*"))
    p49 = chi_squared_p([[30, 50, 75, 100], [19, 50, 75, 100]])
    assert p49 == pytest.approx(0.5265, abs=1e-4)
    assert (got.derived_tables_tested[0], got.derived_p_min[0], got.derived_p_max[0], got.derived_agrees[0]) == (
        2, pytest.approx(min(p, p49)), pytest.approx(max(p, p49)), False)
    # no one agreed in any group: no p-value; the cell that does not reconcile is named, else every one
    zero = [("z", g, 0, 0, n, n, n) for g, n in zip(GROUPS4, [50, 100, 150, 200])]
    printed_z = printed.assign(item_id="z")
    with pytest.raises(FiguresError) as e:
        statistics.significance_checks(_cells(zero), printed_z)
    assert e.value.problem == ("the test the report marks for z (T9.1) cannot be rerun on these counts: some "
                               "feasible table has no p-value")
    assert e.value.rests_on == [("survey_results", "z", 2015, g) for g in GROUPS4]
    zero[1] = ("z", "medical_director", 1, 0, 100, None, None)
    with pytest.raises(FiguresError) as e:
        statistics.significance_checks(_cells(zero), printed_z)
    assert e.value.rests_on == [("survey_results", "z", 2015, "medical_director")]


def test_statistics_percent_intervals_over_each_base():
    from analysis import statistics

    def envelope(c, ds):  # the widest of the hand-written Wilson intervals, in percent
        lows, highs = zip(*[wilson(c, d) for d in ds])
        return 100 * min(lows), 100 * max(highs)
    cells = _cells([("a", "chief_executive", 60, 30, 50, 49, 50)])
    bases = pd.DataFrame({"table_id": ["T9.1"] * 4, "item_id": ["a", "b", "c", "d"], "percent": [50] * 4,
                          "derived_base": ["answered", "all_respondents", "either", "neither"],
                          "derived_count_sum": [40, 41, 42, 43], "derived_denominator_sum_min": [80] * 4,
                          "derived_denominator_sum_max": [82] * 4})
    got = statistics.percent_intervals(cells, bases, 90)
    rows = {(r["item_id"], r["role_group"]): r for r in got.to_dict("records")}
    r = rows[("a", "chief_executive")]
    assert (r["derived_denominator_min"], r["derived_denominator_max"]) == (49, 50)
    # 30 of 50 gives the lower end (46.18%), 30 of 49 the upper (73.57%): to one decimal 46.2 and 73.6
    assert envelope(30, [49, 50]) == pytest.approx((46.1814, 73.5710), abs=1e-4)
    assert (r["derived_wilson_low"], r["derived_wilson_high"]) == (46.2, 73.6)
    # the Wilson envelopes (hand formula, z = 1.95996) of 40 over 80-82, 41 over 90, 42 and 43 over 80-82 or 90
    expected = {"a": ([80, 81, 82], 80, 82, 38.2609, 60.7026, 38.3, 60.7),
                "b": ([90], 90, 90, 35.6596, 55.8154, 35.7, 55.8),
                "c": ([80, 81, 82, 90], 80, 90, 36.7084, 63.0753, 36.7, 63.1),
                "d": ([80, 81, 82, 90], 80, 90, 37.7621, 64.2520, 37.8, 64.3)}
    for item, (ds, lo, hi, low, high, low1, high1) in expected.items():
        r = rows[(item, "all_respondents")]
        count = 40 + "abcd".index(item)
        assert (r["count"], r["derived_denominator_min"], r["derived_denominator_max"]) == (count, lo, hi), item
        assert envelope(count, ds) == pytest.approx((low, high), abs=1e-4), item
        assert (r["derived_wilson_low"], r["derived_wilson_high"]) == (low1, high1), item


def test_statistics_markers_at_each_level():
    from analysis import statistics

    got = statistics.marker(np.array([0.0009, 0.001, 0.0099, 0.01, 0.0499, 0.05]))
    assert got.tolist() == ["***", "**", "**", "*", "*", "n.s."]


def test_statistics_significance_checks_by_fishers_test_where_marked():
    from analysis import statistics

    printed = pd.DataFrame({"table_id": ["T9.1"], "item_id": ["f"], "test": ["fisher_exact"], "marker": ["n.s."]})
    rows = [("f", g, p, c, n, n, n) for g, p, c, n in zip(GROUPS4, [33, 67, 0, 100], [1, 2, 0, 3], [3, 3, 3, 3])]
    got = statistics.significance_checks(_cells(rows), printed)
    # a Monte Carlo estimate: (k + 1) / 200,001, not the chi-squared p of the same table
    p = got.derived_p_min[0]
    assert abs(p * 200_001 - round(p * 200_001)) < 1e-6 and got.derived_markers[0] in ("*", "n.s.")
