"""The descriptor and schemas: complete, honest, and in step with the files."""
import json
import subprocess
import sys

import pytest
from conftest import RESOURCES as NAMES
from conftest import ROOT, read_csv

PACKAGE = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = PACKAGE["resources"]
# NAMES: the 23 resources, typed out in conftest: the cases are not read from the descriptor checked.


def test_descriptor_lists_the_23_resources_each_at_its_csv():
    assert len(NAMES) == 23
    assert sorted((r["name"], r["path"], r["schema"]) for r in RESOURCES) == \
        [(n, f"tables/{n}.csv", f"schemas/{n}.json") for n in NAMES]


def test_descriptor_carries_the_package_metadata():
    for key in ("name", "title", "description", "version", "created", "sources", "contributors", "licenses"):
        assert PACKAGE[key], key
    assert PACKAGE["$schema"].endswith("/2.0/datapackage.json")
    assert "Powell A and Davies H (2016) Managing doctors, doctors managing" in PACKAGE["sources"][0]["title"]
    assert {lic["name"] for lic in PACKAGE["licenses"]} >= {"CC0-1.0", "MIT"}


def frictionless_validate(descriptor) -> dict:
    """Frictionless' own report, as JSON: an independent reader of bytes and hashes."""
    frictionless = ROOT / ".venv" / "bin" / "frictionless"
    exe = [str(frictionless)] if frictionless.exists() else [sys.executable, "-m", "frictionless"]
    result = subprocess.run(exe + ["validate", "--json", str(descriptor)], capture_output=True, text=True)
    return json.loads(result.stdout)


def test_frictionless_checks_each_resource_hash_and_size(tmp_path):
    """A same-length edit of one published CSV is caught by frictionless from the descriptor's hash."""
    for res in RESOURCES:
        (tmp_path / res["path"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / res["path"]).write_bytes((ROOT / res["path"]).read_bytes())
    (tmp_path / "schemas").mkdir()
    for res in RESOURCES:
        (tmp_path / res["schema"]).write_bytes((ROOT / res["schema"]).read_bytes())
    (tmp_path / "datapackage.json").write_bytes((ROOT / "datapackage.json").read_bytes())
    assert frictionless_validate(tmp_path / "datapackage.json")["valid"]
    csv_path = tmp_path / "tables" / "survey_results.csv"
    # Table 2.1, chief executives, positive rating: 72% (42) becomes 73% (42), same length.
    csv_path.write_bytes(csv_path.read_bytes().replace(b",72,42,59,72% (42)", b",73,42,59,73% (42)", 1))
    report = frictionless_validate(tmp_path / "datapackage.json")
    assert not report["valid"]
    errors = [e for t in report["tasks"] for e in t["errors"]]
    assert [e["type"] for e in errors] == ["hash-count"], errors  # and no other error: the edit is well-typed
    assert (ROOT / "tables" / "survey_results.csv").read_bytes().count(b",72,42,59,72% (42)") == 1


@pytest.mark.parametrize("name", NAMES)
def test_schema_describes_every_field_and_states_keys(name):
    res = next(r for r in RESOURCES if r["name"] == name)
    schema = json.loads((ROOT / res["schema"]).read_text(encoding="utf-8"))
    assert schema["primaryKey"] and schema["missingValues"] == [""]
    for f in schema["fields"]:
        assert f.get("description"), f"{res['name']}.{f['name']} has no description"
    header = (ROOT / res["path"]).read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    assert header == [f["name"] for f in schema["fields"]]


def test_resources_are_joined_by_foreign_keys():
    referenced, referencing = set(), set()
    for res in RESOURCES:
        schema = json.loads((ROOT / res["schema"]).read_text(encoding="utf-8"))
        refs = {fk["reference"]["resource"] for fk in schema.get("foreignKeys", [])}
        referenced |= refs
        if refs:
            referencing.add(res["name"])
    assert referenced == {"tables", "items", "role_groups", "text_figures", "survey_waves", "external_factors",
                          "claims"}
    # Only the lookups themselves and the list of checks stand alone.
    assert {r["name"] for r in RESOURCES} - referencing == {
        "tables", "role_groups", "survey_waves", "external_factors", "check_summary"}


def test_role_groups_add_up_to_the_472_respondents():
    groups = {g["role_group"]: g for g in read_csv(ROOT / "tables/role_groups.csv")}
    four = [int(groups[g]["respondents"]) for g in ("chief_executive", "medical_director",
                                                    "directorate_manager", "clinical_director")]
    assert four == [59, 131, 132, 150] and sum(four) == int(groups["all_respondents"]["respondents"]) == 472


def test_text_figures_keep_the_printed_wording_beside_the_derived_value():
    figs = {f["figure_id"]: f for f in read_csv(ROOT / "tables/text_figures.csv")}
    assert (figs["online_recipients"]["value_text"], figs["online_recipients"]["derived_value"]) == ("2,650", "2650")
    assert (figs["country_england"]["derived_qualifier"], figs["country_england"]["derived_value"]) == ("around", "88")
    assert (figs["online_fieldwork"]["derived_period_start"], figs["online_fieldwork"]["derived_period_end"]) == (
        "2015-05-01", "2015-06-30")
    assert figs["box22_managers_respected"]["compares_as"] == "complement"


def test_readme_lists_every_resource_and_column_from_the_schemas():
    result = subprocess.run([sys.executable, "-m", "pipeline.readme", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Not only what pipeline.readme would write: read here, each resource has its row in the README and
    # its section in the data dictionary, and each schema field its row there, in the schema's order.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    dictionary = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    sections = {part.split("\n", 1)[0]: part for part in dictionary.split("\n## ")[1:]}
    for name in NAMES:
        assert f"| [`tables/{name}.csv`](docs/data-dictionary.md#tables{name}csv) |" in readme, name
        fields = json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))["fields"]
        listed = [line.split("`")[1] for line in sections[f"tables/{name}.csv"].splitlines()
                  if line.startswith("| `")]
        assert listed == [f["name"] for f in fields], name
