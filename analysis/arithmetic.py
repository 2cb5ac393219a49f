"""Vectorised integer arithmetic behind the checks: which denominators reproduce a printed percentage.

Percentages are taken to be rounded half up (12.5 -> 13), the usual rule of survey
software; integer arithmetic keeps the boundaries exact. Every function takes and
returns numpy arrays, one element per cell: no Python loop per row.
"""
from __future__ import annotations

import numpy as np


def _i(a) -> np.ndarray:
    return np.asarray(a, dtype=np.int64)


def denominators_for(count, percent, lo=None, hi=None, *, decimals_first: bool = False):
    """(dmin, dmax): the whole numbers d in [lo, hi] for which 100*count/d rounds to percent.

    decimals_first: round to one decimal place first, then to a whole number (two-step rounding).
    The interval is empty where dmin > dmax.
    """
    c, p = _i(count), _i(percent)
    if decimals_first:
        # round(round(1000c/d)/10) == p  <=>  20p - 11 <= 2000c/d < 20p + 9
        dmin = (2000 * c) // (20 * p + 9) + 1
        dmax = np.where(20 * p - 11 > 0, (2000 * c) // np.maximum(20 * p - 11, 1), np.iinfo(np.int64).max)
    else:
        # round(100c/d) == p  <=>  2p - 1 <= 200c/d < 2p + 1
        dmin = (200 * c) // (2 * p + 1) + 1
        dmax = np.where(p > 0, (200 * c) // np.maximum(2 * p - 1, 1), np.iinfo(np.int64).max)
    dmin = np.maximum(dmin, np.maximum(c, 1))
    if lo is not None:
        dmin = np.maximum(dmin, _i(lo))
    if hi is not None:
        dmax = np.minimum(dmax, _i(hi))
    return dmin, dmax


def round_half_up(numerator, denominator):
    """Whole-number percentage of numerator/denominator, rounded half up."""
    return (200 * _i(numerator) + _i(denominator)) // (2 * _i(denominator))


def percent_1dp(numerator, denominator):
    """The percentage to one decimal place, for display beside the printed figure."""
    return np.round(1000 * _i(numerator) / _i(denominator)) / 10


def reproduces_over_range(numerator, percent, dlo, dhi):
    """True where some whole denominator in [dlo, dhi] makes numerator/d round to percent."""
    dmin, dmax = denominators_for(numerator, percent, dlo, dhi)
    return dmin <= dmax
