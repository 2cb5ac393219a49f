"""Datasette in-process (its own test client): every table, view and canned query answers in HTML, JSON
and CSV; writes are refused; a runaway query is cut off; bad requests get 4xx, never 5xx; and the
database file is byte for byte the same after all of it."""
import asyncio
import hashlib
import json
import re

import pytest
from conftest import RESOURCES, VIEWS

from core import schemas
from web import metadata as serve_metadata
from web import serve

DB = "managing_doctors"
QUERY_PARAMS = {"role_group_results": "role_group=clinical_director",
                "search_statements": "words=doctors+respected",
                "item_across_groups_and_years": "item_id=management_staff_high_quality"}
RUNAWAY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def fetch(*paths):
    """GET each path on one in-process Datasette; returns [(status, body text)]."""
    async def go():
        ds = serve.app()
        await ds.invoke_startup()
        out = []
        for path in paths:
            r = await ds.client.get(path)
            out.append((r.status_code, r.text))
        return out
    return asyncio.run(go())


def sha256():
    return hashlib.sha256(serve.DATABASE.read_bytes()).hexdigest()


# The 23 resources, 10 views and 3 canned queries, typed out: not read from what the server itself lists.
PAGES = ([f"/{DB}/{n}" for n in RESOURCES] + [f"/{DB}/{v}" for v in VIEWS]
         + [f"/{DB}/{q}?{QUERY_PARAMS[q]}" for q in QUERY_PARAMS])


@pytest.mark.parametrize("page", PAGES)
def test_every_table_view_and_canned_query_answers_in_html_json_and_csv(page):
    path, _, query = page.partition("?")
    sep = "?" + query + "&" if query else "?"
    (html_status, html), (json_status, body), (csv_status, csv_text) = fetch(
        page, f"{path}.json{sep}_shape=objects", f"{path}.csv{'?' + query if query else ''}")
    assert (html_status, json_status, csv_status) == (200, 200, 200)
    rows = json.loads(body)["rows"]
    assert rows, f"{page} returned no rows"
    assert csv_text.splitlines()[0].split(",")[0] in rows[0]
    assert "<table" in html


def test_canned_query_with_a_parameter_returns_the_role_groups_rows():
    [(status, body)] = fetch(f"/{DB}/role_group_results.json?role_group=clinical_director&_shape=array")
    rows = json.loads(body)
    # every 2015 item, Table 2.1's five 2002 rows, and four 2002 figures of the text (Tables 2.2, 2.3, 2.5)
    assert status == 200 and len(rows) == 68 + 5 + 4
    clinical = next(r for r in rows if r["item_id"] == "driven_by_clinical_priorities")
    assert clinical["cell_text"] == "43% (62)"


def test_search_finds_statements_by_their_words():
    [(status, body)] = fetch(f"/{DB}/search_statements.json?words=respected&_shape=array")
    assert status == 200
    assert {r["item_id"] for r in json.loads(body)} == {"doctors_respected_by_public", "managers_respected_by_public"}


@pytest.mark.parametrize("statement", [
    "INSERT INTO items (item_id) VALUES ('x')", "UPDATE items SET row_label = 'x'", "DELETE FROM items",
    "DROP TABLE items", "CREATE TABLE x (y)", "ATTACH DATABASE '/tmp/x.db' AS x", "PRAGMA writable_schema = 1",
    "VACUUM", "SELECT 1; DROP TABLE items",
])
def test_write_attempts_are_refused_with_a_clear_message(statement):
    from urllib.parse import quote
    before = sha256()
    [(status, body)] = fetch(f"/{DB}.json?sql={quote(statement)}")
    assert 400 <= status < 500
    assert json.loads(body)["error"]  # for example "Statement must be a SELECT"
    assert sha256() == before


def test_a_runaway_recursive_query_is_cut_off_and_the_server_keeps_answering():
    from urllib.parse import quote
    (status, body), (after, _) = fetch(f"/{DB}.json?sql={quote(RUNAWAY)}", f"/{DB}/items.json")
    assert status == 400 and "too long" in json.loads(body)["error"]
    assert after == 200


@pytest.mark.parametrize("path", [
    f"/{DB}/no_such_table", f"/{DB}/no_such_table.json", "/no_such_database", f"/{DB}/items.json?_size=abc",
    f"/{DB}/items.json?_sort=no_such_column", f"/{DB}/items.json?_shape=nonsense", f"/{DB}/items/%ff",
    f"/{DB}/search_statements.json?words=%22", f"/{DB}.json?sql=SELECT+*+FROM", f"/{DB}/items.json?_facet=nope",
    f"/{DB}/survey_results.json?percent__gt=abc&_sort=percent", f"/{DB}.json?sql=SELECT+:x",
    f"/{DB}/items.json?_next=%00",
])
def test_bad_requests_get_4xx_not_5xx(path):
    [(status, _)] = fetch(path)
    assert status < 500, path


def test_home_page_links_downloads_charts_and_validation_report():
    (status, body), (csv_status, _), (pq_status, _), (pkg_status, _), (dash, dash_body) = fetch(
        "/", "/csv/survey_results.csv", "/parquet/survey_results.parquet", "/package/datapackage.json",
        "/-/dashboards/report")
    assert status == 200
    for link in ("/csv/survey_results.csv", "/parquet/survey_results.parquet", "/validation/summary.html", "/about",
                 "/package/datapackage.json", "/-/dashboards/report"):
        assert f'href="{link}"' in body
    assert (csv_status, pq_status, pkg_status, dash) == (200, 200, 200, 200)
    assert "vega" in dash_body


def test_metadata_comes_from_the_package_descriptor():
    meta = serve_metadata.metadata()
    package = json.loads((schemas.ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert meta["title"] == package["title"] and meta["source"] == package["sources"][0]["title"]
    tables = meta["databases"][DB]["tables"]
    assert sorted(tables) == sorted(RESOURCES + VIEWS)
    for name in RESOURCES:
        fields = json.loads((schemas.ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))["fields"]
        assert tables[name]["columns"] == {f["name"]: f["description"] for f in fields}
    assert tables["survey_results"]["facets"] == ["survey_year", "role_group", "printed_in", "compares_as"]
    # The file's order, which is the report's, on every page, filtered too (tests/test_browser.py checks it).
    assert all(tables[name]["sort"] == "rowid" for name in RESOURCES)
    assert set(meta["databases"][DB]["queries"]) == set(QUERY_PARAMS)
    [(status, body)] = fetch(f"/{DB}/survey_results")
    assert status == 200
    assert schemas.field("survey_results", "group_n")["description"][:40] in body


def test_datasette_is_the_pinned_release_with_the_published_security_fixes():
    import datasette
    from packaging.version import Version
    pinned = next(line.split("==")[1] for line in (schemas.ROOT / "requirements.txt").read_text().splitlines()
                  if line.startswith("datasette=="))
    assert datasette.__version__ == pinned
    # 0.56.1/0.57.1: reflected XSS (CVE-2021-32670); 0.65.2: open redirect on '//host/path' (#2429).
    assert Version(pinned) >= Version("0.65.2")


def test_posts_are_refused_and_the_database_bytes_do_not_change():
    before = sha256()

    async def go():
        ds = serve.app()
        await ds.invoke_startup()
        out = []
        for path, data in [(f"/{DB}/items", {"item_id": "x"}), (f"/{DB}/items/-/insert", {"rows": "[]"}),
                           (f"/{DB}/role_group_results", {"role_group": "x"}), (f"/{DB}", {"sql": "DROP TABLE items"}),
                           (f"/{DB}/-/create", {"table": "x"}), ("/-/messages", {"message": "x"})]:
            r = await ds.client.post(path, data=data)
            out.append((path, r.status_code))
        return out

    assert {status for _, status in asyncio.run(go())} == {405}
    assert sha256() == before


def test_codes_show_their_labels_and_booleans_read_yes_or_no():
    tables = serve_metadata.metadata()["databases"][DB]["tables"]
    assert {t: tables[t].get("label_column") for t in ("items", "role_groups", "survey_waves", "tables")} == {
        "items": "row_label", "role_groups": "column_label", "survey_waves": "label", "tables": "table_label"}
    (status, body), (_, facets), (_, rerun), (_, rerun_json) = fetch(
        f"/{DB}/survey_results?item_id=positive_rating_local_relationships", f"/{DB}/survey_results.json?_facet=survey_year",
        f"/{DB}/significance_rerun", f"/{DB}/significance_rerun.json?_shape=array")
    assert status == 200 and "Positive rating for local relationships" in body and ">Chief executives<" in body
    labels = [f["label"] for f in json.loads(facets)["facet_results"]["survey_year"]["results"]]
    assert sorted(labels) == ["2002 survey", "2015 survey"]  # the waves, told apart
    shown = re.findall(r'<td class="col-agrees[^>]*>([^<]*)<', rerun)
    assert shown and set(shown) <= {"yes", "no"}
    assert {r["agrees"] for r in json.loads(rerun_json)} <= {0, 1}  # JSON keeps the values


def test_table_pages_offer_the_schema_facets_and_no_suggested_ones():
    """survey_results: its facets are the fields with few values (role group, wave, ...), from the schema.
    Datasette's suggestions would offer the label columns the pages hide, at a cost on every page."""
    (status, body), = fetch(f"/{DB}/survey_results")
    assert status == 200
    assert "Suggested facets" not in body
    facets = serve_metadata.metadata()["databases"][DB]["tables"]["survey_results"]["facets"]
    assert "role_group" in facets and "survey_year" in facets
    assert all(f'data-column="{f}"' in body for f in facets), facets


@pytest.mark.parametrize("path, named", [
    (f"/{DB}/survey_results.json?no_such_column=1", "no_such_column"),
    (f"/{DB}/survey_results.json?percent__bigger=50", "percent__bigger"),
    (f"/{DB}/change_since_2002.json?role=x", "'role'"),
    (f"/{DB}/survey_results.json?_facet=nope", "nope"),
    (f"/{DB}/role_group_results.json?rolegroup=clinical_director", "rolegroup"),
    (f"/{DB}/role_group_results.json?role_group=surgeons", "surgeons"),
    (f"/{DB}/items.json?_timelimit=abc", "_timelimit"),
])
def test_unknown_filters_parameters_and_choices_get_a_400_that_names_them(path, named):
    [(status, body)] = fetch(path)
    assert status == 400 and named in json.loads(body)["error"], body[:300]


def test_canned_queries_open_with_every_row_and_take_a_role_group_by_name():
    (s1, every), (s2, by_name), (s3, singular), (s4, statements), (s5, item) = fetch(
        f"/{DB}/role_group_results.json?_shape=array", f"/{DB}/role_group_results.json?role_group=Clinical+directors&_shape=array",
        f"/{DB}/role_group_results.json?role_group=clinical+director&_shape=array", f"/{DB}/search_statements.json?_shape=array",
        f"/{DB}/item_across_groups_and_years.json?_shape=array")
    assert {s1, s2, s3, s4, s5} == {200}
    rows = json.loads(every)
    assert len(rows) == len(schemas_rows("survey_results")) and len(json.loads(by_name)) == 77 == len(json.loads(singular))
    assert len(json.loads(statements)) == len(schemas_rows("items"))  # empty search: every statement
    assert len(json.loads(item)) == len(schemas_rows("survey_results"))  # empty, as its form says: every item


def schemas_rows(name):
    from web import presentation
    return presentation.rows(name)
