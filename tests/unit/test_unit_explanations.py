"""Each explanation class of the register, on a case where it reproduces the printed figure and a case, one
step away, where it does not: a register entry whose explanation has stopped holding must fail make validate."""
import pandas as pd

from analysis import explanations as ex


def test_two_step_rounding():
    # Table 2.8, chief executives: 70% (41) of 59; 41/59 = 69.49% -> 69.5 -> 70 in two steps
    assert ex.two_step_rounding(pd.Series({"count": 41, "percent": 70, "group_n": 59}), None)
    # 41/d is 69.49% at least for d up to 59: 68 is out of reach either way
    assert not ex.two_step_rounding(pd.Series({"count": 41, "percent": 68, "group_n": 59}), None)
    # 69.44% (25/36) rounds to 69.4 then 69: two steps do not reach 70
    assert not ex.two_step_rounding(pd.Series({"count": 25, "percent": 70, "group_n": 36}), None)


def test_count_off_by_one_in_a_cell_either_way():
    cell = {"rule": "count_reconciles", "percent": 51, "group_n": 59}
    assert ex.count_off_by_one(pd.Series({**cell, "count": 31}), None)  # 30/59 = 50.8% gives 51
    assert ex.count_off_by_one(pd.Series({**cell, "count": 29}), None)  # 30/59 again, from below
    assert not ex.count_off_by_one(pd.Series({**cell, "count": 33}), None)  # 32 or 34 over <= 59: 54% at least
    assert not ex.count_off_by_one(pd.Series({**cell, "count": 31, "group_n": 58}), None)  # 30/58 = 51.7% -> 52


def test_count_off_by_one_in_an_overall_column():
    overall = {"rule": "overall_reconciles", "percent": 52, "derived_denominator_sum_min": 407,
               "derived_denominator_sum_max": 410, "overall_n": 472}
    # Table 2.11: 248/472 = 52.5% -> 53, but 247/472 = 52.3% -> 52
    assert ex.count_off_by_one(pd.Series({**overall, "derived_count_sum": 248}), None)
    assert ex.count_off_by_one(pd.Series({**overall, "derived_count_sum": 246}), None)  # 247 from below
    assert not ex.count_off_by_one(pd.Series({**overall, "derived_count_sum": 260}), None)
    # over those who answered: 213/410 = 51.95% -> 52, so 212 or 214 would be one off
    answered = {**overall, "derived_denominator_sum_min": 410, "overall_n": 900}
    assert ex.count_off_by_one(pd.Series({**answered, "derived_count_sum": 214}), None)
    assert ex.count_off_by_one(pd.Series({**answered, "derived_count_sum": 212}), None)
    assert not ex.count_off_by_one(pd.Series({**answered, "derived_count_sum": 218}), None)  # 217, 219: 53%


def test_different_base():
    row = {"respondents": 472, "rate": 18, "online_recipients": 2650, "recipients_min": 3045, "recipients_max": 3319}
    assert ex.different_base(pd.Series(row), None)
    assert not ex.different_base(pd.Series({**row, "rate": 17}), None)  # 472/2,650 = 17.8% is 18, not 17
    assert not ex.different_base(pd.Series({**row, "recipients_min": 2650}), None)  # the groups allow 2,650
    assert not ex.different_base(pd.Series({**row, "recipients_min": 2000, "recipients_max": 2650}), None)
    assert ex.different_base(pd.Series({**row, "recipients_min": 2000, "recipients_max": 2649}), None)
    assert ex.different_base(pd.Series({**row, "recipients_min": 2651}), None)


def test_separately_rounded_complement():
    # Directorate managers: 9% with clinical commitments in the text, 90% without in Table 1.2, n = 132
    row = {"respondents": 132, "derived_value": 9.0, "percent": 90}
    assert ex.separately_rounded_complement(pd.Series(row), None)
    assert not ex.separately_rounded_complement(pd.Series({**row, "derived_value": 10.0}), None)  # adds to 100
    assert not ex.separately_rounded_complement(pd.Series({**row, "derived_value": 8.0}), None)  # two off
    assert not ex.separately_rounded_complement(pd.Series({**row, "derived_value": 11.0}), None)
    # n = 2: 50% and 49% cannot both be whole counts of 2
    assert not ex.separately_rounded_complement(pd.Series({"respondents": 2, "derived_value": 50.0, "percent": 49}), None)
    assert not ex.separately_rounded_complement(pd.Series({"respondents": 2, "derived_value": 49.0, "percent": 50}), None)
    # 1 of 3 is 33% and 2 of 3 is 67%: x + y = 3 = n, nobody missing, so the gap is not separate rounding
    assert not ex.separately_rounded_complement(pd.Series({"respondents": 3, "derived_value": 33.0, "percent": 66}), None)


def test_inconsistent_restatement():
    frame = pd.DataFrame({"figure_id": ["around", "exact", "elsewhere", "other_year"],
                          "item_id": ["i", "i", "j", "i"], "role_group": ["all", "all", "all", "all"],
                          "survey_year": [2015, 2015, 2015, 2002], "derived_qualifier": ["around", "exact", "exact", "exact"],
                          "derived_value": [65.0, 67.0, 65.0, 65.0], "expected": [67, 67, 65, 65]})
    assert ex.inconsistent_restatement(frame.iloc[0], frame)
    assert not ex.inconsistent_restatement(frame.iloc[0], frame.drop(index=1))  # no other exact figure agrees
    wrong = frame.copy()
    wrong.loc[1, "derived_value"] = 66.0
    assert not ex.inconsistent_restatement(frame.iloc[0], wrong)
    approx = frame.copy()
    approx.loc[1, "derived_qualifier"] = "around"
    assert not ex.inconsistent_restatement(frame.iloc[0], approx)
    assert not ex.inconsistent_restatement(frame.iloc[1], frame.iloc[[1]])  # not by itself


def test_marker_one_level_off():
    assert ex.marker_one_level_off(pd.Series({"printed_marker": "***", "derived_markers": "**"}), None)
    assert ex.marker_one_level_off(pd.Series({"printed_marker": "n.s.", "derived_markers": "*"}), None)
    assert not ex.marker_one_level_off(pd.Series({"printed_marker": "***", "derived_markers": "*"}), None)
    assert not ex.marker_one_level_off(pd.Series({"printed_marker": "**", "derived_markers": "** *"}), None)
    assert not ex.marker_one_level_off(pd.Series({"printed_marker": "**", "derived_markers": "*** *"}), None)


def test_qualifier_not_met():
    row = {"derived_qualifier": "at_least", "derived_value": 25.0, "expected": 24.0}
    assert ex.qualifier_not_met(pd.Series(row), None)
    assert not ex.qualifier_not_met(pd.Series({**row, "expected": 25.0}), None)  # now met
    assert ex.qualifier_not_met(pd.Series({**row, "derived_qualifier": "over", "expected": 25.0}), None)
    assert ex.qualifier_not_met(pd.Series({**row, "derived_qualifier": "less_than", "expected": 25.0}), None)
    assert not ex.qualifier_not_met(pd.Series({**row, "derived_qualifier": "less_than"}), None)
    assert not ex.qualifier_not_met(pd.Series({**row, "derived_qualifier": "exact"}), None)  # not a qualifier
    assert not ex.qualifier_not_met(pd.Series({**row, "derived_qualifier": "around"}), None)


def test_claim_not_supported():
    assert ex.claim_not_supported(pd.Series({"derived_holds": False}), None)
    assert not ex.claim_not_supported(pd.Series({"derived_holds": True}), None)


def test_the_explanation_classes():
    assert list(ex.EXPLAINERS) == ["two_step_rounding", "count_off_by_one", "different_base",
                                   "separately_rounded_complement", "inconsistent_restatement",
                                   "marker_one_level_off", "qualifier_not_met", "claim_not_supported"]


def test_count_off_by_one_tries_each_neighbour_apart():
    cell = {"rule": "count_reconciles"}
    # 80% of n = 5: only 4/5. From 3, one up is 4 (one down, 2/d, and two up, 5/5, are not 80%)
    assert ex.count_off_by_one(pd.Series({**cell, "count": 3, "percent": 80, "group_n": 5}), None)
    # 100% of 5 from 5 over... 4/4: the neighbour below needs a denominator below the printed count
    assert ex.count_off_by_one(pd.Series({**cell, "count": 5, "percent": 100, "group_n": 5}), None)
    overall = {"rule": "overall_reconciles", "percent": 52, "derived_denominator_sum_min": 50,
               "derived_denominator_sum_max": 50, "overall_n": 900}
    # over 50 who answered only 26 gives 52%: 25 and 27 are one off, 24 and 28 two
    assert ex.count_off_by_one(pd.Series({**overall, "derived_count_sum": 25}), None)
    assert ex.count_off_by_one(pd.Series({**overall, "derived_count_sum": 27}), None)
    assert not ex.count_off_by_one(pd.Series({**overall, "derived_count_sum": 24}), None)
    # only the bases the groups allow: 212/408 = 51.96% would do, but the groups answered 420 to 430
    wide = {**overall, "derived_denominator_sum_min": 420, "derived_denominator_sum_max": 430}
    assert not ex.count_off_by_one(pd.Series({**wide, "derived_count_sum": 213}), None)


def test_separately_rounded_complement_at_zero():
    # 0% of 100 with, 99% without: one answer missing
    assert ex.separately_rounded_complement(pd.Series({"respondents": 100, "derived_value": 0.0, "percent": 99}), None)


def test_separately_rounded_complement_needs_both_figures_possible():
    # 1% of 34 cannot be printed (0/34 = 0%, 1/34 = 2.9%); nor 25% of 41 (10/41 = 24.4%, 11/41 = 26.8%)
    assert not ex.separately_rounded_complement(pd.Series({"respondents": 34, "derived_value": 1.0, "percent": 98}), None)
    assert not ex.separately_rounded_complement(pd.Series({"respondents": 41, "derived_value": 25.0, "percent": 74}), None)
