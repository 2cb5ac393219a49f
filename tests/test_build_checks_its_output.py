"""The build validates what it is about to publish with Frictionless and writes nothing when a built file
breaks its Table Schema (here a derivation bug is simulated: the checks on the hand-typed inputs cannot
catch it)."""
from conftest import ROOT

from pipeline import build, derive


def test_a_percentage_above_100_in_the_built_survey_results_is_refused_and_nothing_is_written(
        tmp_path, monkeypatch, capsys):
    real = derive.derive

    def derive_with_a_bug(rows, register):
        out = real(rows, register)
        # Table 2.2, relative power about right, chief executives, 2015: published as 101%.
        i = next(i for i, r in enumerate(out["survey_results"])
                 if (r["item_id"], r["role_group"], r["survey_year"]) == ("relative_power_about_right",
                                                                         "chief_executive", 2015))
        out["survey_results"][i]["percent"] = 101
        return out

    monkeypatch.setattr(build.derive, "derive", derive_with_a_bug)
    assert build.main(["--inputs", str(ROOT / "transcription"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "does not match its schemas" in err
    # Row 52: the header, Table 2.1's 50 rows (5 items x 5 groups in 2015 and 2002), then Table 2.2's first item
    # (relative power about right) for chief executives in 2015: 1 + 50 + 1.
    assert "tables/survey_results.csv, row 52, column 'percent', value '101': " in err, err
    assert list(tmp_path.iterdir()) == []  # no CSV, no descriptor, no staging folder left behind

