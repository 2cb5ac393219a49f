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


def text_one_point_off(row: pd.Series, frame: pd.DataFrame) -> bool:
    # An exact text figure one point from every percentage the table's figures allow, under either base:
    # no rounding of the printed cells reproduces it (a slip of the text, not of the table).
    v = int(row["derived_value"])
    allowed = [int(x) for x in str(row["prints_as"]).split(",") + str(row["prints_over_group"]).split(",") if x]
    return row["derived_qualifier"] == "exact" and min(abs(v - a) for a in allowed) == 1


def inconsistent_restatement(row: pd.Series, frame: pd.DataFrame) -> bool:
    same = frame[(frame.item_id == row["item_id"]) & (frame.role_group == row["role_group"])
                 & (frame.survey_year == row["survey_year"]) & (frame.figure_id != row["figure_id"])]
    return bool(((same.derived_qualifier == "exact") & (same.verdict == "holds")).any())


def marker_one_level_off(row: pd.Series, frame: pd.DataFrame) -> bool:
    from analysis.statistics import MARKERS

    levels = [MARKERS.index(m) for m in str(row["derived_markers"]).split()]
    printed = MARKERS.index(row["printed_marker"])
    return len(set(levels)) == 1 and abs(levels[0] - printed) == 1


def qualifier_not_met(row: pd.Series, frame: pd.DataFrame) -> bool:
    # A text figure with a qualifier ('at least a quarter') that the table's figures do not meet for any
    # feasible value: the explanation says by how much; it stands while they still fall short.
    return row["derived_qualifier"] != "exact" and row["verdict"] == "does_not_hold"


def qualifier_depends(row: pd.Series, frame: pd.DataFrame) -> bool:
    # A text figure with a qualifier that some feasible values of the table's figures meet and others do not.
    return row["derived_qualifier"] != "exact" and row["verdict"] == "depends"


# The register's explanation of a claim says why the printed figures do not bear it out; each stands while
# the claim's verdict is still the one it explains (once the claim holds, the entry no longer occurs).
def claim_not_supported(row: pd.Series, frame: pd.DataFrame) -> bool:
    return row["derived_verdict"] == "does_not_hold"


def claim_holds_in_part(row: pd.Series, frame: pd.DataFrame) -> bool:
    return row["derived_verdict"] == "holds_in_part"


def claim_depends(row: pd.Series, frame: pd.DataFrame) -> bool:
    return row["derived_verdict"] == "depends"


def many_missing_answers(row: pd.Series, frame: pd.DataFrame) -> bool:
    # The register's explanation cites where the report says so many did not answer; it stands while the
    # cell still implies more missing answers than the report's other cells (once it does not, the entry
    # no longer occurs).
    from analysis.rules import MOST_MISSING

    return int(row["derived_missing_min"]) * MOST_MISSING[1] > MOST_MISSING[0] * int(row["group_n"])


EXPLAINERS = {f.__name__: f for f in (two_step_rounding, count_off_by_one, different_base, text_one_point_off,
                                      inconsistent_restatement, marker_one_level_off, qualifier_not_met,
                                      qualifier_depends, claim_not_supported, claim_holds_in_part, claim_depends,
                                      many_missing_answers)}


# How much each explanation matters to a reader of the report, stated once (schemas/discrepancies.json
# describes each level): within rounding; a slip of one printed figure or of the text's wording; a figure
# computed in another way than its table says; a conclusion of the text the printed figures do not bear out.
SEVERITY = {"two_step_rounding": "rounding", "qualifier_depends": "rounding", "claim_depends": "rounding",
            "count_off_by_one": "slip", "inconsistent_restatement": "slip", "qualifier_not_met": "slip",
            "text_one_point_off": "slip", "different_base": "method", "marker_one_level_off": "method",
            "many_missing_answers": "method",
            "claim_not_supported": "conclusion", "claim_holds_in_part": "conclusion"}
