"""The build validates what it is about to publish with Frictionless and writes nothing when a built file
breaks its Table Schema (here a derivation bug is simulated: the checks on the hand-typed inputs cannot
catch it)."""
from conftest import ROOT

from pipeline import build, derive


def test_a_percentage_above_100_in_the_built_survey_results_is_refused_and_nothing_is_written(
        tmp_path, monkeypatch, capsys):
    real = derive.derive
    where = {}

    def derive_with_a_bug(rows, register):
        out = real(rows, register)
        # Table 2.2, relative power about right, chief executives, 2015: published as 101%.
        i = next(i for i, r in enumerate(out["survey_results"])
                 if (r["item_id"], r["role_group"], r["survey_year"]) == ("relative_power_about_right",
                                                                         "chief_executive", 2015))
        out["survey_results"][i]["percent"] = 101
        where["row"] = i + 2  # the CSV's line: the header is row 1
        return out

    monkeypatch.setattr(build.derive, "derive", derive_with_a_bug)
    assert build.main(["--inputs", str(ROOT / "transcription"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "does not match its schemas" in err
    assert f"tables/survey_results.csv, row {where['row']}, column 'percent', value '101': " in err, err
    assert list(tmp_path.iterdir()) == []  # no CSV, no descriptor, no staging folder left behind

