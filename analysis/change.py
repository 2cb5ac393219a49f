"""Change since 2002, tested: for each item and role group with both waves, the change in points, a 95%
Newcombe (hybrid score) interval for the difference of proportions (2015 minus 2002) and a two-proportion
test p-value range, over every (count, denominator) pair each wave allows.

Neither wave prints every denominator. 2015 prints counts; its denominators are ranges
(cell_denominators, overall_bases). 2002 prints only percentages, plus the group sizes of its paper
(wave_2002) and, for five cells, a count and denominator (survey_results' paper_2003_ columns). A 2002 cell's feasible pairs are every denominator d with
ceil(n x (1 - m)) <= d <= n, for m the largest share of the group assumed not to answer, and every count
c with round-half-up(100 c / d) equal to the printed percentage. Unknown denominators widen the ranges
(the interval is the union over all pairs, the p-value a min-max range); they never stop a test.

Pure functions on numbers and DataFrames: cells_from() takes the package's frames, change_tests() gives
the published resource.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from analysis.derived import OVERALL
from analysis.failures import FiguresError
from analysis.failures import cells as cells_of

ALPHA = 0.05
REPORT_MISSING_SHARE = 0.05  # the report: missing answers "typically around 5% or lower"
SENSITIVITY_SHARES = (0.0, 0.05, 0.10, 0.20)
# the published assumptions by name, with the flat share each takes (None: the default, default_max_missing)
SHARES = {"default": None, **{f"missing_{round(100 * m)}": m for m in SENSITIVITY_SHARES}}
ASSUMPTION = (
    "2002 missing answers: at most 5% of the role group (the report's typical bound for 2015), or the share "
    "the same 2015 cell implies where that is larger; the 2003 paper's five printed denominators lose at most "
    "1.3% (6 of 445), so this is looser than the only 2002 evidence. Where the paper prints a cell's count and "
    "denominator, that pair alone is used."
)


def round_half_up_percent(count, denominator) -> np.ndarray:
    """Whole percent of count / denominator, rounded half up, in integer arithmetic (no float ties)."""
    c, d = np.asarray(count, dtype=np.int64), np.asarray(denominator, dtype=np.int64)
    return (200 * c + d) // (2 * d)


def denominator_floor(n: int, max_missing: float) -> int:
    """Smallest denominator when at most max_missing of n do not answer: ceil(n x (1 - m)), exactly."""
    if not 0 <= max_missing < 1:
        raise ValueError(f"max_missing must be in [0, 1), not {max_missing}")
    m = Fraction(max_missing).limit_denominator(10**6)  # 0.05 as 1/20, not 0.05000000000000000277
    return max(1, math.ceil(n * (1 - m)))


def feasible_pairs(percent: int, denominators, count: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every (count, denominator) with denominator in `denominators` whose percentage rounds half up to
    `percent`; with `count` given, only that count. Returns (counts, denominators), possibly empty.

    round-half-up(100 c / d) == p  <=>  (2p - 1) d <= 200 c < (2p + 1) d, so per d the counts run from
    ceil((2p - 1) d / 200) to ceil((2p + 1) d / 200) - 1: enumerated without trying every c.
    """
    d = np.asarray(denominators, dtype=np.int64)
    if count is not None:
        c = np.full_like(d, count)
        keep = (c <= d) & (round_half_up_percent(c, d) == percent)
        return c[keep], d[keep]
    lo = np.maximum(-((-(2 * percent - 1) * d) // 200), 0)
    hi = np.minimum(((2 * percent + 1) * d - 1) // 200, d)
    width = np.maximum(hi - lo + 1, 0)
    rows = np.repeat(np.arange(len(d)), width)
    offset = np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width)
    return lo[rows] + offset, d[rows]


def pairs_2002(percent: int, n: int, max_missing: float, known: tuple[int, int] | None = None,
               complement: bool = False) -> tuple[np.ndarray, np.ndarray, float]:
    """A 2002 cell's feasible pairs, in the item's direction, and the missing share actually used.

    complement: the printed percentage is of the reverse wording, so the item's count is d - c. Where no
    pair reproduces the percentage (possible only for d < 100), the missing share widens by 5 points until
    one does, so the test still runs; the share returned says so.
    """
    if known is not None:
        c, d = np.array([known[0]]), np.array([known[1]])
        used = max_missing
    else:
        used = max_missing
        while True:
            c, d = feasible_pairs(percent, np.arange(denominator_floor(n, used), n + 1))
            if len(c) or used >= 0.95:
                break
            used = min(round(used + 0.05, 10), 0.95)
    return (d - c if complement else c), d, used


def pairs_2015(percent: int, count: int, denominators) -> tuple[np.ndarray, np.ndarray, bool]:
    """A 2015 cell's pairs: its printed count over each candidate denominator that reproduces the printed
    percentage; if none does (a cell that does not reconcile), over every candidate, flagged False."""
    d = np.asarray(denominators, dtype=np.int64)
    c, dd = feasible_pairs(percent, d, count=count)
    if len(c):
        return c, dd, True
    d = d[d >= count]
    return np.full_like(d, count), d, False


def compare(c1, n1, c2, n2, alpha: float = ALPHA) -> dict:
    """Over every combination of the 2015 pairs (c1, n1) and the 2002 pairs (c2, n2): the union of the
    Newcombe intervals for p1 - p2 (statsmodels' 'newcomb' is Newcombe's method 10, Wilson intervals
    combined) and the range of the two-sided pooled two-proportion z-test p-value (the score test without
    the Miettinen-Nurminen correction: the same p as proportions_ztest and as Pearson's chi-squared on
    the 2 x 2 table, the test the report used across groups)."""
    i, j = np.meshgrid(np.arange(len(c1)), np.arange(len(c2)))  # every combination, in any order
    a1, b1 = np.asarray(c1)[i.ravel()], np.asarray(n1)[i.ravel()]
    a2, b2 = np.asarray(c2)[j.ravel()], np.asarray(n2)[j.ravel()]
    # statsmodels' defaults for two proportions: their difference, and Newcombe's interval for it
    low, high = confint_proportions_2indep(a1, b1, a2, b2, alpha=alpha)
    with np.errstate(divide="ignore", invalid="ignore"):  # 0/d against 0/d has no test: p is nan, kept out
        p = np.atleast_1d(test_proportions_2indep(a1, b1, a2, b2, method="score", correction=False).pvalue)
    p = p[~np.isnan(p)]
    return {"combinations": int(a1.size), "diff_low": float(np.min(low)), "diff_high": float(np.max(high)),
            "p_min": float(p.min()) if p.size else math.nan, "p_max": float(p.max()) if p.size else math.nan}


def verdict(p_min: float, p_max: float, alpha: float = ALPHA) -> str:
    if p_max < alpha:
        return "significant"
    if p_min >= alpha:
        return "not_significant"
    return "depends_on_denominators"


def default_max_missing(missing_share_2015: float) -> float:
    """The default assumption (ASSUMPTION): 5%, or the same cell's 2015 share where larger."""
    if missing_share_2015 is None or (isinstance(missing_share_2015, float) and math.isnan(missing_share_2015)):
        return REPORT_MISSING_SHARE
    return max(REPORT_MISSING_SHARE, float(missing_share_2015))


def change_row(cell: dict, max_missing: float | None = None, alpha: float = ALPHA) -> dict:
    """One item x role group. cell keys: percent_2015, count_2015, denominators_2015 (iterable),
    missing_share_2015, percent_2002 (as printed), n_2002, compares_as_2002 ('same'/'complement'),
    known_2002 ((count, denominator) as the 2003 paper prints it, in the wording of percent_2002, or None).
    max_missing None takes default_max_missing(missing_share_2015)."""
    m = default_max_missing(cell.get("missing_share_2015")) if max_missing is None else max_missing
    complement = cell.get("compares_as_2002", "same") == "complement"
    known = cell.get("known_2002")
    c2, n2, used = pairs_2002(int(cell["percent_2002"]), int(cell["n_2002"]), m,
                              known=known, complement=complement)
    c1, n1, reconciles = pairs_2015(int(cell["percent_2015"]), int(cell["count_2015"]), cell["denominators_2015"])
    p2002 = 100 - int(cell["percent_2002"]) if complement else int(cell["percent_2002"])
    res = compare(c1, n1, c2, n2, alpha=alpha)
    return {
        "percent_2002": p2002, "percent_2015": int(cell["percent_2015"]),
        "change_points": int(cell["percent_2015"]) - p2002,
        "max_missing_2002": m, "max_missing_2002_used": used,
        "source_2002_pair": "paper" if known is not None else "enumerated",
        "n_2002": int(cell["n_2002"]),
        "denominator_2002_min": int(n2.min()), "denominator_2002_max": int(n2.max()),
        "count_2002_min": int(c2.min()), "count_2002_max": int(c2.max()), "pairs_2002": len(c2),
        "denominator_2015_min": int(n1.min()), "denominator_2015_max": int(n1.max()),
        "count_2015": int(cell["count_2015"]), "pairs_2015": len(c1), "reconciles_2015": reconciles,
        "combinations": res["combinations"],
        # Percentage points, rounded outwards to 0.1 so the published interval still covers every pair.
        "diff_low_points": math.floor(1000 * res["diff_low"] + 1e-9) / 10,
        "diff_high_points": math.ceil(1000 * res["diff_high"] - 1e-9) / 10,
        "p_min": res["p_min"], "p_max": res["p_max"],
        "verdict": verdict(res["p_min"], res["p_max"], alpha),
    }


# ---- from the package's frames ----

def cells_from(res: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The item x role group pairs with both waves (a self-join of survey_results, as the view
    change_since_2002), with each wave's inputs for change_row: the 2015 count and feasible denominators
    (cell_denominators, overall_bases), the 2002 group size (wave_2002) and any pair the 2003 paper prints."""
    r = res["survey_results"]
    wave = res["wave_2002"]
    roles = res["role_groups"].set_index("role_group")
    overall_n = int(roles.loc[OVERALL, "respondents"])  # the 2015 respondents, 472
    n2002 = {g: int(v) for g, v in wave[wave.fact == "respondents"][["role_group", "value"]].itertuples(index=False)}
    now = r[r.survey_year == 2015].set_index(["item_id", "role_group"])
    was = r[r.survey_year == 2002]
    group = res["cell_denominators"].set_index(["item_id", "role_group"])
    overall = res["overall_bases"].set_index("item_id")
    out = []
    for w in was.itertuples(index=False):
        key = (w.item_id, w.role_group)
        if key not in now.index:
            continue
        if w.role_group == OVERALL:
            b = overall.loc[w.item_id]
            count, lo, hi = int(b.derived_count_sum), int(b.derived_denominator_sum_min), int(b.derived_denominator_sum_max)
            # The bases that reproduce the printed overall figure (overall_bases.derived_base).
            ds = {"answered": range(lo, hi + 1), "all_respondents": [overall_n]}.get(
                b.derived_base, list(range(lo, hi + 1)) + [overall_n])
            share = (overall_n - lo) / overall_n if b.derived_base == "answered" else math.nan
        else:
            g = group.loc[key]
            count, n = int(g["count"]), int(g.group_n)
            if pd.notna(g.derived_denominator_min):
                ds = range(int(g.derived_denominator_min), int(g.derived_denominator_max) + 1)
                share = int(g.derived_missing_max) / n
            else:  # does not reconcile: every d from the count (at least 1) to n, missing share unknown
                ds, share = range(max(count, 1), n + 1), math.nan
        known = None
        if pd.notna(w.paper_2003_count) and pd.notna(w.paper_2003_denominator):
            # in the printed wording, as the percentage: pairs_2002 turns both to the item's wording
            known = (int(w.paper_2003_count), int(w.paper_2003_denominator))
        out.append({"table_id": w.table_id, "item_id": w.item_id, "role_group": w.role_group, "percent_2015": int(now.loc[key, "percent"]),
                    "count_2015": count, "denominators_2015": sorted(set(ds)), "missing_share_2015": share,
                    "percent_2002": int(w.percent), "n_2002": n2002[w.role_group],
                    "compares_as_2002": w.compares_as, "known_2002": known})
    return pd.DataFrame(out)


def change_tests(res: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The published resource: every pair under the default assumption and under each flat share."""
    cells = cells_from(res)
    rows = []
    for name, m in SHARES.items():
        for cell in cells.to_dict("records"):
            try:
                r = change_row(cell, m)
            except (ValueError, ArithmeticError, IndexError) as e:  # figures no test foresaw: named where typed
                raise FiguresError(f"the change since 2002 of {cell['item_id']} for {cell['role_group']} "
                                   f"({cell['table_id']}) cannot be tested on these figures",
                                   cells_of(cell["item_id"], [2015, 2002], [cell["role_group"]])) from e
            rows.append({
                "table_id": cell["table_id"], "item_id": cell["item_id"], "role_group": cell["role_group"],
                "assumption": name,
                "percent_2002": r["percent_2002"], "percent_2015": r["percent_2015"],
                "change_points": r["change_points"], "n_2002": r["n_2002"],
                "derived_max_missing_2002_percent": round(100 * r["max_missing_2002_used"], 1),
                "derived_pair_2002": "2003 paper" if r["source_2002_pair"] == "paper" else "enumerated",
                "derived_count_2002_min": r["count_2002_min"], "derived_count_2002_max": r["count_2002_max"],
                "derived_denominator_2002_min": r["denominator_2002_min"],
                "derived_denominator_2002_max": r["denominator_2002_max"],
                "derived_denominator_2015_min": r["denominator_2015_min"],
                "derived_denominator_2015_max": r["denominator_2015_max"],
                "derived_diff_low_points": r["diff_low_points"], "derived_diff_high_points": r["diff_high_points"],
                "derived_p_min": r["p_min"], "derived_p_max": r["p_max"], "derived_verdict": r["verdict"],
            })
    return pd.DataFrame(rows)
