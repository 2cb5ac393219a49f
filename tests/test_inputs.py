"""The hand-typed inputs described like the outputs: schemas/transcription/package.json lists every file of
transcription/ with its Table Schema, and Frictionless finds them valid.

What the build does with an input that breaks its schema is in tests/test_bad_input.py."""
import copy
import csv
import json

import pytest
from conftest import ROOT

from pipeline.transcription import HEADER_N, PERCENT_CELL, input_schema

DESCRIPTOR = json.loads((ROOT / "schemas" / "transcription" / "package.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}
PUBLISHED = json.loads((ROOT / "schemas" / "package.json").read_text(encoding="utf-8"))["resources"]


def schema(name: str) -> dict:
    """An input's schema as the build reads it (a field named alone is the published field)."""
    return input_schema(RESOURCES[name]["schema"])


def stated(name: str) -> dict:
    """An input's schema file as written."""
    return json.loads((ROOT / RESOURCES[name]["schema"]).read_text(encoding="utf-8"))


def header(name: str) -> list[str]:
    with open(ROOT / RESOURCES[name]["path"], encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def test_every_input_file_is_listed_with_a_schema():
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "transcription").rglob("*") if p.is_file()}
    listed = {r["path"] for r in DESCRIPTOR["resources"]}
    assert on_disk == listed
    for r in DESCRIPTOR["resources"]:
        assert (ROOT / r["schema"]).is_file(), r["name"]
        assert r["schema"].startswith("schemas/"), r["name"]


def test_the_input_package_is_valid_for_frictionless():
    from frictionless import Package

    resolved = {**DESCRIPTOR, "resources": [{**r, "schema": copy.deepcopy(schema(r["name"]))}
                                            for r in DESCRIPTOR["resources"]]}
    report = Package(resolved, basepath=str(ROOT)).validate()
    assert report.errors == []
    problems = [(t.name, e.type, e.message) for t in report.tasks for e in t.errors
                # the report prints no heading over most tables' row labels; their schemas say so with ""
                if not (e.type == "blank-label" and e.field_name == "")]
    assert problems == []
    blank = {t.name for t in report.tasks for e in t.errors}
    assert blank == {f"table_2.{i}" for i in range(1, 12)} - {"table_2.8"}


@pytest.mark.parametrize("name", RESOURCES)
def test_the_schema_names_the_file_header_exactly(name):
    assert [f["name"] for f in schema(name)["fields"]] == header(name)


@pytest.mark.parametrize("name", RESOURCES)
def test_every_field_is_described_typed_and_says_whether_required(name):
    for f in schema(name)["fields"]:
        assert f.get("description") and f.get("type"), (name, f["name"])
        if f["name"] in schema(name).get("primaryKey", []) or name.startswith("table_"):
            assert f.get("constraints", {}).get("required") is True, (name, f["name"])


@pytest.mark.parametrize("name", sorted(n for n in set(RESOURCES) & {r["name"] for r in PUBLISHED}
                                       if RESOURCES[n]["schema"].startswith("schemas/transcription/")))
def test_a_column_the_package_publishes_is_defined_once_where_it_is_published(name):
    """Structure stated once: a hand-typed column that the published resource of the same name carries is
    named alone in the input schema, and read as the published field (its type, description, constraints)."""
    published = {f["name"]: f for f in json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
                 ["fields"]}
    for written, read in zip(stated(name)["fields"], schema(name)["fields"]):
        if written["name"] in published:
            assert written == {"name": written["name"]}, (name, written["name"])
            assert read == published[written["name"]], (name, written["name"])
        else:
            assert read == written and read.get("type"), (name, written["name"])


def test_the_results_tables_headings_are_the_curated_role_groups():
    with open(ROOT / "transcription" / "curation" / "role_groups.csv", encoding="utf-8", newline="") as f:
        labels = [r["column_label"] for r in sorted(csv.DictReader(f), key=lambda r: int(r["sort_order"]))]
    for i in range(1, 12):
        headings = header(f"table_2.{i}")[1:]
        assert [HEADER_N.match(h)["label"] for h in headings] == labels, f"Table 2.{i}"


@pytest.mark.parametrize("number", [f"2.{i}" for i in range(1, 12)])
def test_every_cell_the_patterns_admit_parses_with_the_cell_grammar(number):
    """The schema's patterns and pipeline/transcription.py's PERCENT_CELL describe the same printed forms."""
    import re

    fields = schema(f"table_{number}")["fields"][1:]
    with open(ROOT / "transcription" / "printed" / f"table_{number}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[1:]
    for row in rows:
        for field, cell in zip(fields, row[1:]):
            assert re.fullmatch(field["constraints"]["pattern"], cell), (number, row[0], field["name"], cell)
            assert PERCENT_CELL.match(cell), (number, row[0], field["name"], cell)
