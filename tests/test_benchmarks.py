"""make bench stays runnable: its synthetic results table is built like survey_results (every field of the
schema, a cell for each role group of role_groups), so the schema-derived model and the cell rules run on it."""
from conftest import ROOT

from benchmarks import validation


def test_the_synthetic_results_table_passes_the_survey_results_model_and_rules():
    res = validation.synthetic(items=25)
    results = res["survey_results"]
    # The published file's header, read from the file, not from the schema the table is built from.
    header = (ROOT / "tables" / "survey_results.csv").read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    assert list(results.columns) == header and len(header) == 21
    assert len(results) == 125  # 25 items x (the four role groups and the overall column)
    assert validation.validate_once(res) > 0  # raises if the model or a rule cannot run
