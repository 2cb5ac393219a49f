"""Well-formed printed cells the statistics or claims cannot compute on (tests/test_derivation_refusals.py works
out why, by hand), refused by the build in memory: the message names where the cell was typed, and nothing is
written."""
import shutil

import pytest
from package_frames import ROOT
from test_derivation_refusals import set_cell

from pipeline import build
from pipeline import transcription as t


@pytest.mark.parametrize("rel, row, column, was, typed, names", [
    # Table 2.8, chief executives, lack of communication: 19% (11) typed 19% (1); expected counts fall below 5.
    ("printed/table_2.8.csv", 6, 1, "19% (11)", "19% (1)", ["ba_alignment", "expected counts below 5"]),
    # Table 2.1, chief executives, 2002, likely to deteriorate: 6% typed 0%; no multiple of 0% can be read.
    ("printed/table_2.1.csv", 9, 1, "6%", "0%", ["op_deteriorate_roughly_trebled"]),
])
def test_a_cell_nothing_can_be_computed_on_is_named_where_typed(tmp_path, monkeypatch, rel, row, column, was, typed,
                                                                  names):
    inputs = tmp_path / "transcription"
    shutil.copytree(ROOT / "transcription", inputs)
    set_cell(inputs, rel, row, column, was, typed)
    monkeypatch.setattr(t, "validate_beside", lambda folder: lambda: None)  # Frictionless: well-formed, as set
    with pytest.raises(ValueError) as e:
        build.build(inputs, tmp_path / "out")
    message = str(e.value)
    header = (ROOT / "transcription" / rel).read_text(encoding="utf-8").splitlines()[0].split(",")[column]
    assert all(n in message for n in names), message
    assert message.endswith(f"Typed at transcription/{rel}, row {row}, column {header!r}, cell {typed!r}. "
                            "Correct what was mistyped."), message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_make_validate_refuses_the_same_cell_in_a_built_package(tmp_path):
    # The same slip in a package's survey_results (and in the inputs it was built from): recomputing the derived
    # figures fails, and make validate says so with where the cell was typed, instead of checking anything.
    from checks import validate

    root = tmp_path / "package"
    shutil.copytree(ROOT / "tables", root / "tables")
    shutil.copytree(ROOT / "transcription", root / "transcription")
    set_cell(root / "transcription", "printed/table_2.8.csv", 6, 1, "19% (11)", "19% (1)")
    path = root / "tables/survey_results.csv"
    text = path.read_text(encoding="utf-8")
    was = "Lack of communication,2015,2015 survey,chief_executive,Chief executives,19,11,59,19% (11),"
    assert text.count(was) == 1
    path.write_text(text.replace(was, was.replace(",11,59,19% (11),", ",1,59,19% (1),")), encoding="utf-8")
    found, report = validate.problems(root, root / "transcription")
    assert report == [] and len(found) == 1 and "ba_alignment" in found[0], found
    assert found[0].endswith("Typed at transcription/printed/table_2.8.csv, row 6, column 'Chief executives (n=59)', "
                             "cell '19% (1)'. Correct what was mistyped."), found


def test_no_places_where_the_inputs_cannot_be_read(tmp_path):
    from checks import validate

    assert validate.read_sources(tmp_path / "nothing") == {}  # the build says why; the checks name no place
    # Inputs that are there but refused as typed (a count of 420 under n=59 in table_2.1.csv): no place either,
    # rather than the transcription reader's exception reaching make validate.
    typed = tmp_path / "transcription"
    shutil.copytree(ROOT / "transcription", typed)
    table = typed / "printed" / "table_2.1.csv"
    assert table.read_text(encoding="utf-8").count("72% (42)") == 1
    table.write_text(table.read_text(encoding="utf-8").replace("72% (42)", "72% (420)"), encoding="utf-8")
    with pytest.raises(t.TranscriptionError, match="count 420 is above the column's n=59"):
        t.read(typed)
    assert validate.read_sources(typed) == {}
    found = validate.read_sources(ROOT / "transcription")
    assert found[("survey_results", "positive_rating_local_relationships", 2015, "chief_executive")] == t.Source(
        "transcription/printed/table_2.1.csv", 2, "Chief executives (n=59)", "72% (42)")


def test_the_corruptions_remember_fishers_p_only_while_they_check_one():
    # tests/corruptions.py (imported here through test_derivation_refusals) remembers Fisher's p while it checks
    # a corruption. Left in place for the session, the memo answered every later call of statistics.fisher_p,
    # so a unit test of fisher_p, or make mutation's run of a mutant of it, saw the unchanged code's p.
    import corruptions

    from analysis import statistics
    assert statistics.fisher_p is not corruptions._remembered_fisher
    with corruptions.remembering_fisher():
        assert statistics.fisher_p is corruptions._remembered_fisher
    assert statistics.fisher_p is not corruptions._remembered_fisher
