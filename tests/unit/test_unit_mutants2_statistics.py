"""analysis/statistics.py on small synthetic inputs: the feasible 2 x 4 tables of an item (agreed, not agreed)
x groups, the denominators of cells that do not reconcile, and the Monte Carlo Fisher test of Tables 2.1 to
2.7. Every expected value is worked by hand (or, for Fisher's p, by enumerating every table with the same
margins), never read from the code under test."""

import numpy as np
import pandas as pd
import pytest
from oracles import fisher_p

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


def test_fisher_p_resolves_a_very_small_p():
    # All 6 who agree in one group of four groups of 6: only the 4 tables with all 6 in one group are as
    # extreme, p = 4 / C(24, 6) = 2.97e-5. 200,000 resamples resolve it (a tenth as many could not go
    # below 1e-4), so the marker is '***'.
    table = [[6, 0, 0, 0], [0, 6, 6, 6]]
    assert fisher_p(table) == pytest.approx(4 / 134596)
    p = st.fisher_p(np.array([table]))
    assert p.shape == (1,)
    assert 1.5e-5 < p[0] < 6e-5
    assert st.marker(p).tolist() == ["***"]


def test_fisher_p_is_the_same_on_every_build():
    # A moderate p (0.115 exactly), estimated with the fixed seed: two runs give the same bits, and the
    # estimate is within Monte Carlo error of the exact p.
    table = [[4, 2, 1, 0], [2, 4, 5, 6]]
    exact = fisher_p(table)
    first, second = st.fisher_p(np.array([table])), st.fisher_p(np.array([table]))
    assert first.tolist() == second.tolist()
    assert first[0] == pytest.approx(exact, abs=0.005)


# ---- analysis/rules.py: the frames of the rules that restate the statistics and the text's figures ----

def test_distribution_of_three_categories_allows_99_to_101():
    # Three categories each rounded to a whole percent: each is off by less than 0.5, so the printed total
    # of a row of Table 1.1 is 100 - 1 to 100 + 1 (two rounding down by 0.5 would already overshoot).
    from analysis import rules
    profile = pd.DataFrame({"table_id": ["T1.1"] * 3, "role_group": ["chief_executive"] * 3,
                            "percent": [33, 33, 33]})
    d = rules.distribution_frame({"role_profile": profile})
    assert d.printed.tolist() == ["3 categories summing to 99%"]
    assert d.recomputed.tolist() == ["rounding allows 99–101%"]


def test_significance_says_a_small_p_in_lower_case_e_notation():
    # A Fisher p of 0.000012 to 0.00034 over 12 tables of item x in Table 2.3 reads '1.2e-05 to 0.00034'
    # (two significant figures, the exponent as Python writes it), both ends in the same notation.
    from analysis import rules
    checks = pd.DataFrame({"table_id": ["T2.3"], "item_id": ["x"], "test": ["fisher_exact"],
                           "printed_marker": ["***"], "derived_tables_tested": [12],
                           "derived_p_min": [0.000012], "derived_p_max": [0.0000341],
                           "derived_markers": ["***"], "derived_agrees": [True]})
    d = rules.significance_frame({"significance_checks": checks})
    assert d.printed.tolist() == ["marker *** (fisher_exact)"]
    assert d.recomputed.tolist() == ["p 1.2e-05 to 3.4e-05 over 12 feasible tables: ***"]


def test_text_percentage_that_restates_no_cell_is_not_checked():
    # The text's 72% of chief executives rating local relationships positively (op_positive_ce, Table 2.1)
    # restates the cell; a second percentage for the same item and group whose compares_as is empty
    # (it restates no table cell) is not compared with it, though 10% would not print as 72%.
    from package_frames import published_all

    from analysis import rules
    res = published_all()
    tf = res["text_figures"]
    own = tf[tf.figure_id == "op_positive_ce"]
    other = own.assign(figure_id="op_other_measure_ce", value_text="10%", derived_value=10.0, compares_as=pd.NA)
    res["text_figures"] = pd.concat([own, other], ignore_index=True).astype(tf.dtypes.to_dict())
    d = rules.text_frame(res)
    assert d.figure_id.tolist() == ["op_positive_ce"]
    assert d.printed.tolist() == ["text '72%' (positive rating for local relationships); table 72%"]


def test_choices_of_a_group_with_no_column_n_have_no_bound():
    # Table 2.9 lets each respondent choose up to three reasons: 40 choices by n = 20 chief executives allow
    # at most 60. A group whose cells print no n (a blank typed in) gets no bound and no text (the rule's
    # check then names the subject), not a crash of the whole rule.
    from analysis import rules
    items = pd.DataFrame({"item_id": ["a", "b"], "question_type": ["choose_up_to_three"] * 2})
    results = pd.DataFrame({"table_id": ["T2.9"] * 4, "item_id": ["a", "b", "a", "b"], "survey_year": [2015] * 4,
                            "role_group": ["chief_executive"] * 2 + ["clinical_director"] * 2,
                            "count": [25, 15, 3, 4],
                            "group_n": pd.array([20, 20, None, None], dtype="Int64")})
    d = rules.choices_frame({"items": items, "survey_results": results})
    assert d.role_group.tolist() == ["chief_executive", "clinical_director"]
    assert d.printed.fillna("none").tolist() == ["40 choices by n=20", "none"]
    assert d.recomputed.fillna("none").tolist() == ["at most 60", "none"]
