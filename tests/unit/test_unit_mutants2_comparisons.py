"""analysis/comparisons.py, analysis/labels.py, analysis/derived.py and analysis/feasible.py on the boundaries a
one-line slip would move: interval ends, the words' amounts and their text, combining a claim's parts, the
two-group test and its fallbacks. Expected values are worked by hand (or by another formula in the test)."""
import math
import warnings
from fractions import Fraction

import pandas as pd
import pytest
from oracles import chi_squared_p

from analysis import comparisons as cmp
from analysis import derived, feasible, labels
from analysis.verdicts import DEPENDS, FAILS, HOLDS, UNDECIDABLE

# ---- Interval arithmetic: the open ends travel with the sums, ratios and complements ----


def test_interval_sum_keeps_each_open_end():
    # [0, 1) + [0, 1] = [0, 2): an end is open when either summand's end is
    assert cmp.Interval(0, 1, hi_open=True) + cmp.Interval(0, 1) == cmp.Interval(0, 2, hi_open=True)
    assert cmp.Interval(0, 1) + cmp.Interval(0, 1, lo_open=True) == cmp.Interval(0, 2, lo_open=True)
    assert cmp.Interval(0, 1, lo_open=True) + cmp.Interval(0, 1) == cmp.Interval(0, 2, lo_open=True)
    assert cmp.Interval(0, 1) + cmp.Interval(0, 1) == cmp.Interval(0, 2, False, False)


def test_interval_ratio_and_complement_keep_their_open_ends():
    # [1, 2) / [1, 2] = [1/2, 2): the upper end comes from the numerator's open upper end
    assert cmp.Interval(1, 2, hi_open=True) / cmp.Interval(1, 2) == cmp.Interval(Fraction(1, 2), 2, hi_open=True)
    # 100 - (10, 20] = [80, 90): an open lower end becomes an open upper end
    assert cmp.Interval(10, 20, lo_open=True).complement() == cmp.Interval(80, 90, hi_open=True)


def test_interval_errors_say_what_is_wrong():
    with pytest.raises(ValueError) as e:
        cmp.Interval(2, 1)
    assert str(e.value).startswith("an empty interval: Interval(lo=Fraction(2, 1), hi=Fraction(1, 1)")
    with pytest.raises(ValueError) as e:
        cmp.Interval(1, 2) / cmp.Interval(0, 1)
    assert str(e.value) == "a ratio of positive intervals only"


# ---- relations and words ----


def test_at_least_with_the_amount_as_the_closed_upper_end_depends():
    # [1, 5] >= 5 is true at 5 only: it depends; [1, 5) >= 5 is never true
    assert cmp.at_least(cmp.Interval(1, 5), 5) == DEPENDS
    assert cmp.at_least(cmp.Interval(1, 5, hi_open=True), 5) == FAILS


def test_negation_of_depends_and_undecidable_is_itself():
    assert cmp.negation(HOLDS) == FAILS and cmp.negation(FAILS) == HOLDS
    assert cmp.negation(DEPENDS) == DEPENDS
    assert cmp.negation(UNDECIDABLE) == UNDECIDABLE


def test_amount_of_an_empty_cell_a_decimal_and_a_whole_number():
    assert cmp.amount("") is None and cmp.amount(None) is None
    # a decimal is read by its shortest float: 0.30000000000000001 is the float 0.3, so 3/10
    assert cmp.amount("0.30000000000000001") == Fraction(3, 10)
    assert cmp.amount("2.5") == Fraction(5, 2)
    # a whole number is read exactly, beyond what a float holds (2**53 + 1)
    assert cmp.amount("9007199254740993") == 2 ** 53 + 1
    assert cmp.amount("two_thirds") == Fraction(200, 3)


def test_reading_text_of_almost_and_much():
    # almost 50%: 47.5% up to, not including, 50%; much: 10 points or more (the word's own amount)
    assert cmp.reading_text("almost", 50) == "47.5% to under 50%"
    assert cmp.reading_text("much") == "10 points or more"
    assert cmp.reading_text("much", 15) == "15 points or more"


def test_reads_names_a_word_with_no_relation(monkeypatch):
    monkeypatch.setitem(cmp.WORDS, "sideways", cmp.Reading("sideways", "no reading", "sideways"))
    with pytest.raises(KeyError) as e:
        cmp.reads("sideways", cmp.point(1), 1)
    assert e.value.args == ("sideways",)


def test_significance_at_exactly_five_percent():
    # the report's level: significant is p < 0.05, not significant p >= 0.05; p = 1/20 exactly is not significant
    a = Fraction(1, 20)
    assert cmp.significance(a, a, significant=True) == FAILS
    assert cmp.significance(0.01, a, significant=True) == DEPENDS
    assert cmp.significance(a, 0.5, significant=False) == HOLDS
    assert cmp.significance(0.01, a, significant=False) == DEPENDS


# ---- combining parts ----


def test_combine_with_no_parts_says_so():
    with pytest.raises(ValueError) as e:
        cmp.combine([])
    assert str(e.value) == "a claim with no parts"


def test_combine_most_with_undecidable_parts():
    # most of 3 needs 2. Two undecidable and one failing: the two could hold, so it is undecidable, not failed
    assert cmp.combine([UNDECIDABLE, UNDECIDABLE, FAILS], "most") == UNDECIDABLE
    # two that depend already reach 2 whatever the undecidable one is: it depends
    assert cmp.combine([DEPENDS, DEPENDS, UNDECIDABLE], "most") == DEPENDS
    # one undecidable and two failing cannot reach 2
    assert cmp.combine([UNDECIDABLE, FAILS, FAILS], "most") == FAILS


# ---- rankings ----


def test_ranks_second_place_when_the_one_other_item_may_be_above():
    # a = 50; o is 40..60, so it may be above a or not: a second depends, a first depends too
    values = {"a": cmp.point(50), "o": cmp.Interval(40, 60)}
    assert cmp.ranks(values, ["a"], start=2) == DEPENDS
    assert cmp.ranks(values, ["a"], start=1) == DEPENDS
    # o = 70 is certainly above a: a is second, not first, not third
    values = {"a": cmp.point(50), "o": cmp.point(70)}
    assert cmp.ranks(values, ["a"], start=2) == HOLDS
    assert cmp.ranks(values, ["a"], start=3) == FAILS


def test_outside_top_two_with_one_item_surely_and_one_maybe_above():
    values = {"x": cmp.point(50), "a": cmp.point(60), "b": cmp.Interval(40, 60)}
    assert cmp.outside_top(values, "x", 2) == DEPENDS  # a above, b may be
    values = {"x": cmp.point(50), "a": cmp.point(60), "b": cmp.point(40)}
    assert cmp.outside_top(values, "x", 2) == FAILS    # only a above
    assert cmp.outside_top(values, "x", 1) == HOLDS


# ---- aggregates ----


def test_median_interval_of_five():
    # lower ends 1, 2, 3, 4, 5 and upper ends 11..15: the medians are 3 and 13
    intervals = [cmp.Interval(lo, lo + 10) for lo in (5, 1, 4, 2, 3)]
    assert cmp.median_interval(intervals) == cmp.Interval(3, 13)


def test_distributions_over_a_denominator_of_one():
    # one respondent: 100% and 0% is 1 and 0 of 1
    assert cmp.distributions([100, 0], 1, 1) == [(1, (1, 0))]
    assert cmp.distributions([100, 0], 0, 1) == [(1, (1, 0))]


# ---- the two-group test ----


def test_two_by_two_p_at_an_expected_count_of_exactly_five_is_chi_squared():
    # 8 of 20 against 2 of 20: the smallest expected count is 20 x 10 / 40 = 5, not below 5: chi-squared 4.8
    p = cmp.two_by_two_p(8, 20, 2, 20)
    assert p[0] == pytest.approx(chi_squared_p([[8, 2], [12, 18]]), rel=1e-9)
    assert p[0] == pytest.approx(math.erfc(math.sqrt(2.4)), rel=1e-9)


def test_two_by_two_p_with_one_agreeing_or_one_not_is_fishers():
    # 1 of 5 against 0 of 5: the lone agreeing respondent is in either group with chance 1/2: two-sided p is 1
    assert cmp.two_by_two_p(1, 5, 0, 5)[0] == pytest.approx(1.0)
    # and its mirror, 5 of 5 against 4 of 5: one did not agree
    assert cmp.two_by_two_p(5, 5, 4, 5)[0] == pytest.approx(1.0)
    # chi-squared would say otherwise (p about 0.29), so this is the exact test
    assert chi_squared_p([[1, 0], [4, 5]]) < 0.3


def test_two_by_two_p_on_counts_of_a_million():
    # 500,000 and 501,000 of 1,000,000 each: the products pass 2**63, so they must be taken as floats
    p = cmp.two_by_two_p(500_000, 1_000_000, 501_000, 1_000_000)
    assert p[0] == pytest.approx(chi_squared_p([[500_000, 501_000], [500_000, 499_000]]), rel=1e-6)


def test_two_by_two_p_where_no_one_or_everyone_agreed_warns_of_nothing():
    # 0 of 5 against 0 of 7, and 5 of 5 against 7 of 7: no difference, p is 1, and 0/0 is no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = cmp.two_by_two_p([0, 5, 0], [5, 5, 0], [0, 7, 0], [7, 7, 0])
    assert p[:2].tolist() == [1.0, 1.0]


# ---- labels.attach: the label columns and the printed order ----


def test_labels_attach_keeps_a_dimensions_own_columns_and_no_index_column():
    # items is itself the source of item_order: its own values stay even where res holds another items frame
    # columns given out of the schema's order, and an extra one the schema has not, so that the order and the
    # selection asserted below are attach's own doing
    items = pd.DataFrame({"row_label": ["B", "A"], "table_id": ["T2.1", "T2.1"], "extra": [0, 0],
                          "item_order": [2, 1], "item_id": ["b_item", "a_item"]}, index=[7, 3])
    other = items.assign(item_order=[1, 2])
    out = labels.attach("items", items, {"items": other})
    assert out["item_id"].tolist() == ["a_item", "b_item"] and out["item_order"].tolist() == [1, 2]
    # the schema's columns in its order (schemas/items.json: item_id, item_order, table_id, row_number, row_label,
    # ...; of these, the four the frame has), and a fresh 0..n-1 index (no left-over index column)
    assert list(out.columns) == ["item_id", "item_order", "table_id", "row_label"]
    assert out.index.tolist() == [0, 1]


def test_labels_attach_orders_cells_by_item_wave_then_role_group():
    res = {"items": pd.DataFrame({"item_id": ["x", "y"], "item_order": [1, 2], "row_label": ["X", "Y"]}),
           "role_groups": pd.DataFrame({"role_group": ["ce", "md"], "column_label": ["CE", "MD"],
                                        "sort_order": [1, 2]}),
           "survey_waves": pd.DataFrame({"survey_year": [2002, 2015], "label": ["2002", "2015"]})}
    df = pd.DataFrame({"item_id": ["y", "x", "x", "x"], "survey_year": [2015, 2002, 2015, 2015],
                       "role_group": ["ce", "ce", "md", "ce"], "percent": [1, 2, 3, 4]}, index=[10, 11, 12, 13])
    out = labels.attach("survey_results", df, res)
    # x before y; within x, 2015 before 2002; within x 2015, CE before MD
    assert out["percent"].tolist() == [4, 3, 2, 1]
    assert out["role_group_label"].tolist() == ["CE", "MD", "CE", "CE"]
    assert "index" not in out.columns and out.index.tolist() == [0, 1, 2, 3]


# ---- derived.overall_bases: one row per item, on a fresh index ----


def test_derived_overall_bases_has_no_left_over_index_column():
    # item q: printed 50% overall; the two groups' counts 3 of 6 and 2 of 4 are 5 of 10 answered, 5 of 10 in all
    results = pd.DataFrame({"table_id": ["T9", "T9"], "item_id": ["q", "q"], "survey_year": [2002, 2015],
                            "role_group": ["all_respondents"] * 2, "percent": [40, 50]}, index=[5, 6])
    cells = pd.DataFrame({"item_id": ["q", "q"], "count": [3, 2], "group_n": [6, 4],
                          "derived_denominator_min": [6, 4], "derived_denominator_max": [6, 4]})
    out = derived.overall_bases(results, cells, 10)
    # schemas/overall_bases.json's columns in its order, without the labels attach() adds later (item_order first,
    # item_wording after item_id)
    assert list(out.columns) == [
        "table_id", "item_id", "percent", "derived_count_sum", "derived_denominator_sum_min",
        "derived_denominator_sum_max", "derived_percent_over_answered_min", "derived_percent_over_answered_max",
        "derived_percent_over_all", "derived_answered_reproduces", "derived_all_respondents_reproduces",
        "derived_base"]
    assert out.index.tolist() == [0]
    assert out.loc[0, "derived_count_sum"] == 5 and out.loc[0, "derived_base"] == "either"


# ---- feasible.Figures: text figures, 2002 figures and the rows of several tables ----


def _figures(**attributes):
    fig = feasible.Figures.__new__(feasible.Figures)  # the few frames a case reads, not a whole build
    fig.answered_base = False
    fig.__dict__.update(attributes)
    return fig


def test_feasible_text_figure_a_count_is_exact_and_a_percentage_its_rounding():
    fig = _figures(figures={"n": {"derived_value": "12", "derived_qualifier": "exact", "unit": "count"},
                            "p": {"derived_value": "12", "derived_qualifier": "exact", "unit": "percent"}})
    assert fig.figure("n") == cmp.Interval(12, 12)
    assert fig.figure("p") == cmp.Interval(Fraction(23, 2), Fraction(25, 2), hi_open=True)


def test_feasible_2002_figure_with_a_count_but_no_denominator_is_its_printed_percentage():
    row = {"paper_2003_count": 5, "paper_2003_denominator": None, "percent": 40, "compares_as": "as_printed"}
    fig = _figures(results={("q", 2002, "ce"): row})
    assert fig.value("T2.1", "q", "ce", 2002) == cmp.Interval(Fraction(79, 2), Fraction(81, 2), hi_open=True)
    row = {"paper_2003_count": 5, "paper_2003_denominator": 20, "percent": 25, "compares_as": "as_printed"}
    fig = _figures(results={("q", 2002, "ce"): row})
    assert fig.value("T2.1", "q", "ce", 2002) == cmp.Interval(25, 25)


def test_feasible_keys_of_a_table_and_a_profile_table_together():
    res = {"items": pd.DataFrame({"table_id": ["T2.1", "T2.1"], "item_id": ["b", "a"], "item_order": [2, 1]}),
           "role_profile": pd.DataFrame({"table_id": ["T1.1"] * 3, "category_id": ["k1", "k2", "k1"]})}
    fig = _figures(res=res)
    assert fig.keys(["T2.1", "T1.1"], []) == [("T2.1", "a"), ("T2.1", "b"), ("T1.1", "k1"), ("T1.1", "k2")]
