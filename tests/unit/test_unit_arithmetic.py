"""analysis/arithmetic.py against brute force: every whole denominator tried, rounding by Fraction."""
from fractions import Fraction

import numpy as np
import pytest
from oracles import half_up

from analysis import arithmetic as ar


def brute(count, percent, lo, hi, two_step=False):
    found = [d for d in range(max(lo, 1), hi + 1)
             if (half_up(Fraction(half_up(Fraction(1000 * count, d)), 10)) if two_step
                 else half_up(Fraction(100 * count, d))) == percent]
    return (min(found), max(found)) if found else None


@pytest.mark.parametrize("two_step", [False, True])
def test_denominators_match_brute_force_over_every_small_cell(two_step):
    cases = [(c, p, n) for n in (1, 2, 7, 19, 40, 59, 101) for c in range(0, n + 1, max(1, n // 9))
             for p in range(0, 101, 3)]
    # the ends: 0% and 1% of small counts over large n, 99% and 100%
    cases += [(c, p, n) for c in (0, 1, 2) for p in (0, 1, 2, 99, 100) for n in (3, 150, 300)]
    c, p, n = (np.array(x) for x in zip(*cases))
    lo, hi = ar.denominators_for(c, p, c, n, decimals_first=two_step)
    for i, (cc, pp, nn) in enumerate(cases):
        got = (int(lo[i]), int(hi[i])) if lo[i] <= hi[i] else None
        assert got == brute(cc, pp, cc, nn, two_step), (cc, pp, nn, two_step)


def test_whole_numbers_read_as_floats_or_nullable_integers_give_whole_number_bounds():
    # A column with a blank reads as floats (or pandas' nullable Int64): 42 of 72% still gives 58 to 58, as int64.
    import pandas as pd

    for count, percent in [(np.array([42.0]), np.array([72.0])), (pd.array([42], dtype="Int64"), [72])]:
        lo, hi = ar.denominators_for(count, percent, [1], np.array([59.0]))
        assert (lo.tolist(), hi.tolist(), lo.dtype, hi.dtype) == ([58], [58], np.int64, np.int64)
        assert ar.round_half_up(count, np.array([59.0])).dtype == np.int64


@pytest.mark.parametrize("two_step", [False, True])
def test_no_denominator_below_the_count_even_without_a_lower_bound(two_step):
    # 250 answers at 100%: 25000/d rounds to 100 for d from 249 (100.4%) to 251 (99.6%), and two-step rounding
    # (100.4 -> 100, 99.6 -> 100) allows the same; but fewer than 250 people cannot give 250 answers, so the
    # range starts at the count even when the caller gives no lower bound (as analysis.derived.recipients does)
    lo, hi = ar.denominators_for(np.array([250]), np.array([100]), decimals_first=two_step)
    assert (lo.tolist(), hi.tolist()) == ([250], [251])
    assert brute(250, 100, 1, 300, two_step) == (249, 251)  # the rounding alone would allow 249
