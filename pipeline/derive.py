"""The derived resources: implied denominators, overall bases, the register and the checks run."""
from __future__ import annotations

import pandas as pd

from checks import derived, frames, rules, statistics
from pipeline import schemas

REGISTER_COLUMNS = ["discrepancy_id", "explanation_class", "explanation"]


def records(df: pd.DataFrame, name: str) -> list[dict]:
    df = df[[c for c in schemas.field_names(name) if c in df.columns]]
    return df.astype(object).where(df.notna(), None).to_dict("records")


def derive(rows: dict[str, list[dict]], register: list[dict]) -> dict[str, list[dict]]:
    res = {name: frames.read(name, schemas.to_csv(name, rows[name])) for name in rows}
    overall_n = int(res["role_groups"].set_index("role_group").loc["all_respondents", "respondents"])
    res["cell_denominators"] = derived.cell_denominators(res["survey_results"])
    res["overall_bases"] = derived.overall_bases(res["survey_results"], res["cell_denominators"], overall_n)
    bases = derived.table_bases(res["overall_bases"])
    res["significance_checks"] = statistics.significance_checks(res["cell_denominators"], res["printed_significance"])
    res["percent_intervals"] = statistics.percent_intervals(res["cell_denominators"], res["overall_bases"], overall_n)
    summary, failing = rules.findings(res)
    known = pd.DataFrame(register, columns=REGISTER_COLUMNS)
    disc = failing.merge(known, on="discrepancy_id", how="left", validate="1:1")
    out = dict(rows)
    out["tables"] = [{**r, "derived_overall_base": bases.get(r["table_id"])} for r in rows["tables"]]
    out["cell_denominators"] = records(res["cell_denominators"], "cell_denominators")
    out["overall_bases"] = records(res["overall_bases"], "overall_bases")
    out["significance_checks"] = records(res["significance_checks"], "significance_checks")
    out["percent_intervals"] = records(res["percent_intervals"], "percent_intervals")
    out["discrepancies"] = records(disc.sort_values("discrepancy_id", kind="stable"), "discrepancies")
    out["check_summary"] = records(summary, "check_summary")
    return out
