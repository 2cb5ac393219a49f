"""The stages' command lines: their defaults, their help, and what they do with them."""
import pytest
from package_frames import ROOT

from checks import validate
from pipeline import ddl, load_duckdb, load_sqlite, tidy


def help_text(main, capsys) -> str:
    with pytest.raises(SystemExit):
        main(["--help"])
    return " ".join(capsys.readouterr().out.split())


def test_validate_defaults_to_this_checkout_and_says_one_line(capsys):
    assert validate.main([]) == 0
    assert capsys.readouterr().out == ("pandera: 16 rules checked 856 cells, items and figures; 28 do not reconcile; "
                                       "the register has 28 entries\n")
    text = help_text(validate.main, capsys)
    assert "make validate: check the built package with pandera and against the register of discrepancies." in text
    assert "-v, --verbose one line per rule" in text


def test_the_database_loaders_default_to_build_and_this_checkout(monkeypatch, capsys):
    seen = []
    for module in (load_sqlite, load_duckdb):
        monkeypatch.setattr(module, "build", lambda out, package: seen.append((out, package)))
        assert module.main([]) == 0
    assert seen == [(ROOT / "build", ROOT)] * 2
    text = help_text(load_sqlite.main, capsys)
    assert load_sqlite.__doc__.splitlines()[0] in text and "package root holding the built tables/" in text
    assert ddl.loader_main(lambda out, package: None, "Doc line.\nmore", ["--out", "x"]) == 0


def test_passthrough_resources_are_the_curated_rows_typed():
    from package_frames import transcription

    t = transcription()
    rows = tidy.passthrough("external_factor_references")(t)
    assert len(rows) == len(t.curation["external_factor_references"]) and isinstance(rows[0]["year"], int)
    assert tidy.passthrough("wave_2002")(t)[0]["fact_id"] == t.curation["wave_2002"][0]["fact_id"]
