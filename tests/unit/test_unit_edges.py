"""Small synthetic tables that put a value on each boundary the rules, the claims and the tests decide: exactly
at a threshold, one under, one over; a p-value range straddling alpha; a text figure that is not exact. A
comparison turned the other way, or made strict where it was not, fails here."""
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis import change, rules, statistics
from analysis import comparisons as cmp
from pipeline import tidy


def rule(name):
    return next(r for r in rules.RULES if r.name == name)


def decide(name, **columns) -> list[bool]:
    return rule(name).passes(pd.DataFrame(columns)).astype(bool).tolist()


# ---- the rules' comparisons ----

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


# ---- the claims and the text's qualifiers (analysis/comparisons.py) ----

# The verdicts as the published claims spell them (the enum of derived_verdict in schemas/claims.json)
H, F, D = "holds", "does_not_hold", "depends"


def test_relations_exactly_at_the_threshold_and_either_side():
    at, above_, below_ = cmp.point(60), cmp.point(61), cmp.point(59)
    assert [cmp.above(v, 60) for v in (below_, at, above_)] == [F, F, H]  # 'over 60%': more than 60
    assert [cmp.at_least(v, 60) for v in (below_, at, above_)] == [F, H, H]
    assert [cmp.below(v, 60) for v in (below_, at, above_)] == [H, F, F]
    assert [cmp.at_most(v, 60) for v in (below_, at, above_)] == [H, H, F]
    assert cmp.within(cmp.point(57.5), 57.5, 62.5) == H and cmp.within(cmp.point(62.5), 57.5, 62.5) == H
    assert cmp.within(cmp.point(57), 57.5, 62.5) == F and cmp.within(cmp.point(63), 57.5, 62.5) == F


def test_a_range_that_straddles_the_threshold_depends():
    v = cmp.Interval(59, 61)
    assert (cmp.above(v, 60), cmp.at_least(v, 60), cmp.below(v, 60), cmp.at_most(v, 60)) == (D, D, D, D)
    # an open end at the threshold: 60 is not among the values, so 'over 60' holds and 'at most 60' fails
    assert cmp.above(cmp.Interval(60, 61, lo_open=True), 60) == H
    assert cmp.at_most(cmp.Interval(60, 61, lo_open=True), 60) == F
    assert cmp.at_least(cmp.Interval(59, 60, hi_open=True), 60) == F


def test_a_printed_percentage_is_every_value_that_rounds_half_up_to_it():
    assert cmp.rounded(60) == cmp.Interval(59.5, 60.5, hi_open=True)
    assert cmp.roundings(cmp.rounded(60)) == {60}
    assert cmp.roundings(cmp.Interval(59.5, 60.5)) == {60, 61}  # 60.5 itself prints as 61
    assert cmp.roundings(cmp.counted(42, 58, 58)) == {72}  # Table 2.1, chief executives: 42 of 58
    assert cmp.rounded(100) == cmp.Interval(99.5, 100)  # never above 100


@pytest.mark.parametrize("p_min,p_max,significant,not_significant", [
    (0.001, 0.0499, H, F),
    (0.001, 0.05, D, D),   # straddles alpha
    (0.0499, 0.2, D, D),
    (0.05, 0.2, F, H),     # p at alpha is not significant
])
def test_significance_decided_on_the_whole_p_range(p_min, p_max, significant, not_significant):
    assert cmp.significance(p_min, p_max, True) == significant
    assert cmp.significance(p_min, p_max, False) == not_significant


def test_the_words_at_their_bounds():
    # 'roughly trebled': 2.5 to 3.5 times, ends included
    assert [cmp.reads("roughly_times", cmp.point(x), 3) for x in (2.4, 2.5, 3.5, 3.6)] == [F, H, H, F]
    # 'around 65%': 62.5 to 67.5
    assert [cmp.reads("around", cmp.point(x), 65) for x in (62.4, 62.5, 67.5, 67.6)] == [F, H, H, F]
    assert [cmp.reads("majority", cmp.point(x)) for x in (50, 50.1)] == [F, H]
    assert [cmp.reads("many", cmp.point(x)) for x in (24.9, 25)] == [F, H]
    assert [cmp.reads("almost", cmp.point(x), 50) for x in (47.4, 47.5, 49.9, 50)] == [F, H, H, F]
    assert [cmp.reads("almost_times", cmp.point(x), 2) for x in (1.4, 1.5, 1.9, 2)] == [F, H, H, F]
    assert [cmp.reads("much", cmp.point(x)) for x in (9.9, 10)] == [F, H]
    assert cmp.AMOUNTS["a_quarter"] == 25 and cmp.reads("at_least", cmp.point(25), cmp.AMOUNTS["a_quarter"]) == H
    assert cmp.reads("under", cmp.point(25), 25) == F


def test_parts_combined_by_their_quantifier():
    assert cmp.combine([H, H]) == H and cmp.combine([H, D]) == D and cmp.combine([H, F]) == "holds_in_part"
    assert cmp.combine([F, F]) == F
    assert cmp.combine([H, H, F], "most") == H and cmp.combine([H, F, F], "most") == F
    assert cmp.combine([H, D, F], "most") == D
    assert cmp.combine([F, F, F, H], "some") == H and cmp.combine([F, F], "some") == F


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
