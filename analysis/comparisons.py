"""The vocabulary the report's claims are decided with: feasible ranges of printed figures, one reading of
each word, and the comparisons, each a pure function with a three-valued answer.

A printed whole percentage p stands for every value in [p - 0.5, p + 0.5) (rounded half up); a count c
over the denominators d_lo..d_hi a cell allows stands for [100c/d_hi, 100c/d_lo]. A comparison holds
when it is true for every feasible value, does not hold when it is false for every one, and depends
(on rounding or denominators) otherwise. Exact arithmetic (fractions) keeps every boundary exact:
'at least two thirds' is decided against 200/3, not 66.67.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import stats

from analysis.verdicts import DEPENDS, FAILS, HOLDS, IN_PART, UNDECIDABLE, VERDICT_WORDS  # noqa: F401

ALPHA = Fraction(1, 20)  # the report's 5% level
HALF = Fraction(1, 2)


def fraction(x) -> Fraction:
    """An exact number: ints and fractions as they are, floats by their shortest decimal (0.1 is 1/10)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(repr(x))
    return Fraction(x)


@dataclass(frozen=True)
class Interval:
    """The feasible values of a figure, in percent (or a ratio): lo..hi, each end open or closed."""
    lo: Fraction
    hi: Fraction
    lo_open: bool = False
    hi_open: bool = False

    def __post_init__(self):
        object.__setattr__(self, "lo", fraction(self.lo))
        object.__setattr__(self, "hi", fraction(self.hi))
        if self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open)):
            raise ValueError(f"an empty interval: {self}")

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, self.hi_open, self.lo_open)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi, self.lo_open or other.lo_open,
                        self.hi_open or other.hi_open)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def __truediv__(self, other: Interval) -> Interval:
        """The ratio of two positive intervals."""
        if self.lo < 0 or other.lo <= 0:
            raise ValueError("a ratio of positive intervals only")
        return Interval(self.lo / other.hi, self.hi / other.lo, self.lo_open or other.hi_open,
                        self.hi_open or other.lo_open)

    def complement(self) -> Interval:
        """100 minus the value: the share that did not agree."""
        return Interval(100 - self.hi, 100 - self.lo, self.hi_open, self.lo_open)

    def text(self, unit: str = "%", decimals: int = 1) -> str:
        """Rounded outwards (to one decimal), so the text covers every feasible value."""
        scale = 10 ** decimals
        lo, hi = math.floor(scale * self.lo) / scale, math.ceil(scale * self.hi) / scale
        return f"{lo:g}{unit}" if lo == hi else f"{lo:g}–{hi:g}{unit}"


def roundings(v: Interval) -> set[int]:
    """The whole percentages (rounded half up) that some value of v prints as."""
    low = math.floor(v.lo + HALF)
    high = math.ceil(v.hi + HALF) - 1 if v.hi_open else math.floor(v.hi + HALF)
    return set(range(low, high + 1))


def point(x) -> Interval:
    return Interval(x, x)


def rounded(percent) -> Interval:
    """A printed whole percentage: [p - 0.5, p + 0.5), within 0..100."""
    p = fraction(percent)
    return Interval(max(p - HALF, 0), min(p + HALF, 100), hi_open=p + HALF <= 100)


def counted(count: int, d_lo: int, d_hi: int) -> Interval:
    """A count over each denominator from d_lo to d_hi, in percent."""
    return Interval(Fraction(100 * count, d_hi), Fraction(100 * count, d_lo))


# --- relations: one verdict each ---------------------------------------------------------------

def above(v: Interval, x) -> str:
    """v > x."""
    x = fraction(x)
    if v.lo > x or (v.lo == x and v.lo_open):
        return HOLDS
    return FAILS if v.hi <= x else DEPENDS


def at_least(v: Interval, x) -> str:
    """v >= x."""
    x = fraction(x)
    if v.lo >= x:
        return HOLDS
    return FAILS if v.hi < x or (v.hi == x and v.hi_open) else DEPENDS


def below(v: Interval, x) -> str:
    """v < x."""
    return above(-v, -fraction(x))


def at_most(v: Interval, x) -> str:
    """v <= x."""
    return at_least(-v, -fraction(x))


def all_of(verdicts: Iterable[str]) -> str:
    """Every one of them: fails if one fails, holds if all hold, depends otherwise."""
    verdicts = list(verdicts)
    if FAILS in verdicts:
        return FAILS
    return HOLDS if all(v == HOLDS for v in verdicts) else DEPENDS


def negation(verdict: str) -> str:
    return {HOLDS: FAILS, FAILS: HOLDS}.get(verdict, verdict)


def within(v: Interval, lo, hi) -> str:
    """lo <= v <= hi."""
    return all_of([at_least(v, lo), at_most(v, hi)])


def greater(a: Interval, b: Interval, margin=0) -> str:
    """a > b, or with a margin, a - b >= margin."""
    return above(a - b, 0) if margin == 0 else at_least(a - b, margin)


# --- the words, read one way each ---------------------------------------------------------------

AROUND_POINTS = Fraction(5, 2)  # 'around 65%': within 2.5 points, what rounding to the nearest 5 allows
MULTIPLE_SLACK = HALF           # 'roughly trebled': within half a multiple of 3
MUCH_POINTS = 10                # 'much more', 'markedly', 'considerably', 'stark': 10 points or more

AMOUNTS = {  # the shares the text names in words, as exact percentages
    "a_quarter": Fraction(25), "a_third": Fraction(100, 3), "half": Fraction(50), "two_thirds": Fraction(200, 3),
    "three_quarters": Fraction(75),
}


@dataclass(frozen=True)
class Reading:
    words: str          # the report's words this reading covers
    reading: str        # what the package takes them to mean
    relation: str       # over, at_least, under, around, almost, much, roughly_times, almost_times
    threshold: Fraction | None = None  # fixed threshold of a word that carries its own


WORDS: dict[str, Reading] = {
    "over": Reading("over, more than", "greater than the amount", "over"),
    "at_least": Reading("at least", "the amount or more", "at_least"),
    "under": Reading("less than, under", "smaller than the amount", "under"),
    "around": Reading("around, about, roughly (a share)", "within 2.5 points of the amount, either side, ends "
                      "included (what rounding to the nearest 5 points allows)", "around"),
    "almost": Reading("almost, nearly (a share)", "at most 2.5 points below the amount, and below it", "almost"),
    "majority": Reading("the majority, most, over half (of respondents or organisations)", "more than 50%",
                        "over", Fraction(50)),
    "almost_all": Reading("almost all, nearly all", "90% or more", "at_least", Fraction(90)),
    "widespread": Reading("widespread, widely (agreement, availability)", "more than 80%: the report's own gloss "
                          "('widespread agreement (over 80%)', Box 2.1)", "over", Fraction(80)),
    "many": Reading("many, significant numbers, large numbers, common, fairly common, fairly widespread, "
                    "fairly widely; widespread (concerns, discontent)", "a quarter or more: how the report itself defines many "
                    "respondents (a quarter or more of every role group); Box 2.3 equates its widespread "
                    "discontent with significant numbers, not with Box 2.1's over 80%", "at_least", Fraction(25)),
    "rare": Reading("few, rare, relatively rare, uncommon (a share)", "less than a quarter (the complement of "
                    "'many')", "under", Fraction(25)),
    "much": Reading("much (more, less, lower), markedly, considerably, far, large, stark, dramatic (a "
                    "difference or a change)", "a difference of 10 percentage points or more", "much",
                    Fraction(MUCH_POINTS)),
    "roughly_times": Reading("roughly, about k times (doubled, trebled)", "a ratio within half of k either "
                             "side, ends included (trebled: 2.5 to 3.5)", "roughly_times"),
    "almost_times": Reading("almost, nearly k times", "a ratio from k - 0.5 up to, not including, k (almost "
                            "doubled: 1.5 to under 2)", "almost_times"),
}

QUANTIFIERS = {  # how many parts of a claim must hold: (words, reading, least number of parts of n)
    "all": ("each, every, all, consistently, across all; a statement with no quantifier", "every part",
            lambda n: n),
    "most": ("most, largely, in general, tended to", "more than half of the parts", lambda n: n // 2 + 1),
    "many": ("many, a wide range", "a quarter of the parts or more", lambda n: math.ceil(Fraction(n, 4))),
    "some": ("some, differed, to some extent", "at least one part", lambda n: 1),
    "few": ("few (of a set of items)", "a quarter of the parts or fewer", lambda n: n // 4),
}

SIGNIFICANCE = {
    "significant": ("significantly, significant change or difference", "p below 0.05 for every feasible "
                    "denominator, in the test the report used (chi-squared; Fisher's exact test where an "
                    "expected count is below 5)"),
    "not_significant": ("steady, little change, agreement, alignment, homogeneity, alike (across groups)",
                        "p of 0.05 or more for every feasible denominator, item by item, wherever the words occur "
                        "('much greater homogeneity' in one theme: a share of its items alike 10 points or more "
                        "above each other theme's)"),
}


def amount(value: str | None) -> Fraction | None:
    """A threshold as the claim states it: a word (two_thirds) or a number of percent or times."""
    if value is None or value == "":
        return None
    return AMOUNTS[value] if value in AMOUNTS else fraction(float(value)) if "." in str(value) else Fraction(value)


def reads(word: str, v: Interval, x=None) -> str:
    """The verdict of a share v against a word with its amount x (or the word's own threshold)."""
    r = WORDS[word]
    x = fraction(x) if x is not None else r.threshold
    if r.relation == "over":
        return above(v, x)
    if r.relation == "at_least":
        return at_least(v, x)
    if r.relation == "under":
        return below(v, x)
    if r.relation == "around":
        return within(v, x - AROUND_POINTS, x + AROUND_POINTS)
    if r.relation == "almost":
        return all_of([at_least(v, x - AROUND_POINTS), below(v, x)])
    if r.relation == "much":
        return at_least(v, x)
    if r.relation == "roughly_times":
        return within(v, x - MULTIPLE_SLACK, x + MULTIPLE_SLACK)
    if r.relation == "almost_times":
        return all_of([at_least(v, x - MULTIPLE_SLACK), below(v, x)])
    raise KeyError(word)


def reading_text(word: str, x=None) -> str:
    """The words as read, for a claim's result: 'at least 66.7%'."""
    r = WORDS[word]
    x = fraction(x) if x is not None else r.threshold
    shown = f"{float(x):.3g}"
    return {"over": f"over {shown}%", "at_least": f"at least {shown}%", "under": f"under {shown}%",
            "around": f"{float(x - AROUND_POINTS):.3g}–{float(x + AROUND_POINTS):.3g}%",
            "almost": f"{float(x - AROUND_POINTS):.3g}% to under {shown}%", "much": f"{shown} points or more",
            "roughly_times": f"{float(x - MULTIPLE_SLACK):g}–{float(x + MULTIPLE_SLACK):g} times",
            "almost_times": f"{float(x - MULTIPLE_SLACK):g} to under {float(x):g} times"}[r.relation]


# --- combining parts ------------------------------------------------------------------------------

def combine(verdicts: list[str], quantifier: str = "all") -> str:
    """A claim's verdict from its parts' verdicts (holds, does_not_hold, depends, undecidable).

    all: holds if every part holds; depends if none fails and some depend; holds in part if some fail and
    some hold; does not hold if some fail and none holds. A part that cannot be decided makes the claim
    undecidable unless another part already fails it. most, many, some: the number of parts that hold for
    every feasible value against the least number the quantifier asks for (QUANTIFIERS)."""
    if not verdicts:
        raise ValueError("a claim with no parts")
    if quantifier == "all":
        if FAILS in verdicts:
            return IN_PART if HOLDS in verdicts else FAILS
        if UNDECIDABLE in verdicts:
            return UNDECIDABLE
        return HOLDS if all(v == HOLDS for v in verdicts) else DEPENDS
    need = QUANTIFIERS[quantifier][2](len(verdicts))
    sure, possible = verdicts.count(HOLDS), verdicts.count(HOLDS) + verdicts.count(DEPENDS)
    if quantifier == "few":  # at most `need` parts may hold
        if UNDECIDABLE in verdicts:
            return UNDECIDABLE
        return HOLDS if possible <= need else FAILS if sure > need else DEPENDS
    if sure >= need:
        return HOLDS
    if possible + verdicts.count(UNDECIDABLE) < need:
        return FAILS
    return UNDECIDABLE if UNDECIDABLE in verdicts and possible < need else DEPENDS


# --- tests on printed counts ----------------------------------------------------------------------

def two_by_two_p(a, n_a, b, n_b) -> np.ndarray:
    """Two groups, agreed or not, for arrays of (a of n_a, b of n_b): Pearson's chi-squared without continuity
    correction (the report's test), or Fisher's exact test where an expected count is below 5 (as the report
    did for Table 2.7). Where everyone or no one agreed in both groups there is no difference: p is 1."""
    a, n_a, b, n_b = np.broadcast_arrays(*(np.atleast_1d(np.asarray(x, dtype=float)) for x in (a, n_a, b, n_b)))
    n, agreed = n_a + n_b, a + b
    rest = n - agreed
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = n * (a * (n_b - b) - b * (n_a - a)) ** 2 / (n_a * n_b * agreed * rest)
        p = np.where((agreed == 0) | (rest == 0), 1.0, stats.chi2.sf(chi2, 1))
        small = np.minimum(np.minimum(n_a, n_b) * np.minimum(agreed, rest) / n, np.inf) < 5
    for i in np.flatnonzero(small & (agreed > 0) & (rest > 0)):
        table = np.array([[a[i], n_a[i] - a[i]], [b[i], n_b[i] - b[i]]]).astype(int)
        p[i] = stats.fisher_exact(table).pvalue
    return p


def pairwise_p(a: int, a_denominators: Iterable[int], b: int, b_denominators: Iterable[int]) -> tuple[float, float]:
    """The p-value range of the two-group test over every feasible pair of denominators (0 to 1 where a count
    allows none: any p is possible)."""
    da, db = np.meshgrid(list(a_denominators), list(b_denominators), indexing="ij")
    if da.size == 0:
        return 0.0, 1.0
    p = two_by_two_p(a, da.ravel(), b, db.ravel())
    return float(p.min()), float(p.max())


def significance(p_min: float, p_max: float, significant: bool = True) -> str:
    """'significant' holds when p < 0.05 for every feasible denominator; 'not significant' when p >= 0.05."""
    if significant:
        return HOLDS if p_max < ALPHA else FAILS if p_min >= ALPHA else DEPENDS
    return HOLDS if p_min >= ALPHA else FAILS if p_max < ALPHA else DEPENDS


def p_text(p_min: float, p_max: float) -> str:
    return f"p {p_min:.2g}" if f"{p_min:.2g}" == f"{p_max:.2g}" else f"p {p_min:.2g}–{p_max:.2g}"


# --- rankings over the items of a column ----------------------------------------------------------

def ranks(values: dict[str, Interval], named: list[str], start: int = 1) -> str:
    """The named items take ranks start, start + 1, ... in that order, for every feasible value."""
    others = [k for k in values if k not in named]
    above_first = [greater(values[o], values[named[0]]) for o in others]
    sure, possible = above_first.count(HOLDS), above_first.count(HOLDS) + above_first.count(DEPENDS)
    place = HOLDS if sure == start - 1 == possible else FAILS if sure > start - 1 or possible < start - 1 else DEPENDS
    order = [greater(values[a], values[b]) for a, b in zip(named, named[1:])]
    # Everything not above the first named item must be below the last one.
    rest = [greater(values[named[-1]], values[o]) for o, v in zip(others, above_first) if v != HOLDS]
    return all_of([place, *order, *rest])


def top(values: dict[str, Interval], named: list[str]) -> str:
    """The named items are the top len(named), in any order."""
    others = [k for k in values if k not in named]
    return all_of(greater(values[a], values[o]) for a in named for o in others)


def outside_top(values: dict[str, Interval], item: str, k: int) -> str:
    """The item is not among the top k: at least k items are above it."""
    above_it = [greater(values[o], values[item]) for o in values if o != item]
    if above_it.count(HOLDS) >= k:
        return HOLDS
    return FAILS if above_it.count(HOLDS) + above_it.count(DEPENDS) < k else DEPENDS


def top_by_column_sum(v: Interval, k: int, limit) -> str:
    """Where each respondent chooses up to m items (a column summing to at most limit = 100m percent), an
    item is certainly among the top k when k others at or above it would exceed the limit: (k + 1) v > limit.
    Otherwise the printed figures cannot decide it."""
    return HOLDS if (k + 1) * v.lo > fraction(limit) else UNDECIDABLE


# --- aggregates -----------------------------------------------------------------------------------

def median_interval(intervals: list[Interval]) -> Interval:
    """The median of values each known only as an interval: the median is monotone in every value, so it
    runs from the median of the lower ends to the median of the upper ends."""
    lows = sorted(i.lo for i in intervals)
    highs = sorted(i.hi for i in intervals)

    def med(xs):
        n = len(xs)
        return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
    return Interval(med(lows), med(highs))


def distributions(percents: list[int], d_lo: int, d_hi: int) -> list[tuple[int, tuple[int, ...]]]:
    """Every way a row of shares that together cover everyone (a role group's row of Table 1.2) can come
    from whole counts: (d, counts) for each denominator d from d_lo to d_hi, the counts summing to d and
    each rounding half up to its printed percentage."""
    out = []
    for d in range(max(d_lo, 1), d_hi + 1):
        # round-half-up(100 c / d) == p  <=>  (2p - 1) d <= 200 c < (2p + 1) d
        choices = [range(max(-(-(2 * p - 1) * d // 200), 0), min(-(-(2 * p + 1) * d // 200) - 1, d) + 1)
                   for p in percents]
        out += [(d, counts) for counts in itertools.product(*choices) if sum(counts) == d]
    return out
