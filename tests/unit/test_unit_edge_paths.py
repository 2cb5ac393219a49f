"""The paths today's figures do not take: a ratio of intervals that are not positive, a missing share out of
range, a 2002 figure without its 2015 cell, a 2015 cell that reconciles with no denominator, a direction an
item cannot be read in, a text figure that is a claim. Each expectation worked out by hand."""
import math
from fractions import Fraction

import pandas as pd
import pytest
from package_frames import published_all

from analysis import change as ch
from analysis import comparisons as cmp
from analysis import feasible


def test_a_ratio_of_intervals_only_of_positive_ones():
    assert cmp.Interval(1, 2) / cmp.Interval(4, 8) == cmp.Interval(Fraction(1, 8), Fraction(1, 2))
    assert cmp.Interval(0, 2) / cmp.Interval(1, 2) == cmp.Interval(0, 2)  # a numerator from 0 is positive enough
    r = cmp.Interval(1, 2, lo_open=True) / cmp.Interval(4, 8, hi_open=True)  # lo = 1/8: both of its ends open
    assert (r.lo_open, r.hi_open) == (True, False)
    r = cmp.Interval(1, 2, hi_open=True) / cmp.Interval(4, 8, lo_open=True)  # hi = 2/4: both of its ends open
    assert (r.lo_open, r.hi_open) == (False, True)
    for a, b in [((-1, 2), (1, 2)), ((1, 2), (0, 1)), ((1, 2), (-2, -1))]:
        with pytest.raises(ValueError, match="a ratio of positive intervals only"):
            cmp.Interval(*a) / cmp.Interval(*b)


def test_the_denominator_floor_takes_a_missing_share_from_0_to_under_1():
    assert ch.denominator_floor(100, 0) == 100
    assert ch.denominator_floor(100, 0.99) == 1  # ceil(100 x 0.01)
    assert ch.denominator_floor(3, 0.9) == 1  # ceil(0.3), and never below 1
    for m in (1, 1.5, -0.01):
        with pytest.raises(ValueError, match=rf"max_missing must be in \[0, 1\), not {m}"):
            ch.denominator_floor(100, m)


def test_change_pairs_need_both_waves_and_take_every_denominator_of_a_cell_that_does_not_reconcile():
    res = published_all()
    before = ch.cells_from(res)
    key = ("positive_rating_local_relationships", "chief_executive")
    row = before[(before.item_id == key[0]) & (before.role_group == key[1])].iloc[0]
    assert (row.count_2015, row.denominators_2015, row.missing_share_2015) == (42, [58], 1 / 59)
    # the 2015 cell gone: the 2002 figure has nothing to be compared with, and only its pair is left out
    r = res["survey_results"]
    gone = dict(res, survey_results=r[~((r.item_id == key[0]) & (r.role_group == key[1]) & (r.survey_year == 2015))])
    after = ch.cells_from(gone)
    # 41 pairs: Table 2.1's 25 cells with a 2002 row and the text's 16 2002 figures elsewhere (test_change_2002.py)
    assert (len(before), len(after)) == (41, 40) and not ((after.item_id == key[0]) & (after.role_group == key[1])).any()
    # no denominator reproduces the cell: every d from its count, 42, to its n, 59, the missing share unknown
    d = res["cell_denominators"].copy()
    at = (d.item_id == key[0]) & (d.role_group == key[1])
    d["derived_denominator_min"] = d["derived_denominator_min"].astype("Int64")
    d["derived_denominator_max"] = d["derived_denominator_max"].astype("Int64")
    d.loc[at, ["derived_denominator_min", "derived_denominator_max"]] = pd.NA
    row = ch.cells_from(dict(res, cell_denominators=d))
    row = row[(row.item_id == key[0]) & (row.role_group == key[1])].iloc[0]
    assert row.denominators_2015 == list(range(42, 60)) and math.isnan(row.missing_share_2015)


def test_a_direction_needs_the_items_reading_and_a_text_figure_its_value():
    f = feasible.Figures(published_all())
    assert f.above("higher", "doctors_respected_by_public") and not f.above("lower", "doctors_respected_by_public")
    assert f.above("favourable", "positive_rating_local_relationships")  # favourable: higher
    assert not f.above("favourable", "negative_rating_local_relationships")  # favourable: lower
    assert f.above("unfavourable", "negative_rating_local_relationships")
    with pytest.raises(ValueError, match="item doctors_respected_by_public: no favourable reading .* 'favourable'"):
        f.above("favourable", "doctors_respected_by_public")
    with pytest.raises(ValueError, match="item no_such_item: no favourable reading"):
        f.above("unfavourable", "no_such_item")
    # 'at least a quarter' is a claim about the figure, not a figure
    with pytest.raises(ValueError, match="text figure op_dissatisfied_quarter_md: a figure with qualifier 'at_least'"):
        f.figure("op_dissatisfied_quarter_md")
