"""The tests' independent oracles: the textbook formulas, in exact fractions where they can be, never the
library calls the code under test makes (statsmodels, scipy), so that a test's expected value does not come
from the code it tests. One home for each, shared by tests/ and tests/unit/."""
import math
from fractions import Fraction
from itertools import product
from statistics import NormalDist


def half_up(x: Fraction) -> int:
    """A non-negative or negative exact number rounded half up: 12.5 -> 13."""
    return math.floor(x + Fraction(1, 2))


def chi_squared(table) -> Fraction:
    """Pearson's statistic, without continuity correction, of a 2 x k table of counts, exactly."""
    rows, cols = [sum(r) for r in table], [sum(c) for c in zip(*table)]
    n = sum(rows)
    return sum(Fraction((table[i][j] * n - rows[i] * cols[j]) ** 2, rows[i] * cols[j] * n)
               for i in range(2) for j in range(len(cols)))


def chi_squared_p(table) -> float:
    """Its p-value: at 1 degree of freedom (2 x 2) erfc(sqrt(x/2)), at 3 (2 x 4) that plus sqrt(2x/pi) e^(-x/2)."""
    x = float(chi_squared(table))
    extra = {2: 0.0, 4: math.sqrt(2 * x / math.pi) * math.exp(-x / 2)}[len(table[0])]
    return math.erfc(math.sqrt(x / 2)) + extra


def fisher_p(table) -> Fraction:
    """Fisher's exact two-sided p of a 2 x k table, by enumerating every table with its margins (multivariate
    hypergeometric, exact): the sum of the probabilities no larger than the observed one's."""
    cols = [a + b for a, b in zip(*table)]
    top, total = sum(table[0]), sum(cols)

    def prob(row):
        return Fraction(math.prod(math.comb(c, a) for c, a in zip(cols, row)), math.comb(total, top))
    observed = prob(table[0])
    return sum((q for row in product(*[range(c + 1) for c in cols]) if sum(row) == top
                for q in [prob(row)] if q <= observed), Fraction(0))


def wilson(c, n, alpha=0.05):
    """Wilson's score interval for c of n: (p + z²/2n ± z sqrt(p(1 - p)/n + z²/4n²)) / (1 + z²/n)."""
    z, p = NormalDist().inv_cdf(1 - alpha / 2), c / n
    mid, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (mid - half) / (1 + z * z / n), (mid + half) / (1 + z * z / n)


def newcombe(c1, n1, c2, n2, alpha=0.05):
    """Newcombe's interval (method 10) for p1 - p2, from the two Wilson intervals."""
    (l1, u1), (l2, u2), p1, p2 = wilson(c1, n1, alpha), wilson(c2, n2, alpha), c1 / n1, c2 / n2
    return (p1 - p2 - math.hypot(p1 - l1, u2 - p2), p1 - p2 + math.hypot(u1 - p1, p2 - l2))


def pooled_z_p(c1, n1, c2, n2):
    """Two-sided p of the pooled two-proportion z-test: erfc(|z| / sqrt 2)."""
    p = (c1 + c2) / (n1 + n2)
    z = (c1 / n1 - c2 / n2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))
