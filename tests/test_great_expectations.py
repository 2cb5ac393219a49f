"""Great Expectations on what is served: the suites come from the schemas, pass on the built databases,
and a corrupted copy of the SQLite database fails with the failing expectations named."""
import shutil
import sqlite3
import subprocess
import sys

from conftest import ROOT, VIEWS, read_csv
from expected import EXPECTATIONS

from checks import expectations

SQLITE = ROOT / "build" / "managing_doctors.sqlite"


def test_suites_state_each_schema_constraint():
    suites = expectations.suites("sqlite")
    results = [e.expectation_type for e in suites["survey_results"][1]]
    # survey_results has 21 columns: item_order to derived_percent_on_item_wording (17), paper_2003_* (4).
    assert results.count("expect_column_values_to_be_in_type_list") == 21
    assert "expect_compound_columns_to_be_unique" in results  # the primary key
    assert "expect_column_pair_values_a_to_be_greater_than_b" in results  # count <= group_n
    role = next(e for e in suites["survey_results"][1]
                if e.expectation_type == "expect_column_values_to_be_in_set" and e.column == "role_group")
    assert role.value_set == [r["role_group"] for r in read_csv(ROOT / "tables/role_groups.csv")]  # the foreign key's
    assert role.value_set == ["chief_executive", "medical_director", "directorate_manager", "clinical_director",
                              "all_respondents"]
    every_view = {e.column for e in suites["view_row_counts"][1]
                  if e.expectation_type == "expect_column_values_to_be_between" and e.min_value == 1}
    assert every_view == set(VIEWS)  # every view non-empty, each by name


def test_a_corrupted_copy_fails_naming_the_expectations(tmp_path):
    bad = tmp_path / "corrupted.sqlite"
    shutil.copyfile(SQLITE, bad)
    con = sqlite3.connect(bad)
    # Table 2.2, chief executives (n=59): a count above its n.
    con.execute("UPDATE survey_results SET count = 60 WHERE item_id = 'relative_power_about_right' "
                "AND role_group = 'chief_executive'")
    # Table 2.2, clinical directors: a missing row.
    con.execute("DELETE FROM survey_results WHERE item_id = 'doctors_adequately_involved' "
                "AND role_group = 'clinical_director'")
    # Table 2.5, medical directors renamed to a role group the survey does not have.
    con.execute("UPDATE survey_results SET role_group = 'nurse_director' WHERE item_id = "
                "'management_feedback_to_doctors' AND role_group = 'medical_director'")
    # A view that returns nothing.
    con.execute("DROP VIEW change_since_2002")
    con.execute("CREATE VIEW change_since_2002 AS SELECT * FROM survey_results WHERE 0")
    con.commit()
    con.close()
    passed = tmp_path / "expectations.passed"
    passed.write_text("from an earlier run")
    result = subprocess.run([sys.executable, "-m", "checks.checkpoint", "--engines", "sqlite", "--sqlite", str(bad),
                             "--docs", str(tmp_path / "docs"), "--passed", str(passed)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    err = result.stderr
    assert ("expectation failed: sqlite.survey_results: expect_column_pair_values_a_to_be_greater_than_b("
            "column_A='group_n', column_B='count'") in err
    rows = len(read_csv(ROOT / "tables/survey_results.csv"))  # 365 printed cells and 16 figures of the text
    assert rows == 381
    assert f"sqlite.survey_results: expect_table_row_count_to_equal(value={rows}) failed (observed: {rows - 1})" in err
    assert "sqlite.survey_results: expect_column_values_to_be_in_set(column='role_group') failed (observed: 1)" in err
    assert "sqlite.survey_results_completeness: expect_column_values_to_be_in_set(column='cells')" in err
    assert "sqlite.view_row_counts: expect_column_values_to_be_between(column='change_since_2002'" in err
    assert not passed.exists()
    summary = (tmp_path / "docs" / "summary.html").read_text(encoding="utf-8")
    assert "expectations failed</h1>" in summary and "<tr class=fail>" in summary  # the failing report is there
    assert "the SQLite database this site serves" in summary and "DuckDB" not in summary  # what was checked


def test_the_same_suites_pass_on_the_duckdb_tables_and_views(tmp_path):
    """make validate checks the served SQLite; --engines duckdb runs the same suites on DuckDB's results."""
    result = subprocess.run([sys.executable, "-m", "checks.checkpoint", "--engines", "duckdb",
                             "--docs", str(tmp_path / "docs"), "--passed", str(tmp_path / "passed")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"all {EXPECTATIONS} expectations passed on duckdb" in result.stdout
    summary = (tmp_path / "docs" / "summary.html").read_text(encoding="utf-8")
    assert "duckdb.survey_results" in summary and "the DuckDB tables and views" in summary
    assert "SQLite" not in summary
