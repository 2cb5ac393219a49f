"""Small synthetic tables that put a value on each boundary the rules, the claims and the tests decide: exactly
at a threshold, one under, one over; a p-value range straddling alpha; a text figure that is not exact. A
comparison turned the other way, or made strict where it was not, fails here."""
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis import change, claims, rules, statistics
from pipeline import tidy


def rule(name):
    return next(r for r in rules.RULES if r.name == name)


def decide(name, **columns) -> list[bool]:
    return rule(name).passes(pd.DataFrame(columns)).astype(bool).tolist()


# ---- the rules' comparisons ----

def test_text_agrees_at_each_qualifier_boundary():
    q, v, e, ok = zip(*[
        ("exact", 60, 60, True), ("exact", 60, 61, False), ("exact", 60, 59, False),
        ("around", 60, 61, True), ("around", 60, 59, True), ("around", 60, 62, False), ("around", 60, 58, False),
        ("over", 60, 61, True), ("over", 60, 60, False), ("over", 60, 59, False),  # 'over 60%': more than 60
        ("less_than", 60, 59, True), ("less_than", 60, 60, False), ("less_than", 60, 61, False),
        ("at_least", 25, 25, True), ("at_least", 25, 26, True), ("at_least", 25, 24, False),
        ("roughly", 60, 60, False),  # a qualifier no rule knows never agrees
    ])
    d = pd.DataFrame({"derived_qualifier": q, "derived_value": np.array(v, float), "expected": np.array(e, float)})
    assert rules.text_agrees(d).astype(bool).tolist() == list(ok)


def test_overall_within_one_point_of_the_group_range():
    assert decide("overall_within_group_range", percent=[39, 40, 61, 62, 50], low=[41] * 5, high=[60] * 5) == [
        False, True, True, False, True]


def test_distribution_sums_within_what_rounding_k_categories_allows():
    # k categories each rounded half up are off by more than -1/2 and at most +1/2: the total by more than
    # -k/2 and at most k/2. Four categories: 99 to 102; three: 99 to 101.
    assert decide("distribution_sums_to_100", total=[98, 99, 100, 102, 103], k=[4] * 5) == [
        False, True, True, True, False]
    assert decide("distribution_sums_to_100", total=[98, 99, 101, 102], k=[3] * 4) == [False, True, True, False]


def test_choices_at_most_three_per_respondent():
    assert decide("choices_within_limit", chosen=[176, 177, 178], limit=[3] * 3, n=[59] * 3) == [True, True, False]


def test_column_n_equals_respondents():
    assert decide("group_n_matches_respondents", low=[59, 58, 59], high=[59, 59, 60], respondents=[59] * 3) == [
        True, False, False]


def test_share_rounds_half_up():
    # 59 of 472 is 12.5%: printed 13 reproduces, 12 does not
    assert decide("share_reproduces", part=[59, 59], whole=[472, 472], share=[13, 12]) == [True, False]


def test_respondents_and_participants_add_up_exactly():
    assert decide("respondents_add_up", parts=[472, 471], whole=[472, 472]) == [True, False]
    assert decide("participants_add_up", total=[10, 10, 11], title_n=[10, 10, 10], people=[10, 11, 10]) == [
        True, False, False]


def test_a_cell_or_overall_figure_that_does_not_reconcile_fails():
    assert decide("count_reconciles", derived_reconciles=pd.array([True, False, pd.NA], dtype="boolean")) == [
        True, False, False]
    assert decide("overall_reconciles", derived_base=["either", "answered", "all_respondents", "neither"]) == [
        True, True, True, False]
    assert decide("significance_reproduces", derived_agrees=pd.array([True, False, pd.NA], dtype="boolean")) == [
        True, False, False]


# ---- the tests behind the figures ----

def test_markers_at_each_level():
    p = np.array([0.0009999, 0.001, 0.0099999, 0.01, 0.0499999, 0.05, 0.5])
    assert statistics.marker(p).tolist() == ["***", "**", "**", "*", "*", "n.s.", "n.s."]


def test_verdict_at_alpha():
    assert change.verdict(0.001, 0.0499) == "significant"
    assert change.verdict(0.001, 0.05) == "depends_on_denominators"  # p_max not below alpha
    assert change.verdict(0.0499, 0.2) == "depends_on_denominators"
    assert change.verdict(0.05, 0.2) == "not_significant"  # p_min at alpha is not significant


# ---- the claims ----

def claim(**values):
    base = {"item_id": "i", "table_id": "T2.1", "role_groups": "a;b", "survey_year": 2015, "low": None, "high": None}
    return SimpleNamespace(**{**base, **values})


def change_res(p_min, p_max):
    return {"change_tests": pd.DataFrame({
        "item_id": ["i", "i", "i"], "assumption": ["default", "default", "missing_0"], "role_group": ["a", "b", "a"],
        "percent_2002": [40, 40, 40], "percent_2015": [60, 60, 60], "derived_p_min": [p_min, 0.001, 0.9],
        "derived_p_max": [p_max, 0.002, 0.9]})}


@pytest.mark.parametrize("p_min,p_max,significant,not_significant", [
    (0.001, 0.0499, True, False),
    (0.001, 0.05, False, False),   # straddles alpha: neither claim holds
    (0.0499, 0.2, False, False),
    (0.05, 0.2, False, True),
])
def test_change_claims_decided_on_the_whole_p_range(p_min, p_max, significant, not_significant):
    assert claims.change(True)(claim(role_groups="a"), change_res(p_min, p_max))[0] is significant
    assert claims.change(False)(claim(role_groups="a"), change_res(p_min, p_max))[0] is not_significant


def test_a_change_claim_over_several_groups_needs_every_group():
    res = change_res(0.001, 0.01)
    held, text = claims.change(True)(claim(role_groups="a;b"), res)
    assert held and text == "a: 40% to 60%, p 0.001 to 0.01; b: 40% to 60%, p 0.001 to 0.002"
    assert not claims.change(True)(claim(role_groups="a;b"), change_res(0.001, 0.06))[0]
    assert not claims.change(False)(claim(role_groups="a;b"), change_res(0.9, 0.95))[0]  # b is significant


def ratio_res(now, was):
    return {"survey_results": pd.DataFrame({
        "item_id": ["i"] * 4 + ["j"], "role_group": ["a", "a", "b", "b", "a"], "survey_year": [2015, 2002] * 2 + [2015],
        "derived_percent_on_item_wording": [now, was, 30, 10, 99]})}


@pytest.mark.parametrize("now,was,holds", [(25, 10, True), (24, 10, False), (35, 10, True), (36, 10, False)])
def test_ratio_between_its_bounds_inclusive(now, was, holds):
    held, text = claims.ratio(claim(role_groups="a;b", low=2.5, high=3.5), ratio_res(now, was))
    assert held is holds
    assert text == f"a: {now}% / {was}% = {now / was:.2f}; b: 30% / 10% = 3.00 (claimed 2.5 to 3.5)"


def extreme_res():
    return {"survey_results": pd.DataFrame({
        "item_id": ["i"] * 6 + ["j"], "survey_year": [2015] * 5 + [2002, 2015],
        "role_group": ["a", "b", "c", "d", "all_respondents", "a", "a"],
        "printed_in": ["table"] * 4 + ["table", "table", "table"], "percent": [72, 72, 50, 64, 99, 1, 1]})}


def test_highest_and_lowest_with_ties_and_the_overall_column_left_out():
    res = extreme_res()
    highest, lowest = claims.extreme(True), claims.extreme(False)
    assert highest(claim(role_groups="a"), res) == (True, "a 72%, b 72%, c 50%, d 64%")
    assert highest(claim(role_groups="a;b"), res)[0] and not highest(claim(role_groups="d"), res)[0]
    assert lowest(claim(role_groups="c"), res)[0] and not lowest(claim(role_groups="a"), res)[0]
    assert highest(claim(role_groups="a", survey_year=2002), res) == (True, "a 1%")  # 2002: only a is printed


def significance_res(p_max):
    return {"significance_checks": pd.DataFrame({
        "item_id": ["i", "k", "m"], "table_id": ["T2.2", "T2.2", "T2.3"], "derived_p_max": [0.001, p_max, 0.9],
        "printed_marker": ["***", "*", "n.s."]})}


def test_groups_differ_only_when_every_item_is_below_alpha():
    assert claims.groups_differ(claim(item_id=None, table_id="T2.2"), significance_res(0.0499)) == (
        True, "2 items; rerun p at most 0.05; printed markers *, ***")
    assert not claims.groups_differ(claim(item_id=None, table_id="T2.2"), significance_res(0.05))[0]
    assert claims.groups_differ(claim(item_id="i"), significance_res(0.05)) == (
        True, "1 items; rerun p at most 0.001; printed markers ***")
    assert claims.groups_differ(claim(item_id=None, table_id="T2.9"), significance_res(0.05)) == (
        False, "no printed significance test for these items")


@pytest.mark.parametrize("missing,holds,text", [
    (5.49, True, "median share of missing answers over 3 group cells: 1.0% to 5.5%, at most 5% in whole percent"),
    (5.5, False, "median share of missing answers over 3 group cells: 1.0% to 5.5%, at most 6% in whole percent"),
])
def test_missing_share_rounds_the_median_half_up(missing, holds, text):
    res = {"cell_denominators": pd.DataFrame({
        "group_n": [100.0] * 4, "derived_missing_min": [1.0, 1.0, 1.0, None],
        "derived_missing_max": [0.0, missing, 50.0, None], "note": [None, "x", "y", "z"]})}
    assert claims.missing_share(claim(high=5), res) == (holds, text + " (claimed at most 5%)")


def test_missing_share_rounds_half_up_not_to_even():
    # a median of 4.5% is 5% in whole percent (rounding half to even would give 4%, and the claim would hold)
    res = {"cell_denominators": pd.DataFrame({"group_n": [100.0] * 3, "derived_missing_min": [1.0] * 3,
                                              "derived_missing_max": [0.0, 4.5, 9.0]})}
    held, text = claims.missing_share(claim(high=4), res)
    assert not held and "at most 5% in whole percent" in text


# ---- what counts as a figure ----

def test_only_exact_text_figures_become_rows_of_survey_results():
    def figure(fid, text, role="medical_director", year="2002"):
        return {"figure_id": fid, "item_id": "i", "survey_year": year, "role_group": role, "unit": "percent",
                "value_text": text, "compares_as": "", "_path": "text_figures.csv", "_row": 2}
    t = SimpleNamespace(text_figures=[figure("f1", "27%"), figure("f2", "Around 27%", "clinical_director"),
                                      figure("f3", "over 30%", "chief_executive"),
                                      figure("f4", "40%", "directorate_manager", "2015")])
    rows = tidy._text_rows(t, {("i", 2015, "directorate_manager")}, {"i": "T2.1"})
    assert [(r["figure_id"], r["percent"], r["cell_text"]) for r in rows] == [("f1", 27, "27%")]
    assert rows[0]["printed_in"] == "text" and rows[0]["compares_as"] == "same"
