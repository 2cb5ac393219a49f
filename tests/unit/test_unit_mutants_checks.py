"""checks/ on the cases the other unit tests leave open: make validate's and the Great Expectations step's
command lines (the stamp each writes where make waits for it, in a folder not made yet; the paths they are
given, as paths), and the finer points of the checks themselves."""
from pathlib import Path

import pandas as pd
import pytest
from package_frames import published
from pandera.errors import SchemaErrors

from checks import checkpoint, expectations, models, validate

# ---- the command lines: the stamps make waits for, and the paths given ----

def test_validate_writes_its_stamp_in_the_staged_build_by_default(monkeypatch, tmp_path, capsys):
    # the stamp is build/stage/register.passed; here the staged build is a folder of the test's
    monkeypatch.setattr(validate.schemas, "STAGE", tmp_path / "stage")
    report = ["a: 1 checked, 0 not reconciling", "b: 2 checked, 0 not reconciling", "2 rules checked 3 cells"]
    monkeypatch.setattr(validate, "problems", lambda root, inputs: ([], report))
    assert validate.main([]) == 0
    assert (tmp_path / "stage" / "register.passed").read_text(encoding="utf-8") == "2 rules checked 3 cells\n"
    # without -v, only the last line of three is said
    assert capsys.readouterr().out == "pandera: 2 rules checked 3 cells\n"


def test_validate_makes_the_stamps_folder_and_reads_the_paths_given(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(validate, "problems", lambda root, inputs: seen.append((root, inputs)) or ([], ["1 rule"]))
    passed = tmp_path / "not" / "yet" / "register.passed"
    assert validate.main(["--root", "the/package", "--inputs", "the/inputs", "--passed", str(passed)]) == 0
    assert seen == [(Path("the/package"), Path("the/inputs"))]  # paths, not strings
    assert passed.read_text(encoding="utf-8") == "1 rule\n"


def test_the_expectations_stamp_in_the_staged_build_by_default(monkeypatch, tmp_path, capsys):
    # the stamp is build/stage/expectations.passed; here the staged build is a folder of the test's
    monkeypatch.setattr(checkpoint.schemas, "STAGE", tmp_path / "stage")
    monkeypatch.setattr(checkpoint, "run", lambda sqlite, duckdb, docs, package: [("sqlite.a", "expect_a()", True, 1)])
    assert checkpoint.main(["--docs", str(tmp_path / "docs")]) == 0
    assert (tmp_path / "stage" / "expectations.passed").read_text() == "1 expectations passed\n"


def test_the_expectations_stamps_folder_is_made_and_the_package_is_a_path(monkeypatch, tmp_path, capsys):
    seen = []

    def run(sqlite, duckdb, docs, package):
        seen.append(package)
        return [("sqlite.a", "expect_a()", True, 1), ("sqlite.a", "expect_b()", True, 2)]
    monkeypatch.setattr(checkpoint, "run", run)
    passed = tmp_path / "not" / "yet" / "expectations.passed"
    assert checkpoint.main(["--package", "the/package", "--docs", str(tmp_path), "--passed", str(passed)]) == 0
    assert seen == [Path("the/package")]  # a path, not a string
    assert passed.read_text() == "2 expectations passed\n"


# ---- checks/checkpoint.py: the suites run() makes, and the report's layout ----

class InProcess:
    """ProcessPoolExecutor's part run() uses, in this process: which suites run is what is tested here."""

    def __init__(self, processes, mp_context=None):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def map(self, f, jobs):
        return [f(job) for job in jobs]


def test_run_makes_each_engines_suites_from_the_package_checked(monkeypatch, tmp_path):
    made, ran = [], []

    def suites(engine, package):
        made.append((engine, package))
        return {"items": ("items", ["one expectation"])}

    def run_part(job):
        ran.append(job)
        return [(f"{job[0]}.{name}", "expect_a()", True, 1) for name in job[2]]
    monkeypatch.setattr(checkpoint, "SUITES", {})
    monkeypatch.setattr(checkpoint.expectations, "suites", suites)
    monkeypatch.setattr(checkpoint, "ProcessPoolExecutor", InProcess)
    monkeypatch.setattr(checkpoint, "run_part", run_part)
    monkeypatch.setattr(checkpoint, "source_commit", lambda: "abc")
    package = Path("the/package")
    rows = checkpoint.run(Path("s.sqlite"), Path("d.duckdb"), tmp_path / "docs", processes=1, package=package)
    # GX's SQLite data source for the database, its pandas one for DuckDB's query results
    assert made == [("sqlite", package), ("pandas", package)]
    assert checkpoint.SUITES == {"sqlite": {"items": ("items", ["one expectation"])},
                                 "duckdb": {"items": ("items", ["one expectation"])}}
    assert ran == [("sqlite", Path("s.sqlite"), ["items"]), ("duckdb", Path("d.duckdb"), ["items"])]
    assert rows == [("sqlite.items", "expect_a()", True, 1), ("duckdb.items", "expect_a()", True, 1)]
    # made once: a second run uses them as they are
    checkpoint.run(Path("s.sqlite"), None, tmp_path / "docs", processes=1, package=package)
    assert len(made) == 2


def test_the_reports_parts_in_their_order():
    page = checkpoint.summary_html([("sqlite.b", "x()", True, 1)], ["sqlite"])
    assert "</style><nav><a href=\"/\">Home</a> · <a href=\"/about\">About this data</a></nav><h1>" in page
    assert ("</p><h2>By resource and engine</h2><table class=by-resource><tr><th>resource</th><th>engine</th>"
            "<th class=n>expectations</th>") in page
    assert "</table><h2>Every expectation</h2><table><tr><th>suite</th>" in page


def test_great_expectations_is_asked_for_the_basic_results(monkeypatch):
    # BASIC holds the counts the messages need; GX's default, SUMMARY, also computes lists of unexpected values
    asked = []

    class Batch:
        def validate(self, suite, **kwargs):
            asked.append((suite.name, kwargs))
            return type("Result", (), {"results": []})()
    assert checkpoint.validate(Batch(), "sqlite.items", []) == []
    assert asked == [("sqlite.items", {"result_format": "BASIC"})]


def test_a_context_never_calls_home():
    # analytics off in the context itself, not left to the environment (GX_ANALYTICS_ENABLED)
    assert checkpoint.context().config.analytics_enabled is False


def test_the_source_commit_where_git_fails(monkeypatch):
    import subprocess

    def answer(returncode, stdout):
        return lambda *args, **kwargs: subprocess.CompletedProcess(args, returncode, stdout, "")
    monkeypatch.setattr(subprocess, "run", answer(0, "0123abcd\n"))
    assert checkpoint.source_commit() == "0123abcd"
    monkeypatch.setattr(subprocess, "run", answer(128, "HEAD\n"))  # git's error, whatever it printed
    assert checkpoint.source_commit() == "unknown"
    monkeypatch.setattr(subprocess, "run", answer(0, " \n"))
    assert checkpoint.source_commit() == "unknown"

    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")
    monkeypatch.setattr(subprocess, "run", no_git)
    assert checkpoint.source_commit() == "unknown"


# ---- checks/validate.py ----

def test_problems_lets_each_finding_name_where_it_was_typed(monkeypatch, tmp_path):
    # what the transcription reader found (read_sources) reaches check(), which cites it in each finding
    seen = []
    sources = {("survey_results", "x"): "where it was typed"}
    monkeypatch.setattr(validate.frames, "load_all", lambda root: {"items": "the resources"})
    monkeypatch.setattr(validate, "derived_frames", lambda res: {})
    monkeypatch.setattr(validate, "DERIVED", ())
    monkeypatch.setattr(validate, "read_register", lambda inputs: {"rule:x": "class"})
    monkeypatch.setattr(validate, "read_sources", lambda inputs: sources)
    monkeypatch.setattr(validate, "check", lambda res, registered, **kw: seen.append((res, registered, kw)) or (
        ["a finding"], ["a report"]))
    assert validate.problems(tmp_path, tmp_path) == (["a finding"], ["a report"])
    assert seen == [({"items": "the resources"}, {"rule:x": "class"}, {"sources": sources})]


# ---- checks/models.py on a synthetic Table Schema: each constraint, and what a failure names ----

SCHEMAS = {
    "visits": {
        "description": "Visits, one a row.",
        "primaryKey": ["ward", "day"],
        "foreignKeys": [{"fields": ["ward"], "reference": {"resource": "wards", "fields": ["ward_id"]}},
                        {"fields": ["ward", "day"], "reference": {"resource": "rotas", "fields": ["ward_id", "day"]}},
                        {"fields": ["previous"], "reference": {"resource": "visits", "fields": ["ticket"]}}],
        "fields": [{"name": "ward", "type": "string", "title": "Ward", "description": "Where.",
                    "constraints": {"required": True}},
                   {"name": "day", "type": "integer", "constraints": {"required": True}},
                   {"name": "ticket", "type": "string", "constraints": {"unique": True}},
                   {"name": "previous", "type": "string"}]},
}


@pytest.fixture
def synthetic(monkeypatch):
    from types import SimpleNamespace
    monkeypatch.setattr(models, "schemas", SimpleNamespace(schema=SCHEMAS.__getitem__,
                                                           fields=lambda name: SCHEMAS[name]["fields"]))


def model_failures(df, res=None) -> list[tuple]:
    try:
        models.pandera_schema("visits", res).validate(df, lazy=True)
    except SchemaErrors as e:
        return sorted((str(f["column"]), str(f["check"]), str(f["failure_case"])) for _, f in e.failure_cases.iterrows())
    return []


def visits(**changes):
    df = pd.DataFrame({"ward": ["A", "B", "A"], "day": [1, 1, 2], "ticket": ["t1", "t2", "t3"],
                       "previous": [None, "t1", "t2"]}).astype({"ward": "string", "day": "Int64", "ticket": "string",
                                                                 "previous": "string"})
    for column, (row, value) in changes.items():
        df.loc[row, column] = value
    return df


def test_a_model_names_the_resource_its_columns_and_their_description(synthetic):
    schema = models.pandera_schema("visits")
    assert (schema.name, schema.description) == ("visits", "Visits, one a row.")
    assert (schema.columns["ward"].title, schema.columns["ward"].description) == ("Ward", "Where.")
    assert model_failures(visits()) == []


def test_a_foreign_key_of_one_column_names_the_resource_it_refers_to(synthetic):
    # only ward -> wards is checked: a key of two columns (ward, day -> rotas) and a resource's reference to
    # itself (previous -> visits) are not one-column references to another resource
    res = {"wards": pd.DataFrame({"ward_id": ["A", "B", None]}), "rotas": pd.DataFrame({"ward_id": [], "day": []}),
           "visits": visits()}
    assert model_failures(visits(ward=(1, "C")), res) == [("ward", "foreign key to wards", "C")]
    assert model_failures(visits(ward=(1, "C"))) == []  # without the resources, no reference to check


def test_a_unique_column_and_a_key_of_two_columns(synthetic):
    assert model_failures(visits(ticket=(1, "t1"))) == [("ticket", "field_uniqueness", "t1"),
                                                        ("ticket", "field_uniqueness", "t1")]
    # (A, 2) twice: each column alone repeats values anyway, the pair must not
    assert [(c, k) for c, k, _ in model_failures(visits(ward=(1, "A"), day=(1, 2)))] == [
        ("day", "multiple_fields_uniqueness"), ("day", "multiple_fields_uniqueness"),
        ("ward", "multiple_fields_uniqueness"), ("ward", "multiple_fields_uniqueness")]


# ---- checks/expectations.py on a synthetic package: a key without its own unique constraint ----

PACKAGE = {
    "visits": {"path": "tables/visits.csv", "primaryKey": ["visit"],
               "foreignKeys": [{"fields": ["ward"], "reference": {"resource": "wards", "fields": ["ward_id"]}}],
               "fields": [{"name": "visit", "type": "integer"},
                          {"name": "ward", "type": "string", "constraints": {"required": True}},
                          {"name": "minutes", "type": "integer", "constraints": {"minimum": 0}},
                          {"name": "rating", "type": "integer", "constraints": {"maximum": 5}},
                          {"name": "note", "type": "string"}]},
    "wards": {"path": "tables/wards.csv", "primaryKey": ["ward_id"],
              "fields": [{"name": "ward_id", "type": "string", "constraints": {"required": True, "unique": True}}]},
}


@pytest.fixture
def package(monkeypatch, tmp_path):
    from types import SimpleNamespace
    monkeypatch.setattr(expectations, "schemas", SimpleNamespace(schema=PACKAGE.__getitem__,
                                                                 resource=PACKAGE.__getitem__))
    (tmp_path / "tables").mkdir()
    # a note over two lines, as a spreadsheet writes it: CRLF inside the quotes
    (tmp_path / "tables/visits.csv").write_bytes(b'visit,ward,minutes,rating,note\r\n1,A,5,4,"first line\r\nsecond"'
                                                 b"\r\n2,B,0,,\r\n")
    (tmp_path / "tables/wards.csv").write_bytes(b"ward_id\r\nA\r\nB\r\nC\r\n")
    return tmp_path


def test_a_csvs_rows_as_typed_line_breaks_inside_a_value_kept(package):
    assert expectations.csv_records("visits", package) == [
        {"visit": "1", "ward": "A", "minutes": "5", "rating": "4", "note": "first line\r\nsecond"},
        {"visit": "2", "ward": "B", "minutes": "0", "rating": "", "note": ""}]


def test_a_suite_for_a_key_without_its_own_unique_constraint(package):
    suite = expectations.resource_suite("visits", "sqlite", package)
    assert [(type(e).__name__, getattr(e, "column", None)) for e in suite] == [
        ("ExpectTableColumnsToMatchOrderedList", None), ("ExpectTableRowCountToEqual", None),
        ("ExpectColumnValuesToBeInTypeList", "visit"),
        ("ExpectColumnValuesToBeInTypeList", "ward"), ("ExpectColumnValuesToNotBeNull", "ward"),
        ("ExpectColumnValuesToBeInSet", "ward"),
        ("ExpectColumnValuesToBeInTypeList", "minutes"), ("ExpectColumnValuesToBeBetween", "minutes"),
        ("ExpectColumnValuesToBeInTypeList", "rating"), ("ExpectColumnValuesToBeBetween", "rating"),
        ("ExpectColumnValuesToBeInTypeList", "note"),
        ("ExpectColumnValuesToBeUnique", "visit")]  # the key, which no constraint of its own makes unique
    assert suite[1].value == 2 and suite[5].value_set == ["A", "B", "C"]
    assert (suite[7].min_value, suite[7].max_value) == (0, None)  # a minimum alone
    assert (suite[9].min_value, suite[9].max_value) == (None, 5)  # a maximum alone
    wards = expectations.resource_suite("wards", "sqlite", package)
    assert [type(e).__name__ for e in wards].count("ExpectColumnValuesToBeUnique") == 1  # stated once


# ---- checks/validate.py's check(): what a user reads for each kind of finding ----

class Rule:
    def __init__(self, name):
        self.name = name

    def rests_on(self, row, res):
        return []


def test_every_kind_of_finding_in_the_order_the_rules_run(monkeypatch):
    # rules stand-ins: one whose join breaks, one whose check answers the wrong thing, one with findings
    from analysis import rules

    def run(rule, res):
        if rule.name == "joins":
            raise KeyError("item_id")
        if rule.name == "answers":
            raise rules.RuleError("rule answers: its check answered a list, not a Series")
        frame = pd.DataFrame({"discrepancy_id": ["sums:1", "sums:2", "sums:3"], "printed": ["5%", "7%", "9%"],
                              "recomputed": ["6%", "8%", "9%"]})
        return frame, frame.iloc[:2]
    monkeypatch.setattr(rules, "RULES", [Rule("joins"), Rule("answers"), Rule("sums"), Rule("unrun")])
    monkeypatch.setattr(rules, "run", run)
    monkeypatch.setattr(validate.explanations, "EXPLAINERS", {"stale": lambda row, frame: False})
    # the entries of a rule that could not run are kept: whether they still occur is not known
    registered = {"joins:old": "stale", "answers:old": "stale", "sums:2": "stale", "sums:3": "stale",
                  "sums:9": "stale", "unrun:x": "stale"}  # sums:9 is no subject the rule checks at all
    problems, report = validate.check({}, registered, only=["joins", "answers", "sums"])
    assert problems == [
        "rule joins cannot run on these tables: 'item_id'",
        "rule answers: its check answered a list, not a Series",
        "unregistered discrepancy sums:1: printed 5%; recomputed 6%. Correct what was mistyped, or explain it in "
        "transcription/curation/discrepancies.csv",
        "register entry sums:2: its explanation 'stale' no longer reproduces the printed 7%",
        "register entry sums:3 no longer occurs: remove it from transcription/curation/discrepancies.csv",
        "register entry sums:9 no longer occurs: remove it from transcription/curation/discrepancies.csv"]
    assert report == ["sums: 3 checked, 2 not reconciling",
                      "3 rules checked 3 cells, items and figures; 2 do not reconcile; the register has 5 entries"]


def test_a_foreign_key_failure_names_file_row_column_value_and_the_resource_referred_to():
    results = published("survey_results")
    results.loc[0, "role_group"] = "nurse_director"
    problems, _ = validate.check({"role_groups": published("role_groups"), "survey_results": results}, {}, only=[])
    assert problems == ["tables/survey_results.csv, row 2, column 'role_group', value 'nurse_director': fails "
                        "foreign key to role_groups"]


def test_schema_failures_are_named_up_to_ten_and_a_columns_failure_has_no_row():
    results = published("survey_results")
    results.loc[:11, "printed_in"] = "margin"  # twelve rows
    problems, _ = validate.check({"survey_results": results}, {}, only=[])
    assert problems == [f"tables/survey_results.csv, row {r}, column 'printed_in', value 'margin': fails "
                        "isin(['table', 'text', '2003 paper'])" for r in range(2, 12)]
    problems, _ = validate.check({"tables": published("tables").assign(extra=1)}, {}, only=[])
    assert problems == ["tables/tables.csv, column 'tables', value 'extra': fails column_in_schema"]


def test_a_column_of_the_wrong_type(synthetic):
    # day is an integer in the Table Schema: the same figures as text fail the model
    assert model_failures(visits().astype({"day": "string"})) == [("day", "dtype('Int64')", "string")]
