"""pipeline/: reading the hand-typed inputs (their encoding, rows, profile tables, the messages that explain a
Frictionless error) and typing curated rows, each on a small synthetic case. Byte offsets and messages below
are counted and written by hand."""
import codecs
from types import SimpleNamespace

import pytest

from core.schemas import ROOT
from pipeline import tidy
from pipeline import transcription as t


def refusal(tmp_path, monkeypatch, data: bytes) -> t.TranscriptionError:
    monkeypatch.setattr(t, "looks_like", lambda data: "")  # the guess is tested in test_unit_encoding.py
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with pytest.raises(t.TranscriptionError) as e:
        t.check_encoding(path, "transcription/x.csv")
    return e.value


def test_a_byte_order_mark_is_refused_saying_how_to_save_the_file(tmp_path, monkeypatch):
    e = refusal(tmp_path, monkeypatch, b"\xef\xbb\xbfa,b\n")
    assert e.problem == ("starts with a UTF-8 byte-order mark (bytes EF BB BF at byte 0); inputs are UTF-8 without "
                         "one: save it as 'UTF-8', not 'UTF-8 with BOM'")
    assert str(e) == ("transcription/x.csv starts with a UTF-8 byte-order mark (bytes EF BB BF at byte 0); inputs are "
                      "UTF-8 without one: save it as 'UTF-8', not 'UTF-8 with BOM'")  # a whole file's: no row, column


def test_a_bad_byte_after_a_blank_first_line_is_on_row_2(tmp_path, monkeypatch):
    # \n x , c a f \xe9 \n: the newline at byte 0 ends row 1 (blank: no column to name); the byte is at 6 of the
    # file, 5 of row 2 (which starts at byte 1)
    e = refusal(tmp_path, monkeypatch, b"\nx,caf\xe9\n")
    assert (e.row, e.column, e.value) == (2, "", "caf\\xe9")
    assert e.problem == "byte 6 of the file (byte 5 of the row), 0xE9, is not UTF-8: save it as UTF-8"


def test_a_column_heading_with_a_space_names_the_column(tmp_path, monkeypatch):
    # 'first name,town\n' is bytes 0-15; row 2 starts at 16, 'Ann,Orl' is 7 bytes: the byte is at 23, in 'town'
    e = refusal(tmp_path, monkeypatch, b"first name,town\nAnn,Orl\xe9ans\n")
    assert (e.row, e.column, e.value) == (2, "town", "Orl\\xe9ans")
    assert e.problem == "byte 23 of the file (byte 7 of the row), 0xE9, is not UTF-8: save it as UTF-8"


def test_read_rows_keeps_a_quoted_line_break_as_typed(tmp_path):
    # a note typed over two lines (Windows line ends) stays one cell, its line break unchanged; the row after the
    # header is counted from its last line (3)
    path = tmp_path / "notes.csv"
    path.write_bytes(b'label,note\nA,"two\r\nlines"\n')
    assert t.read_rows(path) == [(1, ["label", "note"]), (3, ["A", "two\r\nlines"])]


def test_read_rows_reads_utf8_whatever_the_locale(tmp_path):
    # the machine's locale must not decide how an input is read: the file is opened as UTF-8 by name
    path = tmp_path / "items.csv"
    path.write_bytes("label\nRôle\n".encode("utf-8"))

    class Opened:
        def open(self, **kw):
            self.kw = kw
            return path.open(**kw)

    opened = Opened()
    assert t.read_rows(opened) == [(1, ["label"]), (2, ["Rôle"])]
    assert codecs.lookup(opened.kw["encoding"]).name == "utf-8"


def test_read_profile_table_refuses_an_unknown_first_category_column(tmp_path):
    # Table 1.x with a column 'Other' (the first after the role groups' column) that categories.csv does not list
    path = tmp_path / "table_1.9.csv"
    path.write_text("Role,Other,Yes,No\nGPs,1%,2%,3%\n", encoding="utf-8")
    with pytest.raises(t.TranscriptionError) as e:
        t.read_profile_table("T1.9", path, {"GPs": "gp"}, ["Yes", "No"])
    assert (e.value.path, e.value.row, e.value.column, e.value.value) == (
        "transcription/printed/table_1.9.csv", 1, "Other", "Other")
    assert e.value.problem == ("column is not in transcription/curation/categories.csv; add it there with a "
                               "category_id")


def test_read_names_its_folder_and_each_profile_table():
    # the repository's transcription: Tables 1.1 to 1.3 are the profile tables
    folder = ROOT / "transcription"
    found = t.read(folder)
    assert found.folder == folder
    assert sorted(found.profiles) == ["T1.1", "T1.2", "T1.3"]
    assert [p.table_id for _, p in sorted(found.profiles.items())] == ["T1.1", "T1.2", "T1.3"]


def test_validate_checks_each_files_encoding_naming_it_by_its_path(tmp_path):
    # captions.csv saved with a byte-order mark, in a scratch copy of the inputs' folder
    (tmp_path / "printed").mkdir()
    (tmp_path / "printed" / "captions.csv").write_bytes(b"\xef\xbb\xbftable_id\n")
    with pytest.raises(t.TranscriptionError) as e:
        t.validate(tmp_path)
    assert e.value.path == "transcription/printed/captions.csv"
    assert e.value.row is None


def res_of(path: str) -> dict:
    return next(r for r in t.inputs()["resources"] if r["path"] == path)


def test_explain_an_error_of_the_whole_file():
    # an error that names neither a field nor a row (e.g. a file's encoding or format): row 1, no column, no value
    e = SimpleNamespace(type="encoding-error", message="the file cannot be decoded")
    assert t.explain(e, res_of("transcription/printed/captions.csv")) == (1, "", "", "the file cannot be decoded")


def test_explain_an_error_of_a_column_the_schema_does_not_define():
    # a type error of a column the input's schema does not have: no type, no description to quote, no cell
    e = SimpleNamespace(type="type-error", field_name="not_a_column", row_number=3, note="type is integer")
    assert t.explain(e, res_of("transcription/printed/captions.csv")) == (
        3, "not_a_column", "", "not a value of type None; the column holds: ")


def test_explain_a_foreign_key_of_two_columns(monkeypatch):
    # items.csv's (table_id, survey_year) must be a row of waves.csv's (table_id, survey_year)
    schema = {"fields": [{"name": "table_id"}, {"name": "survey_year"}, {"name": "label"}],
              "foreignKeys": [{"fields": ["table_id", "survey_year"],
                               "reference": {"resource": "waves", "fields": ["table_id", "wave_year"]}}]}
    monkeypatch.setattr(t, "input_schema", lambda path: schema)
    monkeypatch.setattr(t, "inputs", lambda: {"resources": [
        {"name": "waves", "path": "transcription/curation/waves.csv"}]})
    e = SimpleNamespace(type="foreign-key", row_number=4, cells=["T2.2", "2016", "x"],
                        note='for "table_id, survey_year": values "T2.2, 2016" not found in the lookup table')
    assert t.explain(e, {"name": "items", "schema": "items.json"}) == (
        4, "table_id", "T2.2",
        "unknown value: no such table_id, wave_year in transcription/curation/waves.csv; add it there or correct it")


def test_typed_casts_the_text_figures_number_column():
    # text_figures: survey_year is an integer, derived_value a number; empty is missing; '_row' is not a column
    rows = [{"figure_id": "responses", "survey_year": "2015", "derived_value": "12.5", "value_text": "", "_row": 3}]
    assert tidy.typed("text_figures", rows) == [
        {"figure_id": "responses", "survey_year": 2015, "derived_value": 12.5, "value_text": None}]


TEXT = "transcription/printed/text_figures.csv"
CE = "Chief executives (n=59)"
TEXT_TABLES = {"text_figures", "role_profile", "survey_results", "role_groups", "items", "tables", "cell_denominators"}


def text_findings(registered):
    from package_frames import published_all

    from checks import validate

    # only the tables the rule reads: the others' pandera checks would only add time
    res = {k: v for k, v in published_all().items() if k in TEXT_TABLES}
    return validate.check(res, validate.read_register() | registered, only=["text_matches_table"],
                          sources=validate.read_sources())[0]


def test_a_text_figures_register_entry_explained_by_a_restatement_that_is_not_there():
    # text_figures.csv row 31: directorate managers' 9% with clinical commitments, the complement of Table 1.2's
    # 90% (row 4); no other exact text figure restates that cell, so the explanation no longer reproduces it
    key = "text_matches_table:T1.2:clinical_commitments_dm:directorate_manager:2015"
    [found] = text_findings({key: "inconsistent_restatement"})
    assert found.startswith(f"register entry {key}: its explanation 'inconsistent_restatement' no longer reproduces "
                            "the printed ")
    assert found.endswith(f". Typed at {TEXT}, row 31, column 'value_text', cell '9%'; transcription/printed/"
                          "table_1.2.csv, row 4, column 'No clinical commitments', cell '90%'.")


GROUPS = [CE, "Medical directors (n=131)", "Directorate managers (n=132)", "Clinical directors (n=150)",
          "Overall (n=472)"]


def item_row(path, number, texts):
    # an item's row as a finding names it: each group's column, in the tables' order, with the cell as typed
    return f"{path}, row {number}: " + ", ".join(f"column {c!r} cell {v!r}" for c, v in zip(GROUPS, texts))


def overall_findings(res, registered):
    from checks import validate

    res = {k: res[k] for k in ("overall_bases", "role_groups")}  # only the tables the rule reads
    return validate.check(res, validate.read_register() | registered, only=["overall_reconciles"],
                          sources=validate.read_sources())[0]


def test_an_overall_register_entry_that_no_longer_reproduces_names_the_items_row():
    # Table 2.10, row 4 (Health and Social Care Act 2012): its registered count_off_by_one, with the overall
    # percentage made 20 (177 +- 1 of 472 is 37.3% or 37.7%, never 20%), no longer reproduces it
    from package_frames import published_all

    res = published_all()
    b = res["overall_bases"]
    b.loc[(b.table_id == "T2.10") & (b.item_id == "negative_health_and_social_care_act"), "percent"] = 20
    key = "overall_reconciles:T2.10:negative_health_and_social_care_act:all_respondents:2015"
    [found] = overall_findings(res, {})
    assert found.startswith(f"register entry {key}: its explanation 'count_off_by_one' no longer reproduces ")
    assert found.endswith(". Typed at " + item_row("transcription/printed/table_2.10.csv", 4,
                                                   ["51% (31)", "50% (66)", "22% (29)", "34% (51)", "37%"]) + ".")


def test_an_overall_register_entry_that_no_longer_occurs_names_the_items_row():
    # Table 2.1, row 2 (positive rating for local relationships): its overall 60% reconciles
    from package_frames import published_all

    key = "overall_reconciles:T2.1:positive_rating_local_relationships:all_respondents:2015"
    assert overall_findings(published_all(), {key: "count_off_by_one"}) == [
        f"register entry {key} no longer occurs: remove it from transcription/curation/discrepancies.csv, or restore "
        "what was typed at " + item_row("transcription/printed/table_2.1.csv", 2,
                                        ["72% (42)", "62% (80)", "64% (84)", "50% (75)", "60%*"]) + "."]
