"""The derived resources: implied denominators, overall bases, the register and the checks run."""
from __future__ import annotations

import pandas as pd

from analysis import change, claims, derived, explanations, labels, rules, statistics
from core import frames, schemas

REGISTER_COLUMNS = ["discrepancy_id", "explanation_class", "explanation"]


def records(df: pd.DataFrame, name: str) -> list[dict]:
    df = df[[c for c in schemas.field_names(name) if c in df.columns]]
    return df.astype(object).where(df.notna(), None).to_dict("records")


DERIVED = ["cell_denominators", "overall_bases", "significance_checks", "percent_intervals", "change_tests",
           "claims", "claim_parts"]


def derived_frames(res: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The derived resources (DERIVED), recomputed from the printed ones: used by the build and by
    make validate, which checks that the published ones are current."""
    overall_n = int(res["role_groups"].set_index("role_group").loc[derived.OVERALL, "respondents"])
    cells = derived.cell_denominators(res["survey_results"])
    bases = derived.overall_bases(res["survey_results"], cells, overall_n)
    out = {"cell_denominators": cells, "overall_bases": bases,
           "significance_checks": statistics.significance_checks(cells, res["printed_significance"]),
           "percent_intervals": statistics.percent_intervals(cells, bases, overall_n)}
    out["change_tests"] = change.change_tests({**res, **out})
    out["claims"], out["claim_parts"] = claims.evaluate(res["claims"], {**res, **out})
    return {name: labels.attach(name, df, res) for name, df in out.items()}


def derive(rows: dict[str, list[dict]], register: list[dict]) -> dict[str, list[dict]]:
    res = {name: frames.from_rows(name, rows[name]) for name in rows}
    res = {name: labels.attach(name, df, res) for name, df in res.items()}
    res.update(derived_frames(res))
    bases = derived.table_bases(res["overall_bases"])
    summary, failing = rules.findings(res)
    known = pd.DataFrame(register, columns=REGISTER_COLUMNS)
    disc = failing.merge(known, on="discrepancy_id", how="left", validate="1:1")
    disc["derived_finding"] = disc["rule"].map(rules.finding)
    disc["derived_severity"] = disc["explanation_class"].map(explanations.SEVERITY)
    out = {name: records(res[name], name) for name in rows}
    out["tables"] = [{**r, "derived_overall_base": bases.get(r["table_id"])} for r in out["tables"]]
    out.update({name: records(res[name], name) for name in DERIVED})
    out["discrepancies"] = records(disc.sort_values("discrepancy_id", kind="stable"), "discrepancies")
    out["check_summary"] = records(summary, "check_summary")
    return out
