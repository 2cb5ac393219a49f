"""Every page that shows data or metadata escapes it and carries the security headers: a copy of the published
snapshot is doctored so that a site title, table titles and descriptions, column descriptions, a canned query's
title, a table's printed title and an item's wording all hold <&'", and each page is fetched from Datasette
as the servers run it (web.serve.datasette)."""
import asyncio
import json
import shutil
import sqlite3

import pytest

from web import serve

NASTY = "<b>R&D</b> 'q' \"dq\""
RAW = "<b>R&D</b>"  # what must never reach a page as markup
ITEM = "positive_rating_local_relationships"
PAGES = ["/", "/about", "/managing_doctors", "/managing_doctors/items", f"/managing_doctors/items/{ITEM}",
         "/managing_doctors/tables", "/managing_doctors/tables/T2~2E1", f"/managing_doctors/survey_results?item_id={ITEM}",
         "/managing_doctors/role_group_results?role_group=chief_executive", "/managing_doctors/printed_tables_2",
         "/tables/T2.1", "/-/dashboards/report"]


@pytest.fixture(scope="module")
def doctored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served") / "snapshot"
    shutil.copytree(serve.snapshot(), folder)
    meta_path = folder / serve.METADATA.name
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["title"] = NASTY
    db = meta["databases"]["managing_doctors"]
    db["description"] = NASTY
    for name in ("items", "tables", "survey_results"):
        db["tables"][name]["title"] = NASTY
        db["tables"][name]["description"] = NASTY
        db["tables"][name]["columns"] = {c: NASTY for c in db["tables"][name]["columns"]}
    meta["plugins"]["presentation"]["about"]["title"] = NASTY
    meta["plugins"]["presentation"]["about"]["source"] = NASTY
    meta["plugins"]["datasette-dashboards"]["report"]["title"] = NASTY
    meta["plugins"]["datasette-dashboards"]["report"]["description"] = NASTY
    db["queries"]["role_group_results"]["title"] = NASTY
    db["queries"]["role_group_results"]["description"] = NASTY
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    con = sqlite3.connect(folder / serve.DATABASE.name)
    with con:
        con.execute("UPDATE items SET row_label = ? WHERE item_id = ?", (NASTY, ITEM))
        con.execute("UPDATE survey_results SET item_wording = ?, cell_text = ? WHERE item_id = ?", (NASTY, NASTY, ITEM))
        con.execute("UPDATE tables SET title = ?, footnote = ? WHERE table_id = 'T2.1'", (NASTY, NASTY))
    con.close()
    return serve.datasette(folder)


def fetch(ds, path):
    async def go():
        return await ds.client.get(path)
    return asyncio.run(go())


@pytest.mark.parametrize("path", PAGES)
def test_every_page_escapes_what_it_shows_and_carries_the_headers(doctored, path):
    r = fetch(doctored, path)
    assert r.status_code == 200, path
    page = r.text
    assert RAW not in page, f"{path}: unescaped"
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in page or "\\u003cb\\u003eR\\u0026D" in page, f"{path}: shows none of it"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "'unsafe-inline'" not in r.headers["content-security-policy"].split("style-src")[0], path
