"""The pandera models made from the Table Schemas: each kind of constraint refuses what it should, naming it."""
import pandas as pd
import pytest
from package_frames import published, published_all
from pandera.errors import SchemaErrors

from checks import models


def failures(name, df, res=None) -> set[tuple[str, str]]:
    with pytest.raises(SchemaErrors) as e:
        models.pandera_schema(name, res).validate(df, lazy=True)
    return {(str(c), str(k)) for c, k in zip(e.value.failure_cases["column"], e.value.failure_cases["check"])}


def test_the_committed_resources_pass_their_models():
    res = published_all()
    for name, df in res.items():
        models.pandera_schema(name, res).validate(df, lazy=True)


def test_each_constraint():
    res = published_all()
    sr = published("survey_results")
    bad = sr.copy()
    bad.loc[0, "item_id"] = "no_such_item"  # a foreign key
    bad.loc[4, "role_group"] = "nurse_director"  # a foreign key to role_groups
    bad.loc[1, "percent"] = 101  # a maximum
    bad.loc[2, "printed_in"] = "margin"  # an enum
    bad.loc[3, "item_id"] = pd.NA  # required
    found = failures("survey_results", bad, res)
    assert ("item_id", "foreign key to items") in found
    assert ("role_group", "foreign key to role_groups") in found
    assert ("percent", "less_than_or_equal_to(100)") in found
    assert ("printed_in", "isin(['table', 'text', '2003 paper'])") in found
    assert ("item_id", "not_nullable") in found
    # without the other resources there is no foreign-key check
    assert not any(c == "item_id" and k.startswith("foreign key") for c, k in failures("survey_results", bad))
    low = sr.copy()
    low.loc[0, "percent"] = -1
    assert ("percent", "greater_than_or_equal_to(0)") in failures("survey_results", low)


def test_keys_patterns_columns_and_order():
    items = published("items")
    dup = pd.concat([items, items.iloc[[0]]], ignore_index=True)
    assert any(c == "item_id" for c, _ in failures("items", dup))  # the primary key, unique
    tables = published("tables")
    odd = tables.copy()
    odd.loc[0, "table_id"] = "Table 2.1"
    assert ("table_id", "str_matches('^(?:T[0-9]+\\\\.[0-9]+)$')") in failures("tables", odd) or any(
        k.startswith("str_matches") for c, k in failures("tables", odd) if c == "table_id")
    assert ("items", "column_in_schema") in failures("items", items.assign(extra=1))
    swapped = items[[items.columns[1], items.columns[0], *items.columns[2:]]]
    assert any(k == "column_ordered" for _, k in failures("items", swapped))
    schema = models.pandera_schema("items")
    assert schema.name == "items" and schema.columns["item_id"].title and schema.columns["item_id"].description
    assert schema.columns["factor_id"].nullable and not schema.columns["item_id"].nullable
