"""The canned views of sql/: the same rows on DuckDB and SQLite, the printed layout cell for cell,
and hand-checked rows for figures the report's text names."""
import shutil
import sqlite3
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT, printed, read_csv, tid

from core import schemas
from pipeline import ddl

DUCKDB = ROOT / "build" / "managing_doctors.duckdb"
SQLITE = ROOT / "build" / "managing_doctors.sqlite"
VIEWS = [v.name for v in ddl.views()]


@pytest.fixture(scope="module")
def duck():
    con = duckdb.connect(str(DUCKDB), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def lite():
    con = sqlite3.connect(f"file:{SQLITE}?mode=ro", uri=True)
    yield con
    con.close()


def normal(rows):
    """Booleans as 0/1 and floats to 6 places: how the two engines' drivers differ, not the data."""
    return [tuple(int(v) if isinstance(v, bool) else round(v, 6) if isinstance(v, float) else v for v in row)
            for row in rows]


def rows(con, sql, params=()):
    return normal(con.execute(sql, params).fetchall())


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_gives_identical_rows_on_duckdb_and_sqlite(duck, lite, view):
    a, b = rows(duck, f"SELECT * FROM {view}"), rows(lite, f"SELECT * FROM {view}")
    assert a, f"{view} is empty"
    assert a == b
    assert [d[0] for d in duck.execute(f"SELECT * FROM {view}").description] == \
        [d[0] for d in lite.execute(f"SELECT * FROM {view}").description]



@pytest.mark.parametrize("table_id", [f"2.{i}" for i in range(1, 12)])
def test_printed_tables_2_view_reproduces_the_transcription_cell_for_cell(duck, table_id):
    body = rows(duck, "SELECT row_label, chief_executive, medical_director, directorate_manager, "
                      "clinical_director, overall FROM printed_tables_2 WHERE table_id = ? ORDER BY row_order",
                [tid(table_id)])
    assert [list(r) for r in body] == printed(table_id)[1:]


@pytest.mark.parametrize("table_id,columns", [
    ("1.1", "headhunted_from_outside, headhunted_from_inside, applied_from_outside, applied_from_inside, "
            "rotating_post, other"),
    ("1.2", "less_than_one_third, one_to_two_thirds, greater_than_two_thirds, no_clinical_commitments"),
    ("1.3", "number"),
])
def test_printed_tables_1_view_reproduces_the_transcription_cell_for_cell(duck, table_id, columns):
    body = rows(duck, f"SELECT role, {columns} FROM printed_tables_1 WHERE table_id = ? ORDER BY row_order",
                [tid(table_id)])
    assert [list(r) for r in body] == printed(table_id)[1:]


def test_clinical_director_gap_on_management_driven_by_clinical_priorities(duck):
    # Report, Table 2.4: 43% of clinical directors against 96% of chief executives and around 70% of
    # medical directors (70%) and directorate managers (71%): mean of the three 79.0, gap -36.0.
    row = rows(duck, "SELECT clinical_director, chief_executive, medical_director, directorate_manager, "
                     "others_mean, gap_points FROM clinical_director_gap "
                     "WHERE item_id = 'driven_by_clinical_priorities'")
    assert row == [(43, 96, 70, 71, 79.0, -36.0)]
    first = rows(duck, "SELECT item_id, gap_points FROM clinical_director_gap LIMIT 1")
    assert first == [("management_responsive_to_requests", -39.3)]  # 40 against (93 + 67 + 78) / 3


@pytest.mark.parametrize("item_id,role_group,was,now,source", [
    ("positive_rating_local_relationships", "directorate_manager", 44, 64, "Table 2.1"),
    ("relationships_likely_to_deteriorate", "clinical_director", 26, 51, "Table 2.1"),
    ("adequate_number_of_consultants", "all_respondents", 27, 48, "text: ch_consultants_all_2002"),
    # Stated as 45% exerting pressure in 2002 and 77% in 2015: 55% and 23% not exerting it.
    ("no_pressure_early_discharge", "clinical_director", 55, 23, "text: ch_discharge_pressure_cd_2002"),
])
def test_change_since_2002_for_figures_the_text_names(duck, item_id, role_group, was, now, source):
    row = rows(duck, "SELECT percent_2002, percent_2015, change_points, source_2002 FROM change_since_2002 "
                     "WHERE item_id = ? AND role_group = ?", [item_id, role_group])
    assert row == [(was, now, now - was, source)]


def test_net_impact_of_the_francis_reports_for_chief_executives(duck):
    # Table 2.9: 48% of chief executives chose the Francis reports as positive; Table 2.10: 27% as negative.
    row = rows(duck, "SELECT positive_percent, negative_percent, net_points FROM external_factor_net_impact "
                     "WHERE factor_id = 'francis_reports' AND role_group = 'chief_executive'")
    assert row == [(48, 27, 21)]
    assert rows(duck, "SELECT count(*) FROM external_factor_net_impact") == [(40,)]  # 8 factors x 5 groups


def test_time_demands_on_doctors_is_the_top_barrier_overall_and_for_each_group(duck):
    top = rows(duck, "SELECT role_group, item_id FROM ranked_barriers_and_initiatives "
                     "WHERE table_id = 'T2.8' AND rank_in_group = 1 ORDER BY role_group")
    assert {item for _, item in top} == {"barrier_time_demands_on_doctors"} and len(top) == 5


def test_discrepancies_view_lists_the_register(duck):
    assert rows(duck, "SELECT count(*) FROM discrepancies_explained") == [(len(read_csv(
        ROOT / "tables/discrepancies.csv")),)]


def test_duckdb_tables_keys_and_comments_come_from_the_schemas(duck):
    for name in schemas.resource_names():
        sch = schemas.schema(name)
        comment = duck.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ? AND NOT internal", [name]).fetchone()[0]
        assert sch["description"] in comment
        cols = duck.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ? AND NOT internal "
                            "ORDER BY column_index", [name]).fetchall()
        assert cols == [(f["name"], f["description"]) for f in sch["fields"]]
        pk = duck.execute("SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? "
                          "AND constraint_type = 'PRIMARY KEY'", [name]).fetchone()[0]
        assert list(pk) == sch["primaryKey"]
        fks = duck.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? "
                           "AND constraint_type = 'FOREIGN KEY'", [name]).fetchone()[0]
        assert fks == len(sch.get("foreignKeys", []))
        count = duck.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        assert count == len(read_csv(ROOT / schemas.resource(name)["path"]))
    for view in ddl.views():
        assert duck.execute("SELECT comment FROM duckdb_views() WHERE view_name = ?",
                            [view.name]).fetchone()[0] == view.description


def test_sqlite_tables_have_the_schema_keys_and_the_csv_rows(lite):
    for name in schemas.resource_names():
        sch = schemas.schema(name)
        info = lite.execute(f"PRAGMA table_info({name})").fetchall()
        assert [c[1] for c in info] == [f["name"] for f in sch["fields"]]
        assert [c[1] for c in sorted((c for c in info if c[5]), key=lambda c: c[5])] == sch["primaryKey"]
        count = lite.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        assert count == len(read_csv(ROOT / schemas.resource(name)["path"]))


def test_parquet_downloads_hold_every_resource(duck):
    for name in schemas.resource_names():
        path = ROOT / "build" / "parquet" / f"{name}.parquet"
        n = duck.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0]
        assert n == len(read_csv(ROOT / schemas.resource(name)["path"]))


@pytest.mark.parametrize("loader,database", [("pipeline.load_sqlite", "managing_doctors.sqlite"),
                                             ("pipeline.load_duckdb", "managing_doctors.duckdb")])
def test_a_failing_load_leaves_the_previous_database_in_place(tmp_path, loader, database):
    """Both loads are atomic: a package whose survey_results repeats a key (Table 2.1, chief executives,
    positive rating, twice) fails the primary key, exits 1 naming it, and the previous database stays."""
    package = tmp_path / "package"
    shutil.copytree(ROOT / "tables", package / "tables")
    results = package / "tables" / "survey_results.csv"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    results.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    shutil.copyfile(ROOT / "build" / database, out / database)
    before = (out / database).read_bytes()
    result = subprocess.run([sys.executable, "-m", loader, "--out", str(out), "--package", str(package)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "survey_results" in result.stderr or "UNIQUE" in result.stderr or "PRIMARY KEY" in result.stderr, \
        result.stderr
    assert (out / database).read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [database]  # no half-built file left beside it
