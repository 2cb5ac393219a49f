"""The Great Expectations suites, counted by kind and compared with literals and with counts made here from the
Table Schemas' JSON (json module, not the code under test): a kind of expectation dropped by a slip (every
not-null expectation, say: 688 would become 504) fails here before it weakens make validate."""
import csv
import json
from collections import Counter

import pytest
from expected import EXPECTATIONS, VIEWS
from package_frames import ROOT

from checks import expectations

KINDS = {"ExpectColumnPairValuesAToBeGreaterThanB": 1, "ExpectColumnValuesToBeBetween": 79,
         "ExpectColumnValuesToBeInSet": 85, "ExpectColumnValuesToBeInTypeList": 262,
         "ExpectColumnValuesToBeUnique": 20, "ExpectColumnValuesToNotBeNull": 184,
         "ExpectCompoundColumnsToBeUnique": 9, "ExpectTableColumnsToMatchOrderedList": 23,
         "ExpectTableRowCountToEqual": 25}


def schemas_json() -> dict[str, dict]:
    package = json.loads((ROOT / "schemas/package.json").read_text(encoding="utf-8"))
    return {r["name"]: json.loads((ROOT / r["schema"]).read_text(encoding="utf-8")) for r in package["resources"]}


@pytest.mark.parametrize("engine", ["sqlite", "pandas"])
def test_expectations_by_kind(engine):
    suites = expectations.suites(engine, ROOT)
    assert Counter(type(e).__name__ for _, items in suites.values() for e in items) == KINDS
    assert sum(KINDS.values()) == EXPECTATIONS == 688


def test_the_counts_follow_from_the_schemas():
    sch = schemas_json()
    fields = [f for s in sch.values() for f in s["fields"]]
    assert len(fields) == KINDS["ExpectColumnValuesToBeInTypeList"]
    assert sum(1 for f in fields if f.get("constraints", {}).get("required")) == KINDS["ExpectColumnValuesToNotBeNull"]
    assert len(sch) == KINDS["ExpectTableColumnsToMatchOrderedList"] == KINDS["ExpectTableRowCountToEqual"] - 2
    assert sum(1 for s in sch.values() if len(s["primaryKey"]) > 1) == KINDS["ExpectCompoundColumnsToBeUnique"]
    ranged = sum(1 for f in fields if {"minimum", "maximum"} & set(f.get("constraints", {})))
    assert ranged + len(VIEWS) == KINDS["ExpectColumnValuesToBeBetween"]
    enums = sum(1 for f in fields if f.get("constraints", {}).get("enum"))
    keys = sum(1 for n, s in sch.items() for fk in s.get("foreignKeys", [])
               if len(fk["fields"]) == 1 and fk["reference"]["resource"] != n
               and not next(f for f in s["fields"] if f["name"] == fk["fields"][0]).get("constraints", {}).get("enum"))
    assert enums + keys + 2 == KINDS["ExpectColumnValuesToBeInSet"]  # and two completeness checks
    unique = sum(1 for f in fields if f.get("constraints", {}).get("unique"))
    single = sum(1 for s in sch.values() if len(s["primaryKey"]) == 1 and not next(
        f for f in s["fields"] if f["name"] == s["primaryKey"][0]).get("constraints", {}).get("unique"))
    assert unique + single == KINDS["ExpectColumnValuesToBeUnique"]


def test_survey_results_suite_in_detail():
    sch = schemas_json()["survey_results"]
    source, items = expectations.suites("sqlite", ROOT)["survey_results"]
    assert source == "survey_results"
    first, rows = items[0], items[1]
    assert first.column_list == [f["name"] for f in sch["fields"]]
    with open(ROOT / "tables/survey_results.csv", encoding="utf-8", newline="") as f:
        assert rows.value == len(list(csv.DictReader(f))) == 381
    role = next(e for e in items if type(e).__name__ == "ExpectColumnValuesToBeInSet" and e.column == "role_group")
    assert role.value_set == ["chief_executive", "medical_director", "directorate_manager", "clinical_director",
                              "all_respondents"]
    year = next(e for e in items if type(e).__name__ == "ExpectColumnValuesToBeInSet" and e.column == "survey_year")
    assert year.value_set == [2015, 2002]  # survey_waves' keys, as integers
    percent = next(e for e in items if type(e).__name__ == "ExpectColumnValuesToBeBetween" and e.column == "percent")
    assert (percent.min_value, percent.max_value) == (0, 100)
    pair = next(e for e in items if type(e).__name__ == "ExpectColumnPairValuesAToBeGreaterThanB")
    assert (pair.column_A, pair.column_B, pair.or_equal, pair.ignore_row_if) == (
        "group_n", "count", True, "either_value_is_missing")
    key = next(e for e in items if type(e).__name__ == "ExpectCompoundColumnsToBeUnique")
    assert key.column_list == ["item_id", "survey_year", "role_group"]
    types = {e.column: e.type_list for e in items if type(e).__name__ == "ExpectColumnValuesToBeInTypeList"}
    assert types["percent"] == ["INTEGER", "BIGINT"] and types["cell_text"] == ["TEXT", "VARCHAR"]


def test_every_view_non_empty_and_every_item_complete():
    suites = expectations.suites("sqlite", ROOT)
    sql, items = suites["view_row_counts"]
    assert [e.column for e in items] == VIEWS and {e.min_value for e in items} == {1}
    assert sql == "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {v}) AS {v}" for v in VIEWS)
    sql, items = suites["survey_results_completeness"]
    assert [(e.column, e.value_set) for e in items[:2]] == [("cells", [5]), ("role_groups", [5])]
    assert items[2].value == 73  # item-years printed by the tables
    sql, items = suites["items_without_2015_cells"]
    assert [type(e).__name__ for e in items] == ["ExpectTableRowCountToEqual"] and items[0].value == 0
    assert list(suites)[-3:] == ["view_row_counts", "survey_results_completeness", "items_without_2015_cells"]


def test_a_unique_key_is_expected_once():
    items = expectations.suites("sqlite", ROOT)["items"][1]
    unique = [e.column for e in items if type(e).__name__ == "ExpectColumnValuesToBeUnique"]
    assert unique.count("item_id") == 1
    assert expectations.referenced_values("items", "table_id", ROOT)[:2] == ["T1.1", "T1.2"]
    assert expectations.referenced_values("items", "row_label", ROOT) is None
