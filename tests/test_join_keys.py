"""Join keys for secondary analysts: the code lists, the CSVW description, and the README's worked joins."""
import re

import duckdb
import pytest
from conftest import ROOT, read_csv
from csvw import TableGroup
from expected import COLUMNS

README = (ROOT / "README.md").read_text(encoding="utf-8")
JOINING = (ROOT / "docs" / "joining.md").read_text(encoding="utf-8")
JOINS = dict(re.findall(r"```sql\n-- worked join: ([^\n]+)\n(.*?)```", JOINING, re.S))


@pytest.fixture(scope="module")
def duck():
    con = duckdb.connect(str(ROOT / "build" / "managing_doctors.duckdb"), read_only=True)
    yield con
    con.close()


def run(duck, name):
    import os
    cwd = os.getcwd()
    os.chdir(ROOT)  # the example table's path in the README is relative to the package root
    try:
        return duck.execute(JOINS[name]).fetchall()
    finally:
        os.chdir(cwd)


def test_readme_has_the_three_worked_joins():
    assert set(JOINS) == {"role group codes", "workforce statistics example", "external factors by identifier and date"}


def test_role_group_codes_join_gives_each_code_its_groups_percentage_once(duck):
    result = run(duck, "role group codes")
    rows = {(system, code): (precision, pct) for system, code, _, precision, pct in result}
    # Table 2.1, positive rating: chief executives 72%, medical directors 62%, directorate managers 64%,
    # clinical directors 50%. One row per Spine job role: five codes, two of them directorate managers'.
    assert len(result) == len(rows) == 5
    assert rows[("sds_job_role", "R1920")] == ("exact", 72)
    assert rows[("sds_job_role", "R0010")] == ("exact", 62)
    assert rows[("sds_job_role", "R0020")] == ("narrower", 50)
    assert rows[("sds_job_role", "R1790")] == rows[("sds_job_role", "R1780")] == ("broader", 64)


def test_a_join_on_role_group_alone_multiplies_rows_as_the_readme_warns(duck):
    """Why the worked join filters code_system: without it each figure comes back once per code."""
    per_group = dict(duck.execute("SELECT role_group, count(*) FROM role_group_codes GROUP BY role_group").fetchall())
    assert per_group == {"chief_executive": 2, "medical_director": 2, "clinical_director": 2,
                         "directorate_manager": 3}
    assert "several codes per role group" in JOINING and "several codes" in README


def test_workforce_example_join_matches_staff_groups_not_in_the_survey_out(duck):
    rows = run(duck, "workforce statistics example")
    assert [(r[1], r[3], r[5]) for r in rows] == [("Managers", "directorate_manager", 64),
                                                  ("Senior managers", "chief_executive", 72)]


def test_external_factor_join_by_identifier_and_date_gives_each_factor_once(duck):
    rows = [(ids, str(day), pos, neg) for _, ids, day, pos, neg in run(duck, "external factors by identifier and date")]
    # Tables 2.9 and 2.10, overall column; the Francis reports (HC 375, 2010; HC 898, 2013) once.
    assert rows == [("2003 c. 43; 2008 c. 14", "2003-11-20", 17, 40), ("HC 375; HC 898", "2010-02-24", 66, 12),
                    ("2012 c. 7", "2012-03-27", 10, 37), ("berwick-review-into-patient-safety", "2013-08-06", 50, 2)]


def test_every_factor_of_tables_2_9_and_2_10_is_in_external_factors():
    factors = {r["factor_id"] for r in read_csv(ROOT / "tables/external_factors.csv")}
    used = {r["factor_id"] for r in read_csv(ROOT / "tables/items.csv") if r["factor_id"]}
    assert used == factors and len(factors) == 8


def test_every_code_cites_its_source():
    for name in ("role_group_codes", "external_factor_references"):
        for row in read_csv(ROOT / f"tables/{name}.csv"):
            assert row["source_title"] and row["source_url"].startswith("http"), row


def test_csvw_metadata_describes_every_resource_and_validates_with_the_csvw_library():
    tg = TableGroup.from_file(ROOT / "csv-metadata.json")
    # The 23 resources in the order they are published, typed out in tests/expected.py (not read from
    # datapackage.json, which the same build writes).
    assert [t.url.string for t in tg.tables] == [f"tables/{name}.csv" for name in COLUMNS]
    for t in tg.tables:
        rows = list(t.iterdicts(strict=True))  # datatypes, formats (enums, patterns), ranges, required
        assert len(rows) == len(read_csv(ROOT / t.url.string))
    # Table Schema allows a missing foreign key value (an item with no factor_id); so does this check.
    assert tg.check_referential_integrity(strict=False)


def test_csvw_catches_a_role_group_outside_role_groups(tmp_path):
    import shutil
    shutil.copytree(ROOT / "tables", tmp_path / "tables")
    shutil.copy(ROOT / "csv-metadata.json", tmp_path)
    path = tmp_path / "tables" / "survey_results.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",chief_executive,", ",nurse_director,", 1),
                    encoding="utf-8")
    tg = TableGroup.from_file(tmp_path / "csv-metadata.json")
    # role_group is a foreign key to role_groups (the schema copies no enum): referential integrity fails.
    with pytest.raises(ValueError, match="Key `nurse_director` not found in table tables/role_groups.csv"):
        tg.check_referential_integrity(strict=False)
