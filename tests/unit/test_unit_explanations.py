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


def test_marker_one_level_off():
    assert ex.marker_one_level_off(pd.Series({"printed_marker": "***", "derived_markers": "**"}), None)
    assert ex.marker_one_level_off(pd.Series({"printed_marker": "n.s.", "derived_markers": "*"}), None)
    assert not ex.marker_one_level_off(pd.Series({"printed_marker": "***", "derived_markers": "*"}), None)
    assert not ex.marker_one_level_off(pd.Series({"printed_marker": "**", "derived_markers": "** *"}), None)
    assert not ex.marker_one_level_off(pd.Series({"printed_marker": "**", "derived_markers": "*** *"}), None)


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


def test_text_one_point_off():
    row = {"derived_qualifier": "exact", "derived_value": 9.0, "prints_as": "10", "prints_over_group": ""}
    assert ex.text_one_point_off(pd.Series(row), None)
    assert not ex.text_one_point_off(pd.Series({**row, "derived_value": 8.0}), None)  # two points off
    assert not ex.text_one_point_off(pd.Series({**row, "derived_value": 10.0}), None)  # it prints so
    assert not ex.text_one_point_off(pd.Series({**row, "prints_over_group": "9"}), None)  # over the group it does
    assert ex.text_one_point_off(pd.Series({**row, "prints_as": "10,11", "prints_over_group": "8"}), None)
    # several percentages over the group: 9 is one from 8 and 10, and printed over the group as 9
    assert not ex.text_one_point_off(pd.Series({**row, "prints_over_group": "8,9"}), None)
    assert ex.text_one_point_off(pd.Series({**row, "prints_over_group": "11,12"}), None)
    assert not ex.text_one_point_off(pd.Series({**row, "derived_qualifier": "around"}), None)


def test_inconsistent_restatement():
    frame = pd.DataFrame({"figure_id": ["around", "exact", "elsewhere", "other_year"],
                          "item_id": ["i", "i", "j", "i"], "role_group": ["all", "all", "all", "all"],
                          "survey_year": [2015, 2015, 2015, 2002],
                          "derived_qualifier": ["around", "exact", "exact", "exact"],
                          "verdict": ["does_not_hold", "holds", "holds", "holds"]})
    assert ex.inconsistent_restatement(frame.iloc[0], frame)
    assert not ex.inconsistent_restatement(frame.iloc[0], frame.drop(index=1))  # no other exact figure holds
    wrong = frame.copy()
    wrong.loc[1, "verdict"] = "does_not_hold"
    assert not ex.inconsistent_restatement(frame.iloc[0], wrong)
    approx = frame.copy()
    approx.loc[1, "derived_qualifier"] = "around"
    assert not ex.inconsistent_restatement(frame.iloc[0], approx)
    assert not ex.inconsistent_restatement(frame.iloc[1], frame.iloc[[1]])  # not by itself


def test_qualifiers_not_met_or_depending():
    for verdict, met, depends in [("does_not_hold", True, False), ("depends", False, True), ("holds", False, False)]:
        row = pd.Series({"derived_qualifier": "at_least", "verdict": verdict})
        assert (ex.qualifier_not_met(row, None), ex.qualifier_depends(row, None)) == (met, depends), verdict
        exact = pd.Series({"derived_qualifier": "exact", "verdict": verdict})
        assert not ex.qualifier_not_met(exact, None) and not ex.qualifier_depends(exact, None)


def test_claims_explained_while_their_verdict_stands():
    for verdict in ["holds", "does_not_hold", "holds_in_part", "depends"]:
        row = pd.Series({"derived_verdict": verdict})
        assert [ex.claim_not_supported(row, None), ex.claim_holds_in_part(row, None), ex.claim_depends(row, None)] == [
            verdict == "does_not_hold", verdict == "holds_in_part", verdict == "depends"]


def test_the_explanation_classes_and_their_severity():
    assert ex.SEVERITY == {
        "two_step_rounding": "rounding", "qualifier_depends": "rounding", "claim_depends": "rounding",
        "count_off_by_one": "slip", "inconsistent_restatement": "slip", "qualifier_not_met": "slip",
        "text_one_point_off": "slip", "different_base": "method", "marker_one_level_off": "method",
        "many_missing_answers": "method", "claim_not_supported": "conclusion", "claim_holds_in_part": "conclusion"}
    assert sorted(ex.EXPLAINERS) == sorted(ex.SEVERITY)


def test_many_missing_answers_beyond_the_reports_own_most():
    # The report's own cells imply at most 27 of 132 missing (20.45%): 28 of 132 is more, 27 of 132 is not.
    assert ex.many_missing_answers(pd.Series({"derived_missing_min": 28, "group_n": 132}), None)
    assert not ex.many_missing_answers(pd.Series({"derived_missing_min": 27, "group_n": 132}), None)
    # 13 of 59 = 22.0% is more than 27/132, 12 of 59 = 20.3% is not
    assert ex.many_missing_answers(pd.Series({"derived_missing_min": 13, "group_n": 59}), None)
    assert not ex.many_missing_answers(pd.Series({"derived_missing_min": 12, "group_n": 59}), None)
