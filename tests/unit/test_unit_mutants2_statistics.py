"""analysis/statistics.py on small synthetic inputs: the feasible 2 x 4 tables of an item (agreed, not agreed)
x groups, the denominators of cells that do not reconcile, and the Monte Carlo Fisher test of Tables 2.1 to
2.7. Every expected value is worked by hand (or, for Fisher's p, by enumerating every table with the same
margins), never read from the code under test."""
import math
from itertools import product

import numpy as np
import pandas as pd
import pytest

from analysis import statistics as st


def test_tables_are_agreed_over_not_agreed_by_group():
    # Counts 1, 2, 3, 4 agreed of denominators 2, 3 (or 4), 4, 5: two feasible tables, rows agreed then not
    # agreed, one column per group in the order given.
    t = st._tables([1, 2, 3, 4], [(2, 2), (3, 4), (4, 4), (5, 5)])
    assert t.shape == (2, 2, 4)
    assert t.tolist() == [[[1, 2, 3, 4], [1, 1, 1, 1]],
                          [[1, 2, 3, 4], [1, 2, 1, 1]]]


def test_tables_of_no_groups_are_whole_numbers():
    # An item with no groups has one empty table, still of whole counts (never floats).
    t = st._tables([], [])
    assert t.shape == (1, 2, 0)
    assert t.dtype == np.int64


def test_denominator_ranges_fill_by_the_cells_own_index():
    # Three cells of one item, indexed 5, 7, 9 (as a slice of survey_results is):
    #   5: 3 of d print as 30%: two-step rounding allows d = 10 only (3/9 = 33.3%, 3/11 = 27.3%);
    #   7: its reconciled range 7..9 is kept as it is;
    #   9: 2 of d never print as 90% for d <= 5 (2/2 = 100%, 2/3 = 66.7%): every d from its count 2 to n = 5.
    cells = pd.DataFrame({"count": [3, 4, 2], "percent": [30, 50, 90], "group_n": [20, 9, 5],
                          "derived_denominator_min": [np.nan, 7.0, np.nan],
                          "derived_denominator_max": [np.nan, 9.0, np.nan]}, index=[5, 7, 9])
    out = st.denominator_ranges(cells)
    assert out.index.tolist() == [5, 7, 9]
    assert out.d_lo.tolist() == [10, 7, 2]
    assert out.d_hi.tolist() == [10, 9, 5]


def exact_fisher_p(table):
    """Fisher's exact p of a 2 x c table by enumerating every table with its margins (multivariate
    hypergeometric): the sum of the probabilities no larger than the observed one's."""
    cols = [a + b for a, b in zip(*table)]
    top, total = sum(table[0]), sum(cols)
    def prob(row):
        return math.prod(math.comb(c, a) for c, a in zip(cols, row)) / math.comb(total, top)
    observed = prob(table[0])
    return sum(q for row in product(*[range(c + 1) for c in cols]) if sum(row) == top
               for q in [prob(row)] if q <= observed * (1 + 1e-9))


def test_fisher_p_resolves_a_very_small_p():
    # All 6 who agree in one group of four groups of 6: only the 4 tables with all 6 in one group are as
    # extreme, p = 4 / C(24, 6) = 2.97e-5. 200,000 resamples resolve it (a tenth as many could not go
    # below 1e-4), so the marker is '***'.
    table = [[6, 0, 0, 0], [0, 6, 6, 6]]
    assert exact_fisher_p(table) == pytest.approx(4 / 134596)
    p = st.fisher_p(np.array([table]))
    assert p.shape == (1,)
    assert 1.5e-5 < p[0] < 6e-5
    assert st.marker(p).tolist() == ["***"]


def test_fisher_p_is_the_same_on_every_build():
    # A moderate p (0.115 exactly), estimated with the fixed seed: two runs give the same bits, and the
    # estimate is within Monte Carlo error of the exact p.
    table = [[4, 2, 1, 0], [2, 4, 5, 6]]
    exact = exact_fisher_p(table)
    first, second = st.fisher_p(np.array([table])), st.fisher_p(np.array([table]))
    assert first.tolist() == second.tolist()
    assert first[0] == pytest.approx(exact, abs=0.005)
