"""checks/ on the cases the other unit tests leave open: make validate's and the Great Expectations step's
command lines (the stamp each writes where make waits for it, in a folder not made yet; the paths they are
given, as paths), and the finer points of the checks themselves."""
from pathlib import Path

from checks import checkpoint, validate

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
