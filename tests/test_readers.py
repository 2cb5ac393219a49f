"""The published CSVs as users read them, with each reader's defaults: every id and code comes back
exactly as written, Table 2.10 stays Table 2.10, the CSV reads on its own, and change since 2002 is
a plain self-join."""
import csv
import json
import re
import subprocess

import duckdb
import pandas as pd
import pytest
from conftest import RESOURCES as NAMES
from conftest import ROOT, printed

PACKAGE = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
# The cases are the 23 resources typed out in conftest, each looked up in the descriptor.
RESOURCES = [next(r for r in PACKAGE["resources"] if r["name"] == name) for name in NAMES]


def as_written(path) -> dict[str, list[str]]:
    """Each column's values as the file holds them (the csv module reads text only)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: [r[k] for r in rows] for k in rows[0]}


def text_fields(res) -> list[str]:
    schema = json.loads((ROOT / res["schema"]).read_text(encoding="utf-8"))
    return [f["name"] for f in schema["fields"] if f["type"] == "string"]


@pytest.mark.parametrize("res", RESOURCES, ids=lambda r: r["name"])
def test_pandas_defaults_keep_every_text_field_as_written(res):
    df = pd.read_csv(ROOT / res["path"])  # no arguments: what a downloader types first
    written = as_written(ROOT / res["path"])
    for name in text_fields(res):
        assert not pd.api.types.is_numeric_dtype(df[name]), f"{res['name']}.{name} read as {df[name].dtype}"
        got = {v for v in df[name] if not pd.isna(v)}
        assert got == {v for v in written[name] if v != ""}, f"{res['name']}.{name}"


@pytest.mark.parametrize("res", RESOURCES, ids=lambda r: r["name"])
def test_duckdb_auto_detection_keeps_every_text_field_as_written(res):
    rel = duckdb.sql(f"SELECT * FROM read_csv('{ROOT / res['path']}')")
    types = dict(zip(rel.columns, (str(t) for t in rel.types)))
    written = as_written(ROOT / res["path"])
    for name in text_fields(res):
        assert types[name] == "VARCHAR", f"{res['name']}.{name} read as {types[name]}"
        got = {r[0] for r in rel.select(name).fetchall() if r[0] is not None}
        assert got == {v for v in written[name] if v != ""}, f"{res['name']}.{name}"


def test_table_2_10_stays_table_2_10_in_pandas():
    results = pd.read_csv(ROOT / "tables/survey_results.csv")
    first = results[results.table_id == "T2.10"].head(5)
    assert list(first.item_wording) == [printed("2.10")[1][0]] * 5  # the table's first printed row
    assert list(first.cell_text) == printed("2.10")[1][1:]
    assert results.table_id.nunique() == 11
    tables = pd.read_csv(ROOT / "tables/tables.csv")
    assert tables.loc[tables.table_id == "T2.10", "table_label"].item() == "Table 2.10"


def test_survey_results_reads_on_its_own_with_words_beside_codes():
    results = pd.read_csv(ROOT / "tables/survey_results.csv")
    with open(ROOT / "tables/items.csv", encoding="utf-8", newline="") as f:
        wording = {r["item_id"]: r["row_label"] for r in csv.DictReader(f)}
    assert len(wording) == 68
    assert all(results.item_wording == results.item_id.map(wording))
    chief = results[(results.item_id == "positive_rating_local_relationships") & (results.survey_year == 2015)]
    # the wording as Table 2.1 prints its first row (transcription/printed/table_2.1.csv, typed by hand), not
    # only as items.csv, which the same build writes, words it
    assert chief.iloc[0][["item_wording", "role_group_label", "wave_label", "cell_text"]].tolist() == [
        printed("2.1")[1][0], "Chief executives", "2015 survey", "72% (42)"]
    waves = pd.read_csv(ROOT / "tables/survey_waves.csv")
    assert waves.label.is_unique and waves.title.is_unique


def test_rows_are_in_the_printed_order():
    results = pd.read_csv(ROOT / "tables/survey_results.csv")
    assert results.item_order.is_monotonic_increasing
    # Table 2.1's first row, then its '2002 figures' row, as printed.
    assert results.head(10).survey_year.tolist() == [2015] * 5 + [2002] * 5
    for name in ("items", "cell_denominators", "overall_bases", "percent_intervals", "significance_checks"):
        assert pd.read_csv(ROOT / f"tables/{name}.csv").item_order.is_monotonic_increasing, name


def test_change_since_2002_is_a_plain_self_join_with_41_pairs_and_a_42_point_largest_change():
    r = pd.read_csv(ROOT / "tables/survey_results.csv")
    pairs = r[r.survey_year == 2015].merge(r[r.survey_year == 2002], on=["item_id", "role_group"],
                                           suffixes=("_2015", "_2002"))
    change = pairs.derived_percent_on_item_wording_2015 - pairs.derived_percent_on_item_wording_2002
    assert len(pairs) == 41
    top = pairs.loc[change.abs().idxmax()]
    # Chief executives, sufficient clinical resources: 24% in 2002 (text), 66% in 2015 (Table 2.6).
    assert (top.item_id, top.role_group, top.percent_2002, top.percent_2015) == (
        "sufficient_clinical_resources", "chief_executive", 24, 66)
    assert change.abs().max() == 42
    # The text's 48% who thought managers pressed for early discharge is the item's 52%.
    discharge = pairs[(pairs.item_id == "no_pressure_early_discharge") & (pairs.role_group == "all_respondents")]
    assert discharge[["percent_2002", "derived_percent_on_item_wording_2002"]].values.tolist() == [[48, 52]]


def test_the_same_self_join_in_duckdb_sql():
    con = duckdb.connect(str(ROOT / "build" / "managing_doctors.duckdb"), read_only=True)
    n, top = con.execute("""
        SELECT count(*), max(abs(now.percent - was.derived_percent_on_item_wording))
        FROM survey_results AS now JOIN survey_results AS was
          ON was.item_id = now.item_id AND was.role_group = now.role_group AND was.survey_year = 2002
        WHERE now.survey_year = 2015""").fetchone()
    assert (n, top) == (41, 42)
    assert con.execute("SELECT count(*) FROM change_since_2002").fetchone() == (41,)


V1_NAME = re.compile(r"^[-a-z0-9._/]+$")


def test_descriptor_meets_the_v1_tabular_data_resource_rules():
    """What Data Package v1 readers (R's frictionless among them) require, beside the v2 markings."""
    assert V1_NAME.match(PACKAGE["name"])
    assert all(lic.get("name") or lic.get("path") for lic in PACKAGE["licenses"])
    for res in RESOURCES:
        assert res["profile"] == "tabular-data-resource" and res["type"] == "table", res["name"]
        assert V1_NAME.match(res["name"]), res["name"]
        assert isinstance(res["path"], str) and (ROOT / res["path"]).is_file()
        schema = json.loads((ROOT / res["schema"]).read_text(encoding="utf-8"))
        assert schema["fields"] and all({"name", "type"} <= set(f) for f in schema["fields"])
        assert res["encoding"] == "utf-8" and res["format"] == "csv"


R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
base <- read.csv(args[1])
tidy <- readr::read_csv(args[1], show_col_types = FALSE)
codes <- readr::read_csv(args[2], show_col_types = FALSE)
cat(class(base$table_id), length(unique(base$table_id)), class(tidy$table_id),
    length(unique(tidy$table_id)), codes$code[1], read.csv(args[2])$code[1], sep = "\n")
"""


def test_r_read_csv_and_readr_keep_ids_as_written(tmp_path):
    script = tmp_path / "read.R"
    script.write_text(R_SCRIPT, encoding="utf-8")
    result = subprocess.run(["Rscript", str(script), str(ROOT / "tables/survey_results.csv"),
                             str(ROOT / "tables/role_group_codes.csv")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["character", "11", "character", "11", "01001", "01001"]


def test_r_reads_every_resource_as_frictionless_does_and_joins_every_foreign_key():
    """tests/r/read_package.R reads each resource with the column types R's frictionless read_resource()
    gives (an enum makes a factor), then left-joins every foreign key with dplyr: every join runs (no
    factor against a number) and every code finds its row."""
    result = subprocess.run(["Rscript", str(ROOT / "tests" / "r" / "read_package.R"), str(ROOT / "datapackage.json")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    joins = {tuple(line.split()[1:4:2]): line.split()[4:] for line in result.stdout.splitlines()
             if line.startswith("join ")}
    expected = set()
    for res in RESOURCES:
        schema = json.loads((ROOT / res["schema"]).read_text(encoding="utf-8"))
        for fk in schema.get("foreignKeys", []):
            expected.add((f"{res['name']}.{'+'.join(fk['fields'])}",
                          f"{fk['reference']['resource']}.{'+'.join(fk['reference']['fields'])}"))
    assert set(joins) == expected
    # The schemas state 46 foreign keys in 18 resources: a count typed here, so that one lost fails too.
    assert len(expected) == 46
    assert all(tail[1] == "unmatched=0" for tail in joins.values()), joins
    classes = dict(line.split()[1:3] for line in result.stdout.splitlines() if line.startswith("column "))
    years = {name: cls for name, cls in classes.items() if name.endswith(".survey_year")}
    assert set(years.values()) == {"numeric"}, years  # one type for the key wherever it stands


def test_no_code_or_marker_has_an_edge_space_that_readr_would_trim():
    for res in RESOURCES:
        for name, values in as_written(ROOT / res["path"]).items():
            if name in text_fields(res):
                padded = [v for v in values if v != v.strip()]
                assert not padded, f"{res['name']}.{name}: {padded[:3]}"
