"""pipeline/build.py: the whole build into a scratch folder, what it refuses, and Frictionless's verdict on a
staged package, each problem named by file, row, column and value."""
import json
import shutil
import time

import pytest
from expected import COLUMNS
from package_frames import ROOT

from checks import committed
from pipeline import build

# What a build writes, from tests/expected.py's hand-written resources (not from committed.outputs(), which reads the
# same schemas the build does): one CSV a resource, then the two descriptors.
WRITTEN = sorted([f"tables/{name}.csv" for name in COLUMNS] + ["csv-metadata.json", "datapackage.json"])


def test_the_build_writes_the_committed_outputs_and_nothing_else(tmp_path, capsys, monkeypatch):
    # Frictionless's verdicts are the tests below (on the committed package, on a malformed input); here it is
    # seen to be asked, on the inputs and on the staged package, before anything is moved into place.
    asked = []

    def staged(staging):
        asked.append(("package", sorted(str(p.relative_to(staging)) for p in staging.glob("**/*.csv")),
                      (staging / "datapackage.json").exists(), (staging / "schemas/package.json").exists(),
                      [str(p.relative_to(tmp_path)) for p in tmp_path.glob("tables/*")]))

    monkeypatch.setattr(build.transcription, "validate_beside", lambda folder: lambda: asked.append(("inputs", folder)))
    monkeypatch.setattr(build, "validate", staged)
    monkeypatch.setenv("BUILD_TIMINGS", "1")
    start = time.perf_counter()
    assert build.main(["--out", str(tmp_path)]) == 0
    took = time.perf_counter() - start
    tables = [rel for rel in WRITTEN if rel.endswith(".csv")]
    assert asked == [("inputs", ROOT / "transcription"), ("package", tables, True, True, [])]
    timings = json.loads(capsys.readouterr().err)
    assert set(timings) == {"transcription to tidy", "derived figures (pandera rules, scipy, statsmodels)",
                            "waiting for frictionless on the inputs", "frictionless"}
    assert all(0 <= seconds <= took for seconds in timings.values()), timings  # each phase's own time, in the build's
    assert committed.compare(ROOT, tmp_path) == []
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == WRITTEN  # no staging folder, no schemas copy left behind


def test_a_malformed_input_stops_the_build_and_writes_nothing(tmp_path, capsys):
    inputs = tmp_path / "transcription"
    shutil.copytree(ROOT / "transcription", inputs)
    table = inputs / "printed/table_2.2.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("70% (40)", "70% (60)", 1), encoding="utf-8")
    assert build.main(["--inputs", str(inputs), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: transcription/printed/table_2.2.csv, row 2, column 'Chief executives (n=59)', "
                          "value '70% (60)': count 60 is above the column's n=59")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.csv"))


def test_a_derivation_that_fails_stops_the_build(tmp_path, capsys, monkeypatch):
    def broken(rows, register):
        raise ValueError("tables/survey_results.csv, row 9: broken")
    monkeypatch.setattr(build.derive, "derive", broken)
    assert build.main(["--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == "error: tables/survey_results.csv, row 9: broken\n"
    assert not list(tmp_path.iterdir())


def stage(tmp_path):
    staged = tmp_path / "staged"
    for rel in committed.outputs():
        (staged / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, staged / rel)
    shutil.copytree(ROOT / "schemas", staged / "schemas")
    return staged


def test_frictionless_names_each_problem_of_a_staged_package(tmp_path):
    staged = stage(tmp_path)
    build.validate(staged)  # the committed package passes
    path = staged / "tables/role_groups.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",board,", ",ward,", 1), encoding="utf-8")
    with pytest.raises(ValueError) as e:
        build.validate(staged)
    lines = str(e.value).splitlines()
    assert lines[0] == "the built package does not match its schemas:"
    assert lines[1].startswith("  tables/role_groups.csv, row 2, column 'level', value 'ward': ")
    # the file no longer has the bytes the descriptor states: a problem of the whole file, no row, column or value
    size = len((ROOT / "tables/role_groups.csv").read_bytes())
    assert lines[2].startswith("  tables/role_groups.csv, The data source does not match the expected hash count")
    assert lines[3] == (f"  tables/role_groups.csv, The data source does not match the expected byte count: expected is "
                        f'"{size}" and actual is "{size - 1}"')  # 'board' made 'ward'
    # every printed_in of survey_results misspelt: hundreds of errors, the first 20 of the file named
    path = staged / "tables/survey_results.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",table,", ",tabel,"), encoding="utf-8")
    with pytest.raises(ValueError) as e:
        build.validate(staged)
    named = [line for line in str(e.value).splitlines() if line.startswith("  tables/survey_results.csv, row ")]
    assert len(named) == 20 and "column 'printed_in', value 'tabel'" in named[0]


def test_check_false_skips_frictionless(tmp_path, monkeypatch):
    # What the files hold is the first test's: here, the committed bytes stand for a render, written unchecked.
    committed_files = {rel: (ROOT / rel).read_bytes() for rel in committed.outputs()}
    monkeypatch.setattr(build, "render", lambda inputs: dict(committed_files))
    monkeypatch.setattr(build, "validate", lambda staging: pytest.fail("validated"))
    files = build.build(ROOT / "transcription", tmp_path, check=False)
    assert sorted(files) == WRITTEN
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == WRITTEN
    assert all((tmp_path / rel).read_bytes() == data for rel, data in committed_files.items())
