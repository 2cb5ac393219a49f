"""The site as a publication: a home page that leads with the printed tables and the report's questions,
and one page per printed table (/tables/T2.1) that a researcher can land on and cite.

Each page is rendered on the server from the database being served (so it always shows the build it sits
in), with words and formats for people: labels, not codes; p-values as "p < 0.001"; verdicts in words.
What only the build knows (the package's metadata and JSON-LD, column titles, colours, downloads and their
checksums) comes from the plugin configuration that web/metadata.py generates.

Charts are HTML and SVG drawn here, without script: one bar per role group the table prints, placed
under its own statement, and a legend of exactly the groups shown.
"""
from __future__ import annotations

import json
import re

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

TABLE_ID = re.compile(r"^T\d+\.\d+$")


def config(datasette) -> dict:
    return datasette.plugin_config("pages") or {}


# ---- numbers and words for people ---------------------------------------------------------------

def p_text(p_min, p_max) -> str:
    """A p-value range as a reader wants it: 'p < 0.001', 'p = 0.64', 'p = 0.004 to 0.005'."""
    if p_min is None or p_max is None:
        return ""
    lo, hi = p_number(p_min), p_number(p_max)
    if p_max < 0.001:
        return "p < 0.001"
    if lo == hi:
        return f"p = {lo}"
    return f"p = {lo} to {hi}" if p_min >= 0.001 else f"p from below 0.001 to {hi}"


def p_number(p: float) -> str:
    """Two significant figures, never shown as 0 (a p-value below 0.001 is 'below 0.001')."""
    if p < 0.001:
        return "< 0.001"
    if p >= 0.995:
        return "1.00"
    return f"{p:.2g}" if p < 0.01 else f"{p:.2f}"


def words(code) -> str:
    """A code in words: not_significant -> not significant."""
    return "" if code is None else str(code).replace("_", " ")


def points(value, decimals: int = 0) -> str:
    """A change in percentage points, signed, with a true minus sign."""
    if value is None:
        return ""
    number = f"{abs(value):.{decimals}f}"
    return "0" if value == 0 else ("+" if value > 0 else "\u2212") + number


# ---- data -------------------------------------------------------------------------------------------

async def rows(db, sql: str, params=None) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params or {})).rows]


async def dimension(db) -> dict:
    groups = await rows(db, "SELECT * FROM role_groups ORDER BY sort_order")
    items = await rows(db, "SELECT * FROM items ORDER BY item_order")
    tables = await rows(db, "SELECT * FROM tables ORDER BY table_order")
    rules = await rows(db, "SELECT rule, description FROM check_summary")
    return {"groups": groups, "items": {i["item_id"]: i for i in items}, "tables": tables,
            "labels": {**{g["role_group"]: g["column_label"] for g in groups},
                       **{i["item_id"]: i["row_label"] for i in items},
                       **{t["table_id"]: t["table_label"] for t in tables},
                       **{r["rule"]: r["description"] for r in rules}}}


def readable(resource: str, records: list[dict], cfg: dict, dims: dict, drop: tuple = ()) -> dict:
    """Rows of a resource as a reader's table: columns titled as in its schema, codes as labels, booleans
    as yes/no, identifiers and columns empty in every row left out. Columns come from the schema, so a
    resource whose columns change needs no change here."""
    fields = cfg.get("fields", {}).get(resource, [])
    shown = [f for f in fields if f["name"] not in drop and not f.get("identifier")
             and any(r.get(f["name"]) not in (None, "") for r in records)]
    labels = dims["labels"]

    def cell(f, value):
        if value in (None, ""):
            return ""
        if f["type"] == "boolean":
            return "yes" if value in (1, True, "true") else "no"
        if f.get("enum"):
            return words(value)
        if f["type"] == "string" and all(part in labels for part in str(value).split(";")):
            return "; ".join(labels[part] for part in str(value).split(";"))
        return value

    return {"columns": [f["title"] for f in shown],
            "rows": [[cell(f, r.get(f["name"])) for f in shown] for r in records]}


def survey_layout(cells: list[dict], dims: dict) -> dict:
    """A table of Tables 2.1 to 2.11 as printed: a row per statement (and per earlier wave under it), a
    column per role group with its n, each cell exactly as printed."""
    present = {c["role_group"] for c in cells}
    groups = [g for g in dims["groups"] if g["role_group"] in present]
    n = {c["role_group"]: c["group_n"] for c in cells if c["survey_year"] == max(x["survey_year"] for x in cells)}
    text = {(c["item_id"], c["survey_year"], c["role_group"]): c["cell_text"] for c in cells}
    order = list(dict.fromkeys(c["item_id"] for c in cells))
    latest = max(c["survey_year"] for c in cells)
    body = []
    for item_id in order:
        item = dims["items"][item_id]
        years = sorted({c["survey_year"] for c in cells if c["item_id"] == item_id}, reverse=True)
        for year in years:
            label = (item["row_label"] + (" \u2020" if item["reverse_worded"] else "")) if year == latest \
                else f"{year} figures"
            body.append({"label": label, "earlier": year != latest,
                         "cells": [text.get((item_id, year, g["role_group"]), "") for g in groups]})
    heads = [f"{g['column_label']} (n={n[g['role_group']]})" if n.get(g["role_group"]) else g["column_label"]
             for g in groups]
    return {"heads": heads, "rows": body}


def survey_chart(cells: list[dict], dims: dict, colours: dict) -> dict:
    """Bars per statement: one per role group the table prints, 2015 and, where the table prints it, 2002
    beneath (lighter); the legend lists exactly the groups shown."""
    present = {c["role_group"] for c in cells}
    groups = [g for g in dims["groups"] if g["role_group"] in present]
    latest = max(c["survey_year"] for c in cells)
    value = {(c["item_id"], c["survey_year"], c["role_group"]): c["percent"] for c in cells}
    items = []
    for item_id in dict.fromkeys(c["item_id"] for c in cells):
        bars = []
        for g in groups:
            for year in (latest, 2002) if year_printed(cells, item_id, 2002) else (latest,):
                v = value.get((item_id, year, g["role_group"]))
                if v is not None:
                    bars.append({"group": g["column_label"], "year": year, "earlier": year != latest,
                                 "value": v, "width": v, "text": f"{v:g}%", "colour": colours[g["role_group"]]})
        items.append({"label": dims["items"][item_id]["row_label"], "bars": bars})
    earlier = any(b["earlier"] for i in items for b in i["bars"])
    return {"items": items, "earlier": earlier, "unit": "%",
            "legend": [{"label": g["column_label"], "colour": colours[g["role_group"]]} for g in groups]}


def year_printed(cells, item_id, year) -> bool:
    return any(c["item_id"] == item_id and c["survey_year"] == year for c in cells)


def profile_layout(cells: list[dict], dims: dict, value_field: str, heads: list[str] | None = None) -> dict:
    """Tables 1.1 to 1.3 as printed: a row per role, a column per category (or the number)."""
    present = {c["role_group"] for c in cells}
    groups = [g for g in dims["groups"] if g["role_group"] in present]
    if heads is None:
        heads = list(dict.fromkeys(c["category_label"] for c in cells))
        text = {(c["role_group"], c["category_label"]): c["cell_text"] for c in cells}
        body = [{"label": g["row_label"], "cells": [text.get((g["role_group"], h), "") for h in heads]}
                for g in groups]
    else:
        by_group = {c["role_group"]: c[value_field] for c in cells}
        body = [{"label": g["row_label"], "cells": [by_group[g["role_group"]]]} for g in groups]
    return {"heads": heads, "rows": body}


def profile_chart(cells: list[dict], dims: dict, colours: dict) -> dict:
    """Tables 1.1 and 1.2: bars per category, one per role group; Table 1.3: one bar per role group."""
    present = {c["role_group"] for c in cells}
    groups = [g for g in dims["groups"] if g["role_group"] in present]
    legend = [{"label": g["column_label"], "colour": colours[g["role_group"]]} for g in groups]
    if "category_label" in cells[0]:
        value = {(c["category_label"], c["role_group"]): c["percent"] for c in cells}
        items = [{"label": cat, "bars": [
            {"group": g["column_label"], "value": value[(cat, g["role_group"])], "width": value[(cat, g["role_group"])],
             "text": f"{value[(cat, g['role_group'])]:g}%", "colour": colours[g["role_group"]], "earlier": False}
            for g in groups if (cat, g["role_group"]) in value]}
            for cat in dict.fromkeys(c["category_label"] for c in cells)]
        return {"items": items, "legend": legend, "earlier": False, "unit": "%"}
    most = max(c["participants"] for c in cells)
    items = [{"label": "Interviewees and focus group members", "bars": [
        {"group": g["column_label"], "value": c["participants"], "width": 100 * c["participants"] / most,
         "text": str(c["participants"]), "colour": colours[g["role_group"]], "earlier": False}
        for g in groups for c in cells if c["role_group"] == g["role_group"]]}]
    return {"items": items, "legend": legend, "earlier": False, "unit": "people"}


def change_rows(records: list[dict]) -> list[dict]:
    """Change since 2002 by statement (in the report's order), one row per role group."""
    out: dict[str, dict] = {}
    for r in records:
        out.setdefault(r["item_id"], {"item": r["item_wording"], "rows": []})["rows"].append({
            "group": r["role_group_label"], "was": r["percent_2002"], "now": r["percent_2015"],
            "change": points(r["change_points"]),
            "interval": f"{points(r['interval_low'], 1)} to {points(r['interval_high'], 1)}"
            if r["interval_low"] is not None else "",
            "p": p_text(r["p_min"], r["p_max"]), "verdict": words(r["verdict"]), "source": r["source_2002"]})
    return list(out.values())


def significance_rows(records: list[dict]) -> list[dict]:
    return [{"item": r["item_wording"], "test": words(r["test"]).replace("chi squared", "chi-squared")
             .replace("fisher exact", "Fisher's exact"), "printed": r["printed_marker"],
             "p": p_text(r["derived_p_min"], r["derived_p_max"]), "markers": r["derived_markers"],
             "agrees": "yes" if r["derived_agrees"] else "no"} for r in records]


def absolute(datasette, request, node):
    """The JSON-LD with every site path ('/...') made an absolute URL of the request's host."""
    if isinstance(node, dict):
        return {k: absolute(datasette, request, v) for k, v in node.items()}
    if isinstance(node, list):
        return [absolute(datasette, request, v) for v in node]
    if isinstance(node, str) and node.startswith("/") and not node.startswith("//"):
        return datasette.absolute_url(request, node)
    return node


def json_ld(datasette, request, data: dict) -> Markup:
    """JSON-LD for a <script type="application/ld+json"> block: '<' escaped so that no text can end it."""
    text = json.dumps(absolute(datasette, request, data), ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


async def table_page(request, datasette):
    cfg = config(datasette)
    table_id = request.url_vars["table_id"]
    db = datasette.get_database(cfg.get("database"))
    dims = await dimension(db)
    table = next((t for t in dims["tables"] if t["table_id"] == table_id), None)
    if not TABLE_ID.match(table_id) or table is None:
        raise NotFound(f"No printed table {table_id!r}: the report's tables are "
                       + ", ".join(t["table_id"] for t in dims["tables"]))
    colours = cfg.get("colours", {})
    cells = await rows(db, "SELECT * FROM survey_results WHERE table_id = :t AND printed_in = 'table' "
                           "ORDER BY rowid", {"t": table_id})
    if cells:
        layout, chart = survey_layout(cells, dims), survey_chart(cells, dims, colours)
        resource = "survey_results"
    else:
        profile = await rows(db, "SELECT * FROM role_profile WHERE table_id = :t ORDER BY rowid", {"t": table_id})
        if profile:
            layout, resource = profile_layout(profile, dims, "cell_text"), "role_profile"
            chart = profile_chart(profile, dims, colours)
        else:
            people = await rows(db, "SELECT * FROM interview_participants WHERE table_id = :t ORDER BY rowid",
                                {"t": table_id})
            layout, resource = profile_layout(people, dims, "participants", ["Number"]), "interview_participants"
            chart = profile_chart(people, dims, colours)
    change = await rows(db, "SELECT * FROM change_since_2002 WHERE table_id = :t", {"t": table_id})
    significance = await rows(db, "SELECT * FROM significance_checks WHERE table_id = :t ORDER BY rowid",
                              {"t": table_id})
    # The claims with a part on this table (claim_parts), in the report's order.
    claims = await rows(db, "SELECT * FROM claims WHERE claim_id IN (SELECT claim_id FROM claim_parts "
                            "WHERE table_id = :t) ORDER BY claim_order", {"t": table_id})
    register = await rows(db, "SELECT * FROM discrepancies WHERE table_id = :t ORDER BY rowid", {"t": table_id})
    position = dims["tables"].index(table)
    neighbours = {"previous": dims["tables"][position - 1] if position else None,
                  "next": dims["tables"][position + 1] if position + 1 < len(dims["tables"]) else None}
    number = table["table_label"].removeprefix("Table ")
    page = dict(cfg.get("table_pages", {}).get(table_id, {}))
    context = {
        "site": cfg, "table": table, "number": number, "layout": layout, "chart": chart, "resource": resource,
        "change": change_rows(change), "significance": significance_rows(significance),
        "claims": readable("claims", claims, cfg, dims, drop=("table_id",)),
        "register": readable("discrepancies", register, cfg, dims, drop=("table_id",)),
        "neighbours": neighbours, "page": page,
        "json_ld": json_ld(datasette, request, {**page.get("json_ld", {}),
                                                "distribution": cfg.get("json_ld", {}).get("distribution", [])}),
        "url": datasette.absolute_url(request, request.path),
    }
    return Response.html(await datasette.render_template("printed_table.html", context, request=request))


@hookimpl
def register_routes():
    return [(r"^/tables/(?P<table_id>[^/]+)$", table_page)]


def question(description: str) -> tuple[str, str]:
    """A view's description split into the question its sql/ header asks first and what it says after."""
    m = re.match(r"(.+?\?)\s+(.*)", description, re.DOTALL)
    return (m[1], m[2]) if m else (description, "")


def contents(metadata: dict) -> dict:
    """The database page's contents, in the order of the generated metadata (the package's resources, then
    sql/'s views): each view under its question, each table with its title and description."""
    views, tables = [], []
    for name, meta in (metadata.get("tables") or {}).items():
        if "title" in meta:
            tables.append({"name": name, "title": meta["title"], "description": meta.get("description", "")})
        else:
            asks, more = question(meta.get("description", name))
            views.append({"name": name, "question": asks, "more": more})
    return {"views": views, "tables": tables}


@hookimpl
def extra_template_vars(template, database, request, datasette):
    """The home and about pages: what they state, read from the database served and the build's metadata;
    the database page: its contents."""
    if template == "database.html":
        return {"contents": contents(datasette.metadata(database=database) or {})}
    if template not in ("index.html", "pages/about.html"):
        return {}

    async def inner():
        cfg = config(datasette)
        db = datasette.get_database(cfg.get("database"))
        dims = await dimension(db)
        return {"site": cfg, "printed_tables": dims["tables"],
                "json_ld": json_ld(datasette, request, cfg.get("json_ld", {}))}
    return inner
