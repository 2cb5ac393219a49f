"""Where a library generates from a Table Schema what the project generates itself, the library's output is
tried on the package here, and the project keeps its own generator only where this shows it falls short."""
import pandera.errors
import pytest
from conftest import ROOT
from frictionless import Schema
from pandera.io.pandas_io import from_frictionless_schema

from checks import models
from core import frames

RES = frames.load_all(ROOT)


def test_pandera_from_frictionless_schema_refuses_the_2002_rows_that_print_no_count():
    """survey_results: the 16 text-only 2002 figures and the 2002 rows of Table 2.1 have no count, so
    count is an optional integer. pandera's generated model makes it a non-nullable int64 and fails;
    checks/models.py types it as the nullable Int64 and adds the foreign keys' value sets."""
    survey_results = RES["survey_results"]
    assert survey_results["count"].isna().sum() > 0
    generated = from_frictionless_schema(str(ROOT / "schemas" / "survey_results.json"))
    with pytest.raises(pandera.errors.SchemaErrors) as failed:
        generated.validate(survey_results, lazy=True)
    assert "count" in set(failed.value.failure_cases["column"])
    models.pandera_schema("survey_results", RES).validate(survey_results, lazy=True)  # ours passes


def test_frictionless_to_markdown_names_no_file_and_prints_constraints_as_python():
    """docs/data-dictionary.md names each resource's file and spells out allowed values; Frictionless'
    Schema.to_markdown heads every table '`schema`' and prints constraints as Python dictionaries."""
    markdown = Schema(str(ROOT / "schemas" / "items.json")).to_markdown(table=True)
    assert markdown.startswith("## `schema`")
    assert "{'required': True" in markdown
    ours = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert "## tables/items.csv" in ours and "{'required'" not in ours
