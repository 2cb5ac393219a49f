"""The stages' command lines: their defaults, their help, and what they do with them."""
from pathlib import Path

import pytest
from package_frames import ROOT

from checks import validate
from pipeline import ddl, load_duckdb, load_sqlite, tidy


def help_text(main, capsys) -> str:
    with pytest.raises(SystemExit):
        main(["--help"])
    return " ".join(capsys.readouterr().out.split())


def test_validate_defaults_to_the_staged_build_and_says_one_line(capsys, monkeypatch, tmp_path):
    # The checks' own findings on the committed package are tests/unit/test_unit_validate.py's; here a report
    # stands for them, to see which build is checked and what is said.
    seen = []
    report = ["cells_complete: 3 checked, 0 not reconciling", "1 rules checked 3 cells; the register has 0 entries"]
    monkeypatch.setattr(validate, "problems", lambda root, inputs: seen.append((root, inputs)) or ([], report))
    passed = tmp_path / "register.passed"
    assert validate.main(["--passed", str(passed)]) == 0
    assert seen == [(ROOT / "build" / "stage", ROOT / "transcription")]
    assert capsys.readouterr().out == "pandera: 1 rules checked 3 cells; the register has 0 entries\n"
    assert passed.read_text() == "1 rules checked 3 cells; the register has 0 entries\n"
    monkeypatch.setattr(validate, "problems", lambda root, inputs: (["a finding"], report))
    assert validate.main(["--passed", str(passed)]) == 1 and not passed.exists()
    assert capsys.readouterr().err == "error: a finding\n"
    text = help_text(validate.main, capsys)
    assert "make validate: check the built package with pandera and against the register of discrepancies." in text
    assert text.endswith("-v, --verbose one line per rule")
    assert ("--root ROOT the built package (default: the staged build) --inputs INPUTS the hand-typed inputs it was "
            "built from --passed PASSED written when every check passes (the Makefile's target) -v") in text


def test_the_database_loaders_default_to_the_staged_build(monkeypatch, capsys):
    seen = []
    for module in (load_sqlite, load_duckdb):
        monkeypatch.setattr(module, "build", lambda out, package: seen.append((out, package)))
        assert module.main([]) == 0
    assert seen == [(ROOT / "build" / "stage" / "build", ROOT / "build" / "stage")] * 2
    text = help_text(load_sqlite.main, capsys)
    assert "Load the validated CSVs into SQLite with sqlite-utils (types and keys from schemas/) and create" in text
    assert text.endswith("--package PACKAGE package root holding the built tables/")
    given = []
    assert ddl.loader_main(lambda out, package: given.append((out, package)), "Doc line.\nmore",
                           ["--out", "x", "--package", "y"]) == 0
    assert given == [(Path("x"), Path("y"))]  # paths, not strings


def test_passthrough_resources_are_the_curated_rows_typed():
    from package_frames import transcription

    t = transcription()
    rows = tidy.passthrough("external_factor_references")(t)
    assert len(rows) == len(t.curation["external_factor_references"]) and isinstance(rows[0]["year"], int)
    assert tidy.passthrough("wave_2002")(t)[0]["fact_id"] == t.curation["wave_2002"][0]["fact_id"]


def test_the_build_defaults_to_this_checkout(monkeypatch, capsys):
    from pipeline import build

    seen = []
    monkeypatch.setattr(build, "build", lambda inputs, out: seen.append((inputs, out)))
    assert build.main([]) == 0
    assert seen == [(ROOT / "transcription", ROOT / "build" / "stage")]
    assert build.main(["--inputs", "x", "--out", "y"]) == 0 and seen[-1] == (Path("x"), Path("y"))  # paths  # the staged build, checked before publishing
    text = help_text(build.main, capsys)
    assert "Build the package: read transcription/ (the hand-typed inputs), write tables/*.csv and datapackage.json." in text
    assert "--inputs INPUTS folder holding printed/ and curation/ --out" in text
    assert text.endswith("--out OUT package root to write into")
