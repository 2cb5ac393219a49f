"""The report's quantitative claims, each decided by the test or comparison its kind names.

A claim (transcription/curation/claims.csv) is in the project's own words; its kind says how it is decided,
on the published frames only: the change tests of change_tests, the printed percentages of
survey_results, the rerun significance tests of significance_checks, the implied missing answers of
cell_denominators. Each evaluation returns (holds, what was computed)."""
from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from analysis.derived import OVERALL

ALPHA = 0.05


def _groups(claim) -> list[str]:
    return [g for g in str(claim.role_groups or "").split(";") if g]


def _pct(x: float) -> str:
    return f"{x:g}"


def change(significant: bool):
    def decide(claim, res) -> tuple[bool, str]:
        t = res["change_tests"]
        t = t[(t.item_id == claim.item_id) & (t.assumption == "default")].set_index("role_group")
        parts, holds = [], True
        for g in _groups(claim):
            r = t.loc[g]
            parts.append(f"{g}: {int(r.percent_2002)}% to {int(r.percent_2015)}%, p {r.derived_p_min:.2g} to "
                         f"{r.derived_p_max:.2g}")
            holds &= bool(r.derived_p_max < ALPHA) if significant else bool(r.derived_p_min >= ALPHA)
        return holds, "; ".join(parts)
    return decide


def ratio(claim, res) -> tuple[bool, str]:
    r = res["survey_results"]
    r = r[r.item_id == claim.item_id].set_index(["role_group", "survey_year"])["derived_percent_on_item_wording"]
    parts, holds = [], True
    for g in _groups(claim):
        now, was = int(r.loc[(g, 2015)]), int(r.loc[(g, 2002)])
        q = now / was
        parts.append(f"{g}: {now}% / {was}% = {q:.2f}")
        holds &= float(claim.low) <= q <= float(claim.high)
    return holds, "; ".join(parts) + f" (claimed {_pct(claim.low)} to {_pct(claim.high)})"


def extreme(highest: bool):
    def decide(claim, res) -> tuple[bool, str]:
        r = res["survey_results"]
        r = r[(r.item_id == claim.item_id) & (r.survey_year == int(claim.survey_year)) & (r.role_group != OVERALL)
              & (r.printed_in == "table")].set_index("role_group")["percent"]
        best = r.max() if highest else r.min()
        text = ", ".join(f"{g} {int(p)}%" for g, p in r.items())
        return all(int(r.loc[g]) == best for g in _groups(claim)), text
    return decide


def groups_differ(claim, res) -> tuple[bool, str]:
    s = res["significance_checks"]
    s = s[(s.item_id == claim.item_id) if pd.notna(claim.item_id) else (s.table_id == claim.table_id)]
    if s.empty:
        return False, "no printed significance test for these items"
    worst = s.derived_p_max.max()
    markers = ", ".join(sorted(set(s.printed_marker)))
    return bool(worst < ALPHA), f"{len(s)} items; rerun p at most {worst:.2g}; printed markers {markers}"


def missing_share(claim, res) -> tuple[bool, str]:
    c = res["cell_denominators"].dropna(subset=["derived_missing_max"])
    low = (c.derived_missing_min / c.group_n).median() * 100
    high = (c.derived_missing_max / c.group_n).median() * 100
    # The report states whole percentages: 'around 5% or lower' holds where the median rounds to 5 or less.
    rounded = math.floor(high + 0.5)
    return bool(rounded <= float(claim.high)), (
        f"median share of missing answers over {len(c)} group cells: {low:.1f}% to {high:.1f}%, "
        f"at most {rounded}% in whole percent (claimed at most {_pct(claim.high)}%)")


KINDS: dict[str, Callable] = {
    "change_significant": change(True), "change_not_significant": change(False),
    "change_ratio_between": ratio, "highest_of_groups": extreme(True), "lowest_of_groups": extreme(False),
    "groups_differ_significantly": groups_differ, "missing_share_at_most": missing_share,
}


def evaluate(claims: pd.DataFrame, res: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """claims with derived_result (what was computed) and derived_holds."""
    out = claims.copy()
    decided = [KINDS[c.kind](c, res) for c in claims.itertuples(index=False)]
    out["derived_holds"] = pd.array([h for h, _ in decided], dtype="boolean")
    out["derived_result"] = pd.array([r for _, r in decided], dtype="string")
    return out
