"""make bench stays runnable: its synthetic results table is built like survey_results (every field of the
schema, a cell for each role group of role_groups), so the schema-derived model and the cell rules run on it."""
from benchmarks import validation
from core import schemas


def test_the_synthetic_results_table_passes_the_survey_results_model_and_rules():
    res = validation.synthetic(items=25)
    results = res["survey_results"]
    assert list(results.columns) == schemas.field_names("survey_results")
    assert len(results) == 25 * (len(validation.GROUP_N) + 1)  # the four role groups and the overall column
    assert validation.validate_once(res) > 0  # raises if the model or a rule cannot run
