"""How the Datasette pages show codes, read from schemas/ and the dimension resources (never by hand):
the label of every code, the columns that only repeat a label shown beside its code, boolean columns,
the valid choices of canned-query parameters, one colour per role group, and the site's stylesheet."""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from core import schemas
from pipeline import ddl

ROOT = schemas.ROOT
DATABASE = "managing_doctors"
# The column that names a row of a dimension resource, first found wins: role_groups' plural column
# heading ("Clinical directors"), tables' "Table 2.10", the waves' "2015 survey", items' printed wording.
LABEL_FIELDS = ("column_label", "table_label", "label", "row_label", "subject")
# One colour per role group, in role_groups' sort order, for every chart: the Okabe-Ito palette (safe
# for the common colour-vision deficiencies), grey for the overall column.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
OVERALL_COLOUR = "#666666"
CHOICES_LISTED = 12  # more choices than this are pointed to, not listed, in an error message
WIDE_COLUMNS, WIDEST_COLUMNS = 11, 16  # columns shown beyond which a page's type is smaller, to fit 1,400 px


PACKAGE = schemas.STAGE  # the built package whose resources are read (web.metadata's --package)


@cache
def rows(name: str) -> list[dict]:
    with open(PACKAGE / schemas.resource(name)["path"], encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def label_field(name: str) -> str | None:
    return next((f for f in LABEL_FIELDS if f in schemas.field_names(name)), None)


def label_columns() -> dict[str, str]:
    """resource -> its label column, for every resource a foreign key points at (Datasette's label_column)."""
    targets = {fk["reference"]["resource"] for n in schemas.resource_names()
               for fk in schemas.schema(n).get("foreignKeys", [])}
    return {t: label_field(t) for t in sorted(targets) if label_field(t)}


def labels(name: str) -> dict[str, str]:
    """code -> label of a dimension resource with a one-field key."""
    key, label = schemas.schema(name)["primaryKey"][0], label_field(name)
    return {r[key]: r[label] for r in rows(name)}


def repeated_labels(name: str) -> list[str]:
    """Columns of a resource that hold, row for row, the label Datasette already shows beside a foreign
    key's code (survey_results.item_wording beside item_id): hidden on the HTML page, kept in JSON and CSV."""
    found = []
    for fk in schemas.schema(name).get("foreignKeys", []):
        target, [column] = fk["reference"]["resource"], fk["fields"]
        if fk["reference"]["resource"] == name or not label_field(target):
            continue
        lookup, data = labels(target), rows(name)
        if not data or not all(r[column] for r in data):
            continue  # a code only some rows carry (items.factor_id): its label is not the row's wording
        found += [c for c in schemas.field_names(name)
                  if c != column and all(r[c] == lookup.get(r[column]) for r in data)]
    return list(dict.fromkeys(found))


def sparse_columns(name: str, share: float = 0.05, least_rows: int = 50) -> list[str]:
    """Columns filled in fewer than `share` of a long resource's rows (survey_results' 2003-paper and
    figure_id columns): hidden on the HTML table page so it fits the window; row pages, JSON and CSV
    keep them."""
    data = rows(name)
    if len(data) < least_rows:
        return []
    return [c for c in schemas.field_names(name) if 0 < sum(1 for r in data if r[c]) < share * len(data)]


def boolean_columns(duckdb_path: Path) -> dict[str, list[str]]:
    """table or view -> its boolean columns, as DuckDB types them (SQLite keeps them as 1/0)."""
    import duckdb

    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        found = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE data_type = 'BOOLEAN' ORDER BY table_name, ordinal_position").fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = {}
    for table, column in found:
        out.setdefault(table, []).append(column)
    return out


def _columns(duckdb_path: Path) -> list[tuple[str, str, str]]:
    import duckdb

    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        return con.execute("SELECT c.table_name, c.column_name, t.table_type FROM information_schema.columns AS c "
                           "JOIN information_schema.tables AS t USING (table_name) "
                           "ORDER BY c.table_name, c.ordinal_position").fetchall()
    finally:
        con.close()


P_VALUE = ("p_min", "p_max")


def p_value_columns(duckdb_path: Path) -> dict[str, list[str]]:
    """table or view -> its p-value columns (p_min, derived_p_max, ...): shown for people on HTML pages."""
    out: dict[str, list[str]] = {}
    for table, column, _ in _columns(duckdb_path):
        if column.endswith(P_VALUE):
            out.setdefault(table, []).append(column)
    return out


# In a view, a code beside the label that names it: hidden on the HTML page (JSON and CSV keep it).
CODE_LABELS = {"item_id": ("item_wording", "row_label"), "role_group": ("role_group_label",),
               "rule": ("rule_description",),
               "item_order": ("item_id",)}


def view_codes(duckdb_path: Path) -> dict[str, list[str]]:
    views: dict[str, list[str]] = {}
    for table, column, kind in _columns(duckdb_path):
        if kind == "VIEW":
            views.setdefault(table, []).append(column)
    return {v: hidden for v, cols in views.items()
            if (hidden := [c for c, labels in CODE_LABELS.items() if c in cols and set(labels) & set(cols)])}


def parameter_choices(queries: dict) -> dict:
    """{query: {param: {accepts, noun, hint, options}}} for each canned-query parameter named like the key
    of a dimension resource (role_group, item_id): codes and labels are both accepted."""
    by_key = {schemas.schema(n)["primaryKey"][0]: n for n in label_columns()
              if len(schemas.schema(n)["primaryKey"]) == 1}
    out: dict = {}
    for query, spec in queries.items():
        for param in spec["params"]:
            if param not in by_key:
                continue
            name = by_key[param]
            options = labels(name)
            accepts = list(options)
            if len(set(options.values())) == len(options):  # names too, where each names one code
                accepts += list(options.values())
                if "row_label" in schemas.field_names(name):
                    accepts += [r["row_label"] for r in rows(name) if r["row_label"]]  # "Clinical director"
            listed = "; ".join(f"{code} ({label})" for code, label in options.items())
            hint = (f"choose one of {listed}" if len(options) <= CHOICES_LISTED else
                    f"choose one of the {len(options)} in /{DATABASE}/{name}")
            out.setdefault(query, {})[param] = {"accepts": accepts, "noun": param.replace("_", " "), "hint": hint,
                                                "options": [[c, label] for c, label in options.items()]}
    return out


def role_group_colours() -> dict[str, str]:
    """Role group label -> colour, in role_groups' sort order; the overall column grey."""
    groups = sorted(rows("role_groups"), key=lambda r: int(r["sort_order"]))
    colours, palette = {}, iter(PALETTE)
    for g in groups:
        colours[g["column_label"]] = OVERALL_COLOUR if g["level"] == ddl.OVERALL_LEVEL else next(palette)
    return colours


def role_group_colours_by_code() -> dict[str, str]:
    """Role group code -> colour: the same colours as role_group_colours()."""
    colours = role_group_colours()
    return {g["role_group"]: colours[g["column_label"]] for g in rows("role_groups")}


def chart_groups(sql: str, database: Path) -> list[str] | None:
    """The role groups a chart's query returns (its role_group_label column), or None if it has none."""
    import sqlite3
    import textwrap

    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    con.create_function("wrap_label", 2, lambda text, width: "\n".join(textwrap.wrap(str(text), int(width))))
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        if "role_group_label" not in names:
            return None
        at = names.index("role_group_label")
        return sorted({r[at] for r in cur.fetchall()}, key=list(role_group_colours()).index)
    finally:
        con.close()


def colour_charts(dashboards: dict, database: Path | None = None) -> dict:
    """The same colour for a role group in every chart: each colour channel on role_group_label gets
    the fixed scale of role_group_colours(), over the groups the chart shows (so its legend lists exactly
    those). Charts render as SVG, with no link to the online editor."""
    colours = role_group_colours()
    for board in dashboards.values():
        for chart in board["charts"].values():
            if chart.get("library") != "vega-lite":
                continue
            # SVG: text a reader can select and a test can read
            chart["display"].setdefault("usermeta", {"embedOptions": {
                "renderer": "svg", "actions": {"export": True, "source": False, "compiled": False, "editor": False}}})
            display = chart["display"]
            encoding = display.get("spec", display).get("encoding", {})
            shown = chart_groups(chart["query"], database) if database else None
            shown = shown if shown is not None else list(colours)
            colour, offset, y = encoding.get("color"), encoding.get("yOffset"), encoding.get("y")
            if colour and colour.get("field") == "role_group_label":
                colour["scale"] = {"domain": shown, "range": [colours[g] for g in shown]}
                colour.setdefault("title", "Role group")
            for channel in (offset, y):
                if channel and channel.get("field") == "role_group_label":
                    channel["sort"] = shown  # bars within an item in the report's column order
    return dashboards


def column_counts(duckdb_path: Path) -> dict[str, int]:
    """table or view -> its number of columns, as DuckDB has them."""
    out: dict[str, int] = {}
    for table, _, _ in _columns(duckdb_path):
        out[table] = out.get(table, 0) + 1
    return out


def stylesheet(hidden: dict[str, list[str]], columns: dict[str, int] | None = None) -> str:
    """The site's CSS: repeated label columns hidden on HTML table pages, long text wrapped so that the
    main tables fit a 1400 px window, and the about page's layout."""
    from datasette.utils import to_css_class as css_class

    rules = [f".table-{css_class(t)} .col-{css_class(c)}" for t, cols in hidden.items() for c in cols]
    hide = (",\n".join(rules) + " { display: none; }\n") if rules else ""
    # A table or view with more columns shown than a 1,400 px window holds at the normal size: smaller type,
    # the smallest for the widest.
    columns = columns or {n: len(schemas.field_names(n)) for n in schemas.resource_names()}
    shown = {n: count - len(hidden.get(n, [])) for n, count in sorted(columns.items())}
    small = "".join(",\n".join(f".table-{css_class(n)} table.rows-and-columns" for n in names) + f" {{ font-size: {size}; }}\n"
                    for size, names in (("0.85em", [n for n, c in shown.items() if WIDE_COLUMNS < c <= WIDEST_COLUMNS]),
                                        ("0.72em", [n for n, c in shown.items() if c > WIDEST_COLUMNS])) if names)
    return hide + small + (ROOT / "web" / "static" / "site.css").read_text(encoding="utf-8")
