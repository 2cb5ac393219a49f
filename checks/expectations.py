"""Great Expectations suites, generated from schemas/ where the schema says it, plus what a schema
cannot say: counts never above their n, every item complete across role groups and years, every view
non-empty, row counts equal to the CSVs."""
from __future__ import annotations

import csv
from pathlib import Path

import great_expectations.expectations as gxe

from core import schemas
from core.types import engine_type
from pipeline import ddl

# Checks a Table Schema cannot state, as SQL both engines run: one row per item and survey year.
# The tables print every role group's cell of an item; the text's 2002 figures cover only some groups.
COMPLETENESS_SQL = ("SELECT item_id, survey_year, COUNT(*) AS cells, COUNT(DISTINCT role_group) AS role_groups "
                    "FROM survey_results WHERE printed_in = 'table' GROUP BY item_id, survey_year")
ITEMS_WITHOUT_2015_SQL = ("SELECT i.item_id FROM items AS i LEFT JOIN survey_results AS r "
                          "ON r.item_id = i.item_id AND r.survey_year = 2015 WHERE r.item_id IS NULL")


def csv_records(name: str, package: Path = schemas.STAGE) -> list[dict]:
    """A resource's CSV rows as read by the csv module: counting them needs no pandas types."""
    with open(package / schemas.resource(name)["path"], encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def referenced_values(name: str, column: str, package: Path = schemas.STAGE) -> list | None:
    """A foreign key's allowed values: the referenced resource's keys (the schema states no enum for it)."""
    for fk in schemas.schema(name).get("foreignKeys", []):
        ref = fk["reference"]
        if fk["fields"] == [column] and ref["resource"] != name:
            return [r[ref["fields"][0]] for r in csv_records(ref["resource"], package)]
    return None


def resource_suite(name: str, engine: str, package: Path = schemas.STAGE) -> list:
    sch = schemas.schema(name)
    fields = sch["fields"]
    rows = len(csv_records(name, package))
    out = [gxe.ExpectTableColumnsToMatchOrderedList(column_list=[f["name"] for f in fields]),
           gxe.ExpectTableRowCountToEqual(value=rows)]
    for f in fields:
        c, col = f.get("constraints", {}), f["name"]
        types = engine_type(f["type"], f"gx_{engine}")
        out.append(gxe.ExpectColumnValuesToBeInTypeList(column=col, type_list=types))
        if c.get("required"):
            out.append(gxe.ExpectColumnValuesToNotBeNull(column=col))
        values = c.get("enum") or referenced_values(name, col, package)
        if values:
            values = [int(v) for v in values] if f["type"] == "integer" else values
            out.append(gxe.ExpectColumnValuesToBeInSet(column=col, value_set=values))
        if "minimum" in c or "maximum" in c:
            out.append(gxe.ExpectColumnValuesToBeBetween(column=col, min_value=c.get("minimum"),
                                                         max_value=c.get("maximum")))
        if c.get("unique"):
            out.append(gxe.ExpectColumnValuesToBeUnique(column=col))
    pk = sch["primaryKey"]
    if len(pk) > 1:
        out.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=pk))
    elif not next(f for f in fields if f["name"] == pk[0]).get("constraints", {}).get("unique"):
        out.append(gxe.ExpectColumnValuesToBeUnique(column=pk[0]))  # else already expected above
    if name == "survey_results":
        out.append(gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="group_n", column_B="count", or_equal=True,
                                                               ignore_row_if="either_value_is_missing"))
    return out


def completeness_suite(package: Path = schemas.STAGE) -> list:
    pairs = len({(r["item_id"], r["survey_year"]) for r in csv_records("survey_results", package)
                 if r["printed_in"] == "table"})
    groups = len(csv_records("role_groups", package))
    return [gxe.ExpectColumnValuesToBeInSet(column="cells", value_set=[groups]),
            gxe.ExpectColumnValuesToBeInSet(column="role_groups", value_set=[groups]),
            gxe.ExpectTableRowCountToEqual(value=pairs)]


def items_without_2015_suite() -> list:
    return [gxe.ExpectTableRowCountToEqual(value=0)]


def view_row_counts_sql(package: Path = schemas.STAGE) -> str:
    """One row, a column per view holding its row count: every view checked in one asset, each by name
    (a GX asset and its batch cost about 35 ms to set up, nine times over per engine)."""
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {v.name}) AS {v.name}" for v in ddl.views(root=package))


def view_row_counts_suite(package: Path = schemas.STAGE) -> list:
    return [gxe.ExpectColumnValuesToBeBetween(column=v.name, min_value=1) for v in ddl.views(root=package)]


def suites(engine: str, package: Path = schemas.STAGE) -> dict[str, tuple[str, list]]:
    """{asset name: (table name or SQL, expectations)} for one engine, counts and keys read from the
    package under package (the staged build)."""
    out = {name: (name, resource_suite(name, engine, package)) for name in schemas.resource_names()}
    out["view_row_counts"] = (view_row_counts_sql(package), view_row_counts_suite(package))
    out["survey_results_completeness"] = (COMPLETENESS_SQL, completeness_suite(package))
    out["items_without_2015_cells"] = (ITEMS_WITHOUT_2015_SQL, items_without_2015_suite())
    return out
