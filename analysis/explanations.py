"""Each explanation class of the register as a test: does it still reproduce the printed figure?"""
from __future__ import annotations

import pandas as pd

from analysis import arithmetic as ar


def _nonempty(interval) -> bool:
    lo, hi = interval
    return bool(lo <= hi)


def two_step_rounding(row: pd.Series, frame: pd.DataFrame) -> bool:
    c, p, n = int(row["count"]), int(row["percent"]), int(row["group_n"])
    return _nonempty(ar.denominators_for(c, p, c, n, decimals_first=True))


def count_off_by_one(row: pd.Series, frame: pd.DataFrame) -> bool:
    p = int(row["percent"])
    if row["rule"] == "count_reconciles":
        c, n = int(row["count"]), int(row["group_n"])
        return any(_nonempty(ar.denominators_for(c + d, p, c + d, n)) for d in (-1, 1))
    C, lo, hi = int(row["derived_count_sum"]), int(row["derived_denominator_sum_min"]), int(row["derived_denominator_sum_max"])
    N = int(row["overall_n"])
    return any(bool(ar.reproduces_over_range(C + d, p, lo, hi)) or int(ar.round_half_up(C + d, N)) == p
               for d in (-1, 1))


def different_base(row: pd.Series, frame: pd.DataFrame) -> bool:
    # The overall rate reproduces over the online recipients, which the group rates cannot add up to.
    over_online = int(ar.round_half_up(int(row["respondents"]), int(row["online_recipients"]))) == int(row["rate"])
    return over_online and not int(row["recipients_min"]) <= int(row["online_recipients"]) <= int(row["recipients_max"])


def _numerators(percent: int, n: int) -> tuple[int, int]:
    """The whole counts x with round(100x/n) == percent."""
    return max(0, -(-(2 * percent - 1) * n // 200)), -(-(2 * percent + 1) * n // 200) - 1


def separately_rounded_complement(row: pd.Series, frame: pd.DataFrame) -> bool:
    n, v, t = int(row["respondents"]), int(row["derived_value"]), int(row["percent"])
    xlo, xhi = _numerators(v, n)
    ylo, yhi = _numerators(t, n)
    return abs(v - (100 - t)) == 1 and xlo <= xhi and ylo <= yhi and xlo + ylo < n


def inconsistent_restatement(row: pd.Series, frame: pd.DataFrame) -> bool:
    same = frame[(frame.item_id == row["item_id"]) & (frame.role_group == row["role_group"])
                 & (frame.survey_year == row["survey_year"]) & (frame.figure_id != row["figure_id"])]
    return bool(((same.derived_qualifier == "exact") & (same.derived_value == same.expected)).any())


def marker_one_level_off(row: pd.Series, frame: pd.DataFrame) -> bool:
    from analysis.statistics import MARKERS

    levels = [MARKERS.index(m) for m in str(row["derived_markers"]).split()]
    printed = MARKERS.index(row["printed_marker"])
    return len(set(levels)) == 1 and abs(levels[0] - printed) == 1


def qualifier_not_met(row: pd.Series, frame: pd.DataFrame) -> bool:
    # A text figure with a qualifier ('at least a quarter') that the table's figure does not meet: the
    # explanation says by how much; it stands while the table's figure still falls short.
    from analysis.rules import text_agrees

    return row["derived_qualifier"] in ("at_least", "over", "less_than") and not bool(
        text_agrees(row.to_frame().T.astype({"derived_value": float, "expected": float})).iloc[0])


def claim_not_supported(row: pd.Series, frame: pd.DataFrame) -> bool:
    # The register's explanation says why the printed figures do not bear the claim out; it stands
    # while the claim's comparison still fails (once it holds, the entry no longer occurs).
    return not bool(row["derived_holds"])


EXPLAINERS = {f.__name__: f for f in (two_step_rounding, count_off_by_one, different_base,
                                      separately_rounded_complement, inconsistent_restatement,
                                      marker_one_level_off, qualifier_not_met, claim_not_supported)}


# How much each explanation matters to a reader of the report, stated once (schemas/discrepancies.json
# describes each level): within rounding; a slip of one printed figure or of the text's wording; a figure
# computed in another way than its table says; a conclusion of the text the printed figures do not bear out.
SEVERITY = {"two_step_rounding": "rounding", "separately_rounded_complement": "rounding",
            "count_off_by_one": "slip", "inconsistent_restatement": "slip", "qualifier_not_met": "slip",
            "different_base": "method", "marker_one_level_off": "method",
            "claim_not_supported": "conclusion"}
