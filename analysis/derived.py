"""The derived figures: implied denominators of each cell and the base of each overall percentage."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import arithmetic as ar

OVERALL = "all_respondents"  # the overall column's role group; the others come from role_groups


def groups(role_groups: pd.DataFrame) -> list[str]:
    """The role groups surveyed (every role group but the overall column), in printed order."""
    return role_groups[role_groups.role_group != OVERALL].sort_values("sort_order").role_group.tolist()


def group_cells(results: pd.DataFrame) -> pd.DataFrame:
    """The 2015 role-group cells, which print a count under a column n."""
    return results[(results.survey_year == 2015) & (results.role_group != OVERALL)]


def cell_denominators(results: pd.DataFrame) -> pd.DataFrame:
    g = group_cells(results)
    blank = g[g["count"].isna() | g["group_n"].isna() | g["percent"].isna()]
    if len(blank):  # every 2015 group cell prints a count under its column n: say which does not
        r = blank.iloc[0]
        raise ValueError(f"tables/survey_results.csv, row {blank.index[0] + 2}: the 2015 cell of {r.item_id} for "
                         f"{r.role_group} has no count, n or percentage ({len(blank)} such cells)")
    c, n, p = g["count"].to_numpy("int64"), g["group_n"].to_numpy("int64"), g["percent"].to_numpy("int64")
    dmin, dmax = ar.denominators_for(c, p, c, n)
    ok = dmin <= dmax
    out = g[["table_id", "item_id", "role_group", "percent", "count", "group_n"]].copy()
    out["derived_denominator_min"] = pd.Series(dmin, index=out.index, dtype="Int64").where(ok)
    out["derived_denominator_max"] = pd.Series(dmax, index=out.index, dtype="Int64").where(ok)
    out["derived_missing_min"] = out["group_n"] - out["derived_denominator_max"]
    out["derived_missing_max"] = out["group_n"] - out["derived_denominator_min"]
    out["derived_count_at_n"] = pd.Series((2 * p * n + 100) // 200, index=out.index, dtype="Int64")
    out["derived_reconciles"] = pd.Series(ok, index=out.index, dtype="boolean")
    return out.reset_index(drop=True)


def overall_bases(results: pd.DataFrame, cells: pd.DataFrame, overall_n: int) -> pd.DataFrame:
    # A cell that does not reconcile still counts, over the widest range it could have: count..n.
    lo = cells["derived_denominator_min"].fillna(cells["count"])
    hi = cells["derived_denominator_max"].fillna(cells["group_n"])
    sums = (cells.assign(lo=lo, hi=hi).groupby("item_id", sort=False)
            .agg(derived_count_sum=("count", "sum"), derived_denominator_sum_min=("lo", "sum"),
                 derived_denominator_sum_max=("hi", "sum")))
    overall = results[(results.survey_year == 2015) & (results.role_group == OVERALL)]
    out = overall[["table_id", "item_id", "percent"]].merge(sums, left_on="item_id", right_index=True, validate="1:1")
    C, P = out["derived_count_sum"].to_numpy("int64"), out["percent"].to_numpy("int64")
    dlo, dhi = out["derived_denominator_sum_min"].to_numpy("int64"), out["derived_denominator_sum_max"].to_numpy("int64")
    out["derived_percent_over_answered_min"] = ar.percent_1dp(C, dhi)
    out["derived_percent_over_answered_max"] = ar.percent_1dp(C, dlo)
    out["derived_percent_over_all"] = ar.percent_1dp(C, np.full_like(C, overall_n))
    answered = ar.reproduces_over_range(C, P, dlo, dhi)
    everyone = ar.round_half_up(C, np.full_like(C, overall_n)) == P
    out["derived_answered_reproduces"] = pd.array(answered, dtype="boolean")
    out["derived_all_respondents_reproduces"] = pd.array(everyone, dtype="boolean")
    out["derived_base"] = np.select([answered & everyone, answered, everyone],
                                    ["either", "answered", "all_respondents"], "neither")
    return out.reset_index(drop=True)


def recipients(role_groups: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The recipients each group's printed response rate allows (whole r for which respondents/r rounds to the
    rate), as (fewest, most) per group in printed order."""
    rg = role_groups.set_index("role_group").loc[groups(role_groups)]
    return ar.denominators_for(rg["respondents"].to_numpy("int64"), rg["response_rate_percent"].to_numpy("int64"))


def table_bases(bases: pd.DataFrame) -> dict[str, str]:
    """Per table, the base that reproduces more of its overall percentages (either if both do equally)."""
    counts = bases.groupby("table_id", sort=False)[["derived_answered_reproduces",
                                                    "derived_all_respondents_reproduces"]].sum()
    a, e = counts["derived_answered_reproduces"], counts["derived_all_respondents_reproduces"]
    choice = np.select([a == e, a > e], ["either", "answered"], "all_respondents")
    return dict(zip(counts.index, choice))
