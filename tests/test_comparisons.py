"""The vocabulary the claims are decided with (analysis/comparisons.py): feasible ranges, one reading of each
word with its boundary cases (exactly at, one under, one over), quantifiers and tests, on hand-worked cases."""
from fractions import Fraction as F

import pytest
from oracles import fisher_p

from analysis import comparisons as cmp
from analysis.comparisons import DEPENDS, FAILS, HOLDS, IN_PART, UNDECIDABLE, Interval

pt = cmp.point
EPS = F(1, 100)  # 'one under' and 'one over' a boundary: a hundredth of a point


# --- feasible ranges ---------------------------------------------------------------------------------

def test_a_printed_whole_percent_stands_for_half_a_point_either_side():
    assert cmp.rounded(8) == Interval(F(15, 2), F(17, 2), hi_open=True)
    assert cmp.rounded(0) == Interval(0, F(1, 2), hi_open=True)
    assert cmp.rounded(100) == Interval(F(199, 2), 100)  # 100% cannot be exceeded: closed


def test_a_count_over_its_feasible_denominators():
    # Table 2.1, directorate managers expecting deterioration: 31 of 106 to 108.
    v = cmp.counted(31, 106, 108)
    assert (v.lo, v.hi) == (F(3100, 108), F(3100, 106))
    assert v.text() == "28.7–29.3%"  # rounded outwards: 28.70 to 29.25


def test_the_share_that_did_not_agree_is_the_complement():
    v = cmp.rounded(39).complement()  # Box 2.3: 39% agreed doctors prioritise requests, 61% did not
    assert v == Interval(F(121, 2), F(123, 2), lo_open=True)
    assert cmp.roundings(v) == {61, 62}  # 61.5 exactly rounds half up to 62


def test_roundings_of_a_count():
    # Table 2.1, medical directors expecting improvement: 80 of 121 or 122 is 65.6% to 66.1%, printed 66%.
    assert cmp.roundings(cmp.counted(80, 121, 122)) == {66}
    assert cmp.roundings(cmp.rounded(25)) == {25}


def test_ratios_and_differences_of_intervals():
    ratio = cmp.counted(31, 106, 108) / cmp.rounded(8)
    assert (ratio.lo, ratio.hi) == (F(3100, 108) / F(17, 2), F(3100, 106) / F(15, 2))
    assert ratio.hi_open is False and ratio.lo_open is True  # 8.5% itself is not a value of 8%
    diff = cmp.rounded(37) - cmp.rounded(13)
    assert (diff.lo, diff.hi) == (23, 25)


def test_an_empty_interval_is_refused():
    with pytest.raises(ValueError):
        Interval(3, 2)
    with pytest.raises(ValueError):
        Interval(2, 2, hi_open=True)


def test_rows_of_shares_from_whole_counts():
    # Table 1.2, directorate managers: 8%, 2%, 1% and 90% of 132. 8% of 132 is 10 or 11, 2% is 2 or 3, 1% is 1,
    # 90% is 119; only 10 + 2 + 1 + 119 adds up to 132.
    assert cmp.distributions([8, 2, 1, 90], 132, 132) == [(132, (10, 2, 1, 119))]
    assert cmp.distributions([50, 49], 100, 100) == []  # 99% of 100 people cannot be two whole groups


# --- the relations and each word, with its boundaries -------------------------------------------------

@pytest.mark.parametrize("v,x,verdict", [
    (pt(25), 25, HOLDS), (pt(25 - EPS), 25, FAILS), (pt(25 + EPS), 25, HOLDS),
    (cmp.rounded(25), 25, DEPENDS), (cmp.rounded(26), 25, HOLDS), (cmp.rounded(24), 25, FAILS),
    (Interval(24, 25, hi_open=True), 25, FAILS),
])
def test_at_least(v, x, verdict):
    assert cmp.at_least(v, x) == verdict


@pytest.mark.parametrize("v,x,verdict", [
    (pt(80), 80, FAILS), (pt(80 - EPS), 80, FAILS), (pt(80 + EPS), 80, HOLDS),
    (cmp.rounded(81), 80, HOLDS), (cmp.rounded(80), 80, DEPENDS), (Interval(80, 81, lo_open=True), 80, HOLDS),
])
def test_over(v, x, verdict):
    assert cmp.above(v, x) == verdict


@pytest.mark.parametrize("v,x,verdict", [
    (pt(25), 25, FAILS), (pt(25 - EPS), 25, HOLDS), (pt(25 + EPS), 25, FAILS),
    (cmp.rounded(25), 25, DEPENDS), (Interval(24, 25, hi_open=True), 25, HOLDS),
])
def test_under(v, x, verdict):
    assert cmp.below(v, x) == verdict


def test_at_least_a_quarter_of_medical_directors_depends_on_how_many_answered():
    # Table 2.1, dissatisfied with time and resources: 32 medical directors of 126 to 130 who answered.
    assert cmp.reads("at_least", cmp.counted(32, 126, 130), cmp.amount("a_quarter")) == DEPENDS
    assert cmp.reads("at_least", cmp.counted(32, 128, 128), cmp.amount("a_quarter")) == HOLDS  # exactly 25%
    assert cmp.reads("at_least", cmp.counted(32, 129, 129), cmp.amount("a_quarter")) == FAILS  # 24.8%


def test_at_least_two_thirds_is_200_over_3_exactly():
    # Table 2.1, expecting improvement: medical directors 80 of 121 or 122 (65.6% to 66.1%) fall short;
    # directorate managers 73 of 109 (66.97%) do not.
    assert cmp.reads("at_least", cmp.counted(80, 121, 122), cmp.amount("two_thirds")) == FAILS
    assert cmp.reads("at_least", cmp.counted(73, 109, 109), cmp.amount("two_thirds")) == HOLDS
    assert cmp.reads("at_least", pt(F(200, 3)), cmp.amount("two_thirds")) == HOLDS
    assert cmp.reads("at_least", pt(F(200, 3) - EPS), cmp.amount("two_thirds")) == FAILS


@pytest.mark.parametrize("v,verdict", [
    (pt(F(145, 2)), HOLDS), (pt(F(145, 2) - EPS), FAILS), (pt(F(155, 2)), HOLDS), (pt(F(155, 2) + EPS), FAILS),
    (pt(75), HOLDS),
    (cmp.rounded(73), HOLDS),      # 72.5 to 73.5
    (cmp.rounded(72), FAILS),      # 71.5 to 72.5, 72.5 itself excluded
    (cmp.counted(42, 58, 58), FAILS),  # Table 2.1, chief executives' positive rating, 72.4%: 2.6 points away
])
def test_around_three_quarters_is_within_two_and_a_half_points(v, verdict):
    assert cmp.reads("around", v, cmp.amount("three_quarters")) == verdict


@pytest.mark.parametrize("v,verdict", [
    (pt(F(95, 2)), HOLDS), (pt(F(95, 2) - EPS), FAILS), (pt(50 - EPS), HOLDS), (pt(50), FAILS),
])
def test_almost_half(v, verdict):
    assert cmp.reads("almost", v, 50) == verdict


@pytest.mark.parametrize("word,v,verdict", [
    ("majority", pt(50), FAILS), ("majority", pt(50 + EPS), HOLDS), ("majority", pt(50 - EPS), FAILS),
    ("majority", cmp.rounded(51), HOLDS), ("majority", cmp.rounded(50), DEPENDS),
    ("almost_all", pt(90), HOLDS), ("almost_all", pt(90 - EPS), FAILS), ("almost_all", pt(90 + EPS), HOLDS),
    ("almost_all", cmp.rounded(90), DEPENDS), ("almost_all", cmp.rounded(87), FAILS),  # Table 2.7, tension: 87%
    ("widespread", pt(80), FAILS), ("widespread", pt(80 + EPS), HOLDS), ("widespread", pt(80 - EPS), FAILS),
    ("widespread", cmp.rounded(81), HOLDS),  # Table 2.4, patient need: 81% overall
    ("widespread", cmp.rounded(39).complement(), FAILS),  # Box 2.3's largest disagreement: 100 - 39 = 61%
    ("many", pt(25), HOLDS), ("many", pt(25 - EPS), FAILS), ("many", pt(25 + EPS), HOLDS),
    ("many", cmp.rounded(25), DEPENDS), ("many", cmp.rounded(69).complement(), HOLDS),  # Box 2.3's smallest: 31%
    ("rare", pt(25), FAILS), ("rare", pt(25 - EPS), HOLDS), ("rare", pt(25 + EPS), FAILS),
    ("rare", cmp.rounded(22), HOLDS),  # Table 2.11, paired learning: 22% overall
])
def test_words_with_their_own_threshold(word, v, verdict):
    assert cmp.reads(word, v) == verdict


@pytest.mark.parametrize("a,b,verdict", [
    (pt(20), pt(10), HOLDS), (pt(20 - EPS), pt(10), FAILS), (pt(20 + EPS), pt(10), HOLDS),
    (cmp.rounded(48), cmp.rounded(27), HOLDS),  # Table 2.6, enough consultants overall: 27% to 48%
    (cmp.rounded(20), cmp.rounded(10), DEPENDS),
])
def test_much_is_ten_points_or_more(a, b, verdict):
    assert cmp.greater(a, b, 10) == verdict
    assert cmp.MUCH_POINTS == 10
    assert cmp.reads("much", a - b) == verdict


@pytest.mark.parametrize("ratio,verdict", [
    (pt(F(5, 2)), HOLDS), (pt(F(5, 2) - EPS), FAILS), (pt(F(7, 2)), HOLDS), (pt(F(7, 2) + EPS), FAILS),
    (pt(3), HOLDS),
])
def test_roughly_trebled_is_2_5_to_3_5_times(ratio, verdict):
    assert cmp.reads("roughly_times", ratio, 3) == verdict


def test_roughly_trebled_on_table_2_1_deterioration():
    # Chief executives 6% in 2002, 10 of 55 to 57 in 2015: 2.70 to 3.31 times.
    assert cmp.reads("roughly_times", cmp.counted(10, 55, 57) / cmp.rounded(6), 3) == HOLDS
    # Directorate managers 8% in 2002, 31 of 106 to 108 in 2015: 3.38 to 3.90 times, straddling 3.5.
    assert cmp.reads("roughly_times", cmp.counted(31, 106, 108) / cmp.rounded(8), 3) == DEPENDS


@pytest.mark.parametrize("ratio,verdict", [
    (pt(F(3, 2)), HOLDS), (pt(F(3, 2) - EPS), FAILS), (pt(2), FAILS), (pt(2 - EPS), HOLDS),
])
def test_almost_doubled_is_1_5_to_under_2(ratio, verdict):
    assert cmp.reads("almost_times", ratio, 2) == verdict


def test_almost_doubled_on_table_2_1_clinical_directors():
    # 2002: the 2003 paper's 113 of 439 (25.7%); 2015: 68 of 133 or 134 (50.7% to 51.1%): 1.97 to 1.99 times.
    assert cmp.reads("almost_times", cmp.counted(68, 133, 134) / cmp.point(F(11300, 439)), 2) == HOLDS
    # On the printed 26% alone (25.5% to 26.5%) it would straddle 2.
    assert cmp.reads("almost_times", cmp.counted(68, 133, 134) / cmp.rounded(26), 2) == DEPENDS


def test_amounts_in_words_and_numbers():
    assert cmp.amount("two_thirds") == F(200, 3) and cmp.amount("a_third") == F(100, 3)
    assert cmp.amount("2") == 2 and cmp.amount("2.5") == F(5, 2) and cmp.amount(None) is None
    assert cmp.reading_text("at_least", cmp.amount("two_thirds")) == "at least 66.7%"
    assert cmp.reading_text("roughly_times", 3) == "2.5–3.5 times"


# --- several parts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("parts,verdict", [
    ([HOLDS, HOLDS], HOLDS), ([HOLDS, FAILS], IN_PART), ([FAILS, FAILS], FAILS), ([HOLDS, DEPENDS], DEPENDS),
    ([FAILS, DEPENDS], FAILS), ([HOLDS, UNDECIDABLE], UNDECIDABLE), ([FAILS, UNDECIDABLE, HOLDS], IN_PART),
])
def test_every_part(parts, verdict):
    assert cmp.combine(parts) == verdict


@pytest.mark.parametrize("quantifier,parts,verdict", [
    # most: more than half. Of 5, 3; of 4, 3 (exactly half is not most).
    ("most", [HOLDS] * 3 + [FAILS] * 2, HOLDS), ("most", [HOLDS] * 2 + [FAILS] * 3, FAILS),
    ("most", [HOLDS, HOLDS, DEPENDS, FAILS, FAILS], DEPENDS), ("most", [HOLDS] * 2 + [FAILS] * 2, FAILS),
    # many: a quarter or more. Of 8, 2.
    ("many", [HOLDS] * 2 + [FAILS] * 6, HOLDS), ("many", [HOLDS] + [FAILS] * 7, FAILS),
    ("many", [HOLDS, DEPENDS] + [FAILS] * 6, DEPENDS),
    # some: one.
    ("some", [FAILS, HOLDS], HOLDS), ("some", [FAILS, FAILS], FAILS), ("some", [FAILS, DEPENDS], DEPENDS),
    # few: a quarter or fewer hold. Of 8, at most 2.
    ("few", [FAILS] * 8, HOLDS), ("few", [HOLDS] * 2 + [FAILS] * 6, HOLDS), ("few", [HOLDS] * 3 + [FAILS] * 5, FAILS),
    ("few", [HOLDS, HOLDS, DEPENDS] + [FAILS] * 5, DEPENDS),
])
def test_quantifiers(quantifier, parts, verdict):
    assert cmp.combine(parts, quantifier) == verdict


def test_a_claim_needs_parts():
    with pytest.raises(ValueError):
        cmp.combine([])


# --- tests ----------------------------------------------------------------------------------------

def test_two_groups_chi_squared_by_hand():
    # 30 of 50 against 20 of 50: chi-squared = 100 (30*30 - 20*20)^2 / (50*50*50*50) = 4.0, p = 0.0455.
    assert cmp.two_by_two_p(30, 50, 20, 50)[0] == pytest.approx(0.04550026, abs=1e-7)
    # Table 2.2, relative power: 65 of 147 clinical directors against 70 of 127 directorate managers:
    # 274 (65*57 - 70*82)^2 / (147*127*135*139) = 3.239, p = 0.072.
    assert cmp.two_by_two_p(65, 147, 70, 127)[0] == pytest.approx(0.0719, abs=1e-4)


def test_two_groups_fisher_where_an_expected_count_is_below_5():
    # 1 of 5 against 4 of 5: expected 2.5; P = (1 + 25 + 25 + 1) / C(10, 5) = 52/252.
    assert cmp.two_by_two_p(1, 5, 4, 5)[0] == pytest.approx(52 / 252)


def test_pairwise_p_over_ranges_where_fisher_applies():
    # 1 of 5 to 7 against 4 of 5 or 6: every pair has an expected count below 5, so Fisher's test each time.
    lo, hi = cmp.pairwise_p(1, range(5, 8), 4, range(5, 7))
    each = [fisher_p([[1, 4], [d1 - 1, d2 - 4]]) for d1 in range(5, 8) for d2 in range(5, 7)]
    assert fisher_p([[1, 4], [4, 1]]) == F(52, 252)  # the case worked out above
    assert (lo, hi) == pytest.approx((float(min(each)), float(max(each))), rel=1e-9) and lo <= 52 / 252 <= hi
    assert cmp.pairwise_p(9, range(9, 8), 4, range(5, 7)) == (0.0, 1.0)  # a count above n: no denominator


def test_no_difference_to_test():
    assert cmp.two_by_two_p(10, 10, 20, 20)[0] == 1.0 and cmp.two_by_two_p(0, 10, 0, 20)[0] == 1.0


def test_pairwise_p_is_a_range_over_denominators():
    # Table 2.2, relative power: 65 of 146 to 149 against 70 of 126 to 128, every expected count above 5:
    # Pearson's chi-squared without continuity correction on each pair, by scipy's contingency test.
    from scipy.stats import chi2_contingency

    lo, hi = cmp.pairwise_p(65, range(146, 150), 70, range(126, 129))
    each = [chi2_contingency([[65, d1 - 65], [70, d2 - 70]], correction=False).pvalue
            for d1 in range(146, 150) for d2 in range(126, 129)]
    assert (lo, hi) == pytest.approx((min(each), max(each)), rel=1e-9)
    assert lo <= 0.0719 <= hi and lo < hi  # 65 of 147 against 70 of 127, worked above


@pytest.mark.parametrize("p_min,p_max,significant,verdict", [
    (0.01, 0.049, True, HOLDS), (0.04, 0.06, True, DEPENDS), (0.05, 0.2, True, FAILS),  # 0.05 is not below
    (0.05, 0.3, False, HOLDS), (0.049, 0.3, False, DEPENDS), (0.001, 0.01, False, FAILS),
])
def test_significance_over_every_feasible_denominator(p_min, p_max, significant, verdict):
    assert cmp.significance(p_min, p_max, significant) == verdict


# --- rankings --------------------------------------------------------------------------------------

def barriers():
    # Table 2.8, overall column: 60, 45, 40, 36, 32, 29, 28.
    return {k: cmp.rounded(p) for k, p in zip("abcdefg", (60, 45, 40, 36, 32, 29, 28))}


def test_ranks_in_order():
    v = barriers()
    assert cmp.ranks(v, ["a", "b", "c", "d"]) == HOLDS
    assert cmp.ranks(v, ["b", "a"]) == FAILS
    assert cmp.ranks(v, ["d"], 4) == HOLDS and cmp.ranks(v, ["d"], 3) == FAILS
    assert cmp.ranks({**v, "h": cmp.rounded(36)}, ["d"], 4) == DEPENDS  # a tie within rounding


def test_top_and_outside_top():
    v = barriers()
    assert cmp.top(v, ["c", "a", "b"]) == HOLDS and cmp.top(v, ["a", "b", "d"]) == FAILS
    assert cmp.outside_top(v, "d", 3) == HOLDS and cmp.outside_top(v, "c", 3) == FAILS


@pytest.mark.parametrize("v,verdict", [
    (cmp.rounded(76), HOLDS),       # Table 2.8, insufficient resources in 2002: 4 x 75.5 = 302 > 300
    (cmp.rounded(75), UNDECIDABLE),  # 4 x 74.5 = 298
    (pt(75), UNDECIDABLE), (pt(75 + EPS), HOLDS),
])
def test_top_three_by_a_choose_up_to_three_column(v, verdict):
    assert cmp.top_by_column_sum(v, 3, 300) == verdict


def test_median_of_intervals():
    assert cmp.median_interval([Interval(1, 2), Interval(3, 5), Interval(4, 6)]) == Interval(3, 5)
    assert cmp.median_interval([Interval(1, 2), Interval(3, 4)]) == Interval(2, 3)


# --- two bases, and recipients from a response rate ----------------------------------------------------

def test_a_part_on_two_bases_depends_where_they_disagree():
    from analysis.claims import Part, both_bases

    def part(verdict, result):
        return Part("Table 2.11, paired learning: overall under 25%", verdict, result, "T2.11")
    printed, answered = part(HOLDS, "21.5–22.5%"), part(DEPENDS, "24.8–25.7%")  # 22% of 472; 102 of 397 to 411
    got = both_bases(printed, answered, 472)
    assert got.verdict == DEPENDS and "over all 472 respondents, as printed: 21.5–22.5%" in got.result
    assert both_bases(printed, part(FAILS, "26%"), 472).verdict == DEPENDS
    assert both_bases(printed, part(HOLDS, "15.5–16.8%"), 472).verdict == HOLDS  # buddying: rare on both
    assert both_bases(printed, printed, 472) == printed  # one base as the other: nothing to add


def test_recipients_a_rate_allows_by_hand():
    import pandas as pd

    from analysis.derived import recipients

    # 59 chief executives at 34%: 59/171 = 34.50% prints 35 (half up), 59/172 = 34.30% prints 34,
    # 59/176 = 33.52% prints 34, 59/177 = 33.33% prints 33. 150 clinical directors at 9%: 150/1579 = 9.4997%,
    # 150/1578 = 9.5057% (prints 10), 150/1764 = 8.503%, 150/1765 = 8.499% (prints 8).
    groups = pd.DataFrame({"role_group": ["chief_executive", "clinical_director", "all_respondents"],
                           "respondents": [59, 150, 209], "response_rate_percent": [34, 9, 18], "sort_order": [1, 4, 5]})
    lo, hi = recipients(groups)
    assert list(lo) == [172, 1579] and list(hi) == [176, 1764]
