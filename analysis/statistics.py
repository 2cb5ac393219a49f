"""Re-derive the report's statistics from the recovered counts: the significance tests of Tables 2.1 to
2.7 (scipy) and a 95% Wilson interval for every percentage of Tables 2.1 to 2.11 (statsmodels).

Denominators are known only as ranges (see cell_denominators), so every feasible 2 x 4 table is tested
and the p-value is reported as a range; the interval for a range of denominators is the envelope of the
Wilson intervals over it (lowest lower bound, highest upper bound), so it covers every feasible
denominator. A cell that does not reconcile takes the denominators that two-step rounding allows, or,
failing those, every d from its count to n.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis import arithmetic as ar
from analysis.derived import OVERALL
from analysis.failures import FiguresError
from analysis.failures import cells as cells_of

MARKERS = ["***", "**", "*", "n.s."]  # p < 0.001, p < 0.01, p < 0.05, p >= 0.05
FISHER_RESAMPLES = 200_000
SEED = 2015  # Fisher's exact test on a 2 x 4 table is estimated by Monte Carlo: a fixed seed keeps builds identical


def marker(p: np.ndarray) -> np.ndarray:
    return np.select([p < 0.001, p < 0.01, p < 0.05], MARKERS[:3], MARKERS[3])


def denominator_ranges(cells: pd.DataFrame) -> pd.DataFrame:
    """Each cell's feasible denominators, with the fallbacks for cells that do not reconcile."""
    c, p, n = (cells[k].to_numpy("int64") for k in ("count", "percent", "group_n"))
    lo2, hi2 = ar.denominators_for(c, p, c, n, decimals_first=True)
    two_step = lo2 <= hi2
    lo = cells["derived_denominator_min"].fillna(pd.Series(np.where(two_step, lo2, c), index=cells.index))
    hi = cells["derived_denominator_max"].fillna(pd.Series(np.where(two_step, hi2, n), index=cells.index))
    # A count of 0 that does not reconcile: no one answering is no denominator (its tests are undefined).
    return cells.assign(d_lo=lo.astype("int64").clip(lower=1), d_hi=hi.astype("int64"))


def _tables(counts: list[int], ranges: list[tuple[int, int]]) -> np.ndarray:
    """Every feasible 2 x 4 table (agreed, not agreed) x groups, stacked: shape (k, 2, 4)."""
    grid = np.array(list(itertools.product(*[range(lo, hi + 1) for lo, hi in ranges])), dtype=np.int64)
    agreed = np.broadcast_to(np.array(counts, dtype=np.int64), grid.shape)
    return np.stack([agreed, grid - agreed], axis=1)


def chi_squared_p(tables: np.ndarray) -> np.ndarray:
    """Pearson's chi-squared test of equality across groups for each table (the test chi2_contingency runs
    on a 2 x 4 table, batched: scipy's chisquare on the observed against the expected counts)."""
    total = tables.sum(axis=(1, 2), keepdims=True)
    expected = tables.sum(axis=2, keepdims=True) * tables.sum(axis=1, keepdims=True) / total
    k = tables.shape[0]
    dof = (tables.shape[1] - 1) * (tables.shape[2] - 1)
    ddof = tables.shape[1] * tables.shape[2] - 1 - dof
    return stats.chisquare(tables.reshape(k, -1), expected.reshape(k, -1), ddof=ddof, axis=1).pvalue


def chi_squared_range(counts: list[int], ranges: list[tuple[int, int]]) -> tuple[float, float, float]:
    """The chi-squared p-value range over every feasible table of agreed counts and denominator ranges, and
    the smallest expected count of any of them (chi-squared asks for 5 or more)."""
    tables = _tables(counts, ranges)
    expected = tables.sum(axis=2, keepdims=True) * tables.sum(axis=1, keepdims=True) / tables.sum(axis=(1, 2),
                                                                                                 keepdims=True)
    p = chi_squared_p(tables)
    return float(p.min()), float(p.max()), float(expected.min())


def fisher_p(tables: np.ndarray) -> np.ndarray:
    method = stats.MonteCarloMethod(n_resamples=FISHER_RESAMPLES, rng=np.random.default_rng(SEED))
    return np.array([stats.fisher_exact(t, method=method).pvalue for t in tables])


def significance_checks(cells: pd.DataFrame, printed: pd.DataFrame) -> pd.DataFrame:
    cells = denominator_ranges(cells)
    out = []
    for _, sig in printed.iterrows():  # one test per item: 37 items
        group = cells[cells.item_id == sig.item_id]  # the four groups, in printed order (the order is immaterial)
        tables = _tables(group["count"].tolist(), list(zip(group.d_lo, group.d_hi)))
        p = fisher_p(tables) if sig.test == "fisher_exact" else chi_squared_p(tables)
        if not len(p) or np.isnan(p).any():
            keys = cells_of(sig.item_id, [2015], group.role_group)
            odd = [k for k, ok in zip(keys, group.derived_reconciles) if not ok]
            raise FiguresError(f"the test the report marks for {sig.item_id} ({sig.table_id}) cannot be rerun on "
                               "these counts: some feasible table has no p-value", odd or keys)
        found = [m for m in MARKERS if m in set(marker(p))]
        out.append({"table_id": sig.table_id, "item_id": sig.item_id, "test": sig.test,
                    "printed_marker": sig.marker, "derived_tables_tested": len(tables),
                    "derived_p_min": float(p.min()), "derived_p_max": float(p.max()),
                    "derived_markers": " ".join(found), "derived_agrees": sig.marker in found})
    return pd.DataFrame(out)


def wilson(counts, denominators) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson interval bounds, in percent to one decimal, of each count over each denominator."""
    low, high = proportion_confint(np.asarray(counts), np.asarray(denominators), alpha=0.05, method="wilson")
    return np.round(100 * low, 1), np.round(100 * high, 1)


def envelope(keys: pd.DataFrame, counts, lo, hi) -> pd.DataFrame:
    """Per row of keys, the envelope of the Wilson intervals of its count over every d in [lo, hi]."""
    lo, hi, counts = np.asarray(lo, dtype=np.int64), np.asarray(hi, dtype=np.int64), np.asarray(counts, dtype=np.int64)
    width = hi - lo + 1
    row = np.repeat(np.arange(len(lo)), width)
    d = lo[row] + (np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width))
    low, high = wilson(counts[row], d)
    bounds = pd.DataFrame({"row": row, "low": low, "high": high}).groupby("row").agg(low=("low", "min"),
                                                                                     high=("high", "max"))
    return keys.reset_index(drop=True).assign(derived_wilson_low=bounds["low"].to_numpy(),
                                              derived_wilson_high=bounds["high"].to_numpy())


def percent_intervals(cells: pd.DataFrame, bases: pd.DataFrame, overall_n: int) -> pd.DataFrame:
    cells = denominator_ranges(cells)
    groups = envelope(cells[["table_id", "item_id", "role_group", "percent", "count"]].assign(
        derived_denominator_min=cells.d_lo, derived_denominator_max=cells.d_hi), cells["count"], cells.d_lo, cells.d_hi)
    # The overall cell over the base(s) that reproduce it: those who answered, all respondents, or
    # both (where both or neither reproduce it).
    answered = bases.derived_base.isin(["answered", "either", "neither"]).to_numpy()
    everyone = bases.derived_base.isin(["all_respondents", "either", "neither"]).to_numpy()
    lo = np.where(answered, bases.derived_denominator_sum_min, overall_n)
    hi = np.where(answered, bases.derived_denominator_sum_max, overall_n)
    overall = envelope(bases[["table_id", "item_id", "percent"]].assign(
        role_group=OVERALL, count=bases.derived_count_sum,
        derived_denominator_min=np.minimum(lo, overall_n), derived_denominator_max=np.maximum(hi, np.where(
            everyone, overall_n, hi))), bases.derived_count_sum, lo, hi)
    both = answered & everyone
    if both.any():  # widen with the interval over all 472 respondents as well
        low472, high472 = wilson(bases.derived_count_sum.to_numpy()[both], np.full(both.sum(), overall_n))
        overall.loc[both, "derived_wilson_low"] = np.minimum(overall.loc[both, "derived_wilson_low"], low472)
        overall.loc[both, "derived_wilson_high"] = np.maximum(overall.loc[both, "derived_wilson_high"], high472)
    # The build sorts derived resources in printed order (analysis.labels), so the order here is immaterial.
    return pd.concat([groups, overall], ignore_index=True)
