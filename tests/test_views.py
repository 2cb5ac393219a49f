"""The canned views of sql/: the same rows on DuckDB and SQLite, the printed layout cell for cell, and
hand-checked rows and counts on each engine (both read the same CSVs, so agreeing with each other is no
check of a value)."""
import shutil
import sqlite3
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT, VIEWS, printed, read_csv, tid

from core import schemas

DUCKDB = ROOT / "build" / "managing_doctors.duckdb"
SQLITE = ROOT / "build" / "managing_doctors.sqlite"
# The views of sql/, with their rows counted from the report by hand. Tables 2.1 to 2.11 print 10, 6, 5, 7,
# 5, 4, 5, 7, 8, 8 and 8 rows: 73, of which Table 2.1's five '2002 figures' rows leave 68 items of 2015;
# Tables 2.1 to 2.7 hold 5 + 6 + 5 + 7 + 5 + 4 + 5 = 37 of them; Table 2.8 has 7 barriers, 2.11 has 8
# initiatives, 2.9 and 2.10 the same 8 factors, each for 5 role groups (four and overall).
VIEW_ROWS = {
    "change_since_2002": 41,                # Table 2.1's 5 items x 5 groups in both waves, + 16 the text states
    "claims_checked": 113,                  # the 113 claims of transcription/curation/claims.csv
    "clinical_director_gap": 68,            # one per 2015 item of Tables 2.1 to 2.11
    "discrepancies_explained": 33,          # the 33 entries of transcription/curation/discrepancies.csv
    "external_factor_net_impact": 40,       # 8 factors x 5 groups
    "percent_intervals_explained": 340,     # 68 items x 5 groups
    "printed_tables_1": 12,                 # Tables 1.1 to 1.3, four roles each
    "printed_tables_2": 73,                 # every printed row of Tables 2.1 to 2.11
    "ranked_barriers_and_initiatives": 75,  # (7 + 8) items x 5 groups
    "significance_rerun": 37,               # one per 2015 item of Tables 2.1 to 2.7
}
assert sorted(VIEW_ROWS) == VIEWS
# Rows of resources counted from the report by hand (the others are checked against their CSVs only).
TABLE_ROWS = {
    "tables": 14,                 # Tables 1.1 to 1.3 and 2.1 to 2.11
    "role_groups": 5,             # four role groups and all respondents
    "survey_waves": 2,            # 2002 and 2015
    "items": 68,                  # the 2015 items of Tables 2.1 to 2.11 (see above)
    "overall_bases": 68,          # one per item
    "percent_intervals": 340,     # 68 items x 5 groups
    "significance_checks": 37,    # the 2015 items of Tables 2.1 to 2.7
    "external_factors": 8,        # the rows of Tables 2.9 and 2.10
    "interview_participants": 4,  # Table 1.3's four roles
}


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


@pytest.fixture(scope="module", params=["duckdb", "sqlite"])
def con(request, duck, lite):
    """Each hand-checked figure is checked on both engines, not on one and then compared with the other."""
    return duck if request.param == "duckdb" else lite


def test_each_engine_has_exactly_the_views_of_sql(duck, lite):
    assert sorted(r[0] for r in duck.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()) == VIEWS
    assert sorted(r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type = 'view'")) == VIEWS
    assert sorted(p.stem for p in (ROOT / "sql").glob("*.sql")) == VIEWS


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_gives_identical_rows_on_duckdb_and_sqlite(duck, lite, view):
    a, b = rows(duck, f"SELECT * FROM {view}"), rows(lite, f"SELECT * FROM {view}")
    assert len(a) == VIEW_ROWS[view], f"{view} has {len(a)} rows"
    assert a == b
    assert [d[0] for d in duck.execute(f"SELECT * FROM {view}").description] == \
        [d[0] for d in lite.execute(f"SELECT * FROM {view}").description]



@pytest.mark.parametrize("table_id", [f"2.{i}" for i in range(1, 12)])
def test_printed_tables_2_view_reproduces_the_transcription_cell_for_cell(con, table_id):
    body = rows(con, "SELECT row_label, chief_executive, medical_director, directorate_manager, "
                      "clinical_director, overall FROM printed_tables_2 WHERE table_id = ? ORDER BY row_order",
                [tid(table_id)])
    assert [list(r) for r in body] == printed(table_id)[1:]


@pytest.mark.parametrize("table_id,columns", [
    ("1.1", "headhunted_from_outside, headhunted_from_inside, applied_from_outside, applied_from_inside, "
            "rotating_post, other"),
    ("1.2", "less_than_one_third, one_to_two_thirds, greater_than_two_thirds, no_clinical_commitments"),
    ("1.3", "number"),
])
def test_printed_tables_1_view_reproduces_the_transcription_cell_for_cell(con, table_id, columns):
    body = rows(con, f"SELECT role, {columns} FROM printed_tables_1 WHERE table_id = ? ORDER BY row_order",
                [tid(table_id)])
    assert [list(r) for r in body] == printed(table_id)[1:]


def test_clinical_director_gap_on_management_driven_by_clinical_priorities(con):
    # Report, Table 2.4: 43% of clinical directors against 96% of chief executives and around 70% of
    # medical directors (70%) and directorate managers (71%): mean of the three 79.0, gap -36.0.
    row = rows(con, "SELECT clinical_director, chief_executive, medical_director, directorate_manager, "
                     "others_mean, gap_points FROM clinical_director_gap "
                     "WHERE item_id = 'driven_by_clinical_priorities'")
    assert row == [(43, 96, 70, 71, 79.0, -36.0)]
    first = rows(con, "SELECT item_id, gap_points FROM clinical_director_gap LIMIT 1")
    assert first == [("management_responsive_to_requests", -39.3)]  # 40 against (93 + 67 + 78) / 3


@pytest.mark.parametrize("item_id,role_group,was,now,source", [
    ("positive_rating_local_relationships", "directorate_manager", 44, 64, "Table 2.1"),
    ("relationships_likely_to_deteriorate", "clinical_director", 26, 51, "Table 2.1"),
    ("adequate_number_of_consultants", "all_respondents", 27, 48, "text: ch_consultants_all_2002"),
    # Stated as 45% exerting pressure in 2002 and 77% in 2015: 55% and 23% not exerting it.
    ("no_pressure_early_discharge", "clinical_director", 55, 23, "text: ch_discharge_pressure_cd_2002"),
])
def test_change_since_2002_for_figures_the_text_names(con, item_id, role_group, was, now, source):
    row = rows(con, "SELECT percent_2002, percent_2015, change_points, source_2002 FROM change_since_2002 "
                     "WHERE item_id = ? AND role_group = ?", [item_id, role_group])
    assert row == [(was, now, now - was, source)]


def test_net_impact_of_the_francis_reports_for_chief_executives(con):
    # Table 2.9: 48% of chief executives chose the Francis reports as positive; Table 2.10: 27% as negative.
    row = rows(con, "SELECT positive_percent, negative_percent, net_points FROM external_factor_net_impact "
                     "WHERE factor_id = 'francis_reports' AND role_group = 'chief_executive'")
    assert row == [(48, 27, 21)]
    assert rows(con, "SELECT count(*) FROM external_factor_net_impact") == [(40,)]  # 8 factors x 5 groups


def test_time_demands_on_doctors_is_the_top_barrier_overall_and_for_each_group(con):
    top = rows(con, "SELECT role_group, item_id FROM ranked_barriers_and_initiatives "
                     "WHERE table_id = 'T2.8' AND rank_in_group = 1 ORDER BY role_group")
    assert {item for _, item in top} == {"barrier_time_demands_on_doctors"} and len(top) == 5


def test_discrepancies_view_lists_the_register(con):
    # The register, transcription/curation/discrepancies.csv, has 33 entries.
    assert rows(con, "SELECT count(*) FROM discrepancies_explained") == [(33,)]
    assert rows(con, "SELECT count(*) FROM discrepancies_explained") == [(len(read_csv(
        ROOT / "tables/discrepancies.csv")),)]


def test_interval_of_chief_executives_positive_rating(con):
    # Table 2.1, chief executives, positive rating: 72% (42). 42/57 = 73.7%, 42/58 = 72.4%, 42/59 = 71.2%:
    # only 58 rounds to 72. Wilson 95% (z = 1.96) at 42 of 58: p = 0.72414, z^2/n = 0.066232, centre
    # (p + z^2/2n) / (1 + z^2/n) = 0.75725 / 1.066232 = 0.71022, half-width
    # z * sqrt(p(1-p)/n + z^2/4n^2) / 1.066232 = 1.96 * 0.061071 / 1.066232 = 0.11226: 59.8 to 82.2.
    row = rows(con, "SELECT percent, count, denominator_min, denominator_max, wilson_low, wilson_high, "
                    "reconciles FROM percent_intervals_explained WHERE table_id = 'T2.1' "
                    "AND item_id = 'positive_rating_local_relationships' AND role_group = 'chief_executive'")
    assert row == [(72, 42, 58, 58, 59.8, 82.2, 1)]


def test_significance_rerun_keeps_table_2_1s_single_star(con):
    # Table 2.1 prints '60%*' overall for a positive rating: a chi-squared test at p < 0.05, not 0.01.
    row = rows(con, "SELECT test, printed_marker, recomputed_markers, agrees, p_min, p_max FROM significance_rerun "
                    "WHERE item_id = 'positive_rating_local_relationships'")
    assert [r[:4] for r in row] == [("chi_squared", "*", "*", 1)]
    assert 0.01 < row[0][4] <= row[0][5] < 0.05


def test_claims_checked_opens_with_the_rise_in_positive_ratings(con):
    # Table 2.1, overall positive rating: 47% in 2002 (46.5 to 47.5 before rounding), 60% in 2015 (59.5 to
    # 60.5): a rise whichever way the figures were rounded, so the claim holds on its one part.
    row = rows(con, "SELECT claim_order, claim_id, decided_by, verdict, parts, parts_holding, reason "
                    "FROM claims_checked ORDER BY claim_order LIMIT 1")
    assert row == [(1, "kp_overall_positive_rose", "change", "holds", 1, 1, None)]
    result = rows(con, "SELECT result FROM claims_checked WHERE claim_id = 'kp_overall_positive_rose'")[0][0]
    assert "46.5–47.5% in 2002, 59.5–60.5% in 2015" in result


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
        assert count == TABLE_ROWS.get(name, count), name
    assert set(TABLE_ROWS) <= set(schemas.resource_names())
    for view in VIEWS:
        # The SQL file's opening comment, its '-- ' lines joined by spaces, read here from the file itself.
        lines = (ROOT / "sql" / f"{view}.sql").read_text(encoding="utf-8").splitlines()
        opening = " ".join(line.removeprefix("--").strip() for line in lines if line.startswith("--"))
        assert duck.execute("SELECT comment FROM duckdb_views() WHERE view_name = ?", [view]).fetchone()[0] == opening
    assert duck.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'clinical_director_gap'").fetchone()[0] \
        .startswith("How far do clinical directors differ from the mean of the other three role groups, item by item? ")


def test_sqlite_tables_have_the_schema_keys_and_the_csv_rows(lite):
    for name in schemas.resource_names():
        sch = schemas.schema(name)
        info = lite.execute(f"PRAGMA table_info({name})").fetchall()
        assert [c[1] for c in info] == [f["name"] for f in sch["fields"]]
        assert [c[1] for c in sorted((c for c in info if c[5]), key=lambda c: c[5])] == sch["primaryKey"]
        count = lite.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        assert count == len(read_csv(ROOT / schemas.resource(name)["path"]))
        assert count == TABLE_ROWS.get(name, count), name


def test_parquet_downloads_hold_every_resource(duck):
    for name in schemas.resource_names():
        path = ROOT / "build" / "parquet" / f"{name}.parquet"
        n = duck.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0]
        assert n == len(read_csv(ROOT / schemas.resource(name)["path"]))
        assert n == TABLE_ROWS.get(name, n), name


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
