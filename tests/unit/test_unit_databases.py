"""The databases made from the committed tables (SQLite, what is served, and DuckDB): every table with its
columns, rows, keys and NOT NULLs as the schemas state them, and the views that lay the report's tables out
again give back, cell for cell, what was typed from the report (transcription/printed)."""
import csv
import sqlite3

import duckdb
from expected import COLUMNS, VIEWS
from package_frames import ROOT

from pipeline import ddl, load_duckdb, load_sqlite


def csv_rows(name):
    with open(ROOT / "tables" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def printed(number):
    with open(ROOT / "transcription/printed" / f"table_{number}.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_sqlite_tables_views_and_keys(tmp_path):
    path = load_sqlite.build(tmp_path)
    assert path == tmp_path / "managing_doctors.sqlite" and not list(tmp_path.glob(".sqlite-*"))
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                        "'items_fts%' ORDER BY name")]
    assert tables == sorted(COLUMNS)
    views = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")]
    assert views == VIEWS
    for name, columns in COLUMNS.items():
        info = con.execute(f"PRAGMA table_info({name})").fetchall()
        assert " ".join(c[1] for c in info) == columns, name
        assert con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] == len(csv_rows(name)), name
    info = {c[1]: c for c in con.execute("PRAGMA table_info(survey_results)")}
    assert (info["percent"][2], info["percent"][3], info["cell_text"][2], info["count"][3]) == ("INTEGER", 1, "TEXT", 0)
    assert [c[1] for c in sorted(info.values(), key=lambda c: c[5]) if c[5]] == ["item_id", "survey_year", "role_group"]
    fks = {(r[3], r[2], r[4]) for r in con.execute("PRAGMA foreign_key_list(survey_results)")}
    assert ("item_id", "items", "item_id") in fks and ("role_group", "role_groups", "role_group") in fks
    not_null = sum(c[3] for n in COLUMNS for c in con.execute(f"PRAGMA table_info({n})"))
    assert not_null == 184  # the schemas' required fields (tests/unit/test_unit_expectations.py counts them)
    assert con.execute("SELECT medical, respondents FROM role_groups WHERE role_group = 'chief_executive'").fetchone() == (
        0, 59)
    assert con.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'consultant'").fetchall()
    # the Porter stemmer: 'deteriorating' finds the item 'likely to deteriorate'
    found = con.execute("SELECT row_label FROM items_fts WHERE items_fts MATCH 'deteriorating'").fetchall()
    assert found == [("Those agreeing that relationships are likely to deteriorate in the next year",)]
    assert [c[1] for c in con.execute("PRAGMA table_info(items_fts)")] == ["row_label"]
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'items_fts'")] == ["items_fts"]
    # a read-only database: the index is built once, no triggers keep it in step with edits
    assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] == 0
    # The report's tables laid out again, cell for cell as typed
    for number in ["2.1", "2.2", "2.7", "2.9", "2.11"]:
        typed = printed(number)[1:]
        got = con.execute("SELECT row_label, chief_executive, medical_director, directorate_manager, clinical_director,"
                          " overall FROM printed_tables_2 WHERE table_id = ? ORDER BY row_order", (f"T{number}",))
        assert [list(r) for r in got] == typed, number
    con.close()


def test_duckdb_tables_comments_and_parquet(tmp_path):
    (tmp_path / "parquet").mkdir()
    (tmp_path / "parquet/dropped.parquet").write_bytes(b"")  # a previous load's: the Parquet folder is replaced whole
    path = load_duckdb.build(tmp_path)
    assert path == tmp_path / "managing_doctors.duckdb"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["managing_doctors.duckdb", "parquet"]  # no scratch folder
    assert sorted(p.name for p in (tmp_path / "parquet").iterdir()) == sorted(f"{n}.parquet" for n in COLUMNS)
    con = duckdb.connect(str(path), read_only=True)
    for name, columns in COLUMNS.items():
        got = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                          "ORDER BY ordinal_position", [name]).fetchall()
        assert " ".join(r[0] for r in got) == columns, name
        assert con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] == len(csv_rows(name)), name
        parquet = con.execute(f"SELECT COUNT(*) FROM '{tmp_path / 'parquet' / (name + '.parquet')}'").fetchone()[0]
        assert parquet == len(csv_rows(name)), name
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'survey_results'").fetchall())
    assert (types["percent"], types["cell_text"], types["derived_percent_on_item_wording"]) == (
        "BIGINT", "VARCHAR", "BIGINT")
    comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'items'").fetchone()[0]
    assert comment.startswith("Items: ")
    column = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'items' "
                         "AND column_name = 'row_number'").fetchone()[0]
    assert column.startswith("The item's position among the table's items")
    views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name").fetchall()]
    assert views == VIEWS
    assert con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'printed_tables_2'").fetchone()[0]
    row = con.execute("SELECT chief_executive, overall FROM printed_tables_2 WHERE table_id = 'T2.1' "
                      "ORDER BY row_order LIMIT 1").fetchone()
    assert row == ("72% (42)", "60%*")
    not_null = con.execute("SELECT COUNT(*) FROM duckdb_columns() WHERE NOT is_nullable AND NOT internal "
                           "AND table_name IN (SELECT table_name FROM duckdb_tables())").fetchone()[0]
    assert not_null == 184  # the schemas' required fields, as in SQLite
    keys = con.execute("SELECT constraint_text FROM duckdb_constraints() WHERE table_name = 'survey_results' "
                       "AND constraint_type = 'FOREIGN KEY' ORDER BY constraint_text").fetchall()
    assert ("FOREIGN KEY (role_group) REFERENCES role_groups(role_group)",) in keys
    assert ("FOREIGN KEY (item_id) REFERENCES items(item_id)",) in keys
    pk = con.execute("SELECT constraint_text FROM duckdb_constraints() WHERE table_name = 'survey_results' "
                     "AND constraint_type = 'PRIMARY KEY'").fetchone()[0]
    assert pk == "PRIMARY KEY(item_id, survey_year, role_group)"
    with_quote = con.execute("SELECT COUNT(*) FROM items WHERE row_label LIKE '%''%'").fetchone()[0]
    assert with_quote == sum(1 for r in csv_rows("items") if "'" in r["row_label"])
    con.close()


def test_load_order_puts_referenced_tables_first():
    order = ddl.load_order()
    assert sorted(order) == sorted(COLUMNS)
    assert order.index("items") < order.index("survey_results") and order.index("tables") < order.index("items")
    assert order[:2] == ["tables", "role_groups"]
    assert ddl.quote("it's") == "'it''s'"


def test_a_failed_load_leaves_the_previous_database(tmp_path, capsys):
    good = load_sqlite.build(tmp_path)
    before = good.read_bytes()
    assert load_sqlite.main(["--out", str(tmp_path), "--package", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: loading the database failed: ") and "Error" not in err  # no exception's name
    assert good.read_bytes() == before and not list(tmp_path.glob(".sqlite-*"))
    assert load_duckdb.main(["--out", str(tmp_path), "--package", str(tmp_path / "nowhere")]) == 1
    assert not (tmp_path / "managing_doctors.duckdb").exists() and not list(tmp_path.glob(".duckdb-*"))


def test_the_sqlite_database_is_written_beside_and_renamed(tmp_path, monkeypatch):
    made = []
    mkstemp = load_sqlite.tempfile.mkstemp

    def recording(*args, **kwargs):
        made.append((args, kwargs))
        return mkstemp(*args, **kwargs)
    out = tmp_path / "not" / "yet"
    monkeypatch.setattr(load_sqlite.tempfile, "mkstemp", recording)
    load_sqlite.build(out)
    assert made == [((), {"prefix": ".sqlite-", "dir": out})]
    assert [p.name for p in out.iterdir()] == ["managing_doctors.sqlite"]
