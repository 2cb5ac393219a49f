"""Codes and values as a reader wants them, configured by web/metadata.py from the schemas:

- booleans (stored 1/0 in SQLite) shown as yes/no on HTML pages; JSON and CSV keep the values;
- each canned-query parameter that names a code (role_group, item_id) offers its valid choices as the
  browser's suggestion list, code and label, so the form's first submission works;
- wrap_label(text, width), a SQL function for the charts (web/sqlfunctions.py): the wording broken into
  lines of at most `width` characters (joined by newlines, which the charts' axes split), so that labels
  wrap, not cut;
- p-values for people on HTML pages ("< 0.001", never 0.0); JSON and CSV keep the numbers;
- facets in the report's order (a dimension's rows, an enum's order), not by count.
"""
import json
import sqlite3
from functools import lru_cache

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import CustomRow
from markupsafe import Markup

from web import sqlfunctions

YES_NO = {1: "yes", 0: "no"}  # True and False are 1 and 0 as keys


@lru_cache(maxsize=4)
def booleans_of(datasette) -> dict:
    """The boolean columns, read once: plugin_config() resolves the whole configuration on every call,
    and render_cell runs for every cell (it took 40% of a survey_results page)."""
    return {t: frozenset(cols) for t, cols in (datasette.plugin_config("presentation") or {}).get("booleans", {}).items()}


@lru_cache(maxsize=4)
def p_values_of(datasette) -> dict:
    return {t: frozenset(cols) for t, cols in (datasette.plugin_config("presentation") or {}).get("p_values", {}).items()}


def p_value(p: float) -> str:
    """Two significant figures; below 0.001 as '< 0.001' (a rounded 0.0 read as certainty)."""
    if p < 0.001:
        return "< 0.001"
    return f"{p:.2g}" if p < 0.01 else f"{p:.2f}"


@hookimpl
def render_cell(value, column, table, database, datasette):
    booleans = booleans_of(datasette)
    if table and column in booleans.get(table, ()) and value in YES_NO:
        return Markup(YES_NO[value])
    if table and isinstance(value, float) and column in p_values_of(datasette).get(table, ()):
        return Markup(p_value(value))
    return None


_facet_results = ColumnFacet.facet_results


async def facet_results(self):
    """Datasette's column facets, each listed in the report's order (Datasette sorts them by count)."""
    results, timed_out = await _facet_results(self)
    order = ((self.ds.plugin_config("presentation") or {}).get("facet_order", {}) or {}).get(self.table or "", {})
    for facet in results:
        rank = {v: i for i, v in enumerate(order.get(facet["name"], []))}
        if rank:
            facet["results"].sort(key=lambda r: rank.get(str(r["value"]), len(rank)))
    return results, timed_out


ColumnFacet.facet_results = facet_results


class MissingColumn(KeyError, IndexError):
    """A column a row does not hold, as sqlite3.Row reports it (IndexError) and as a dict does (KeyError)."""


_row_item = CustomRow.__getitem__


def row_item(self, key):
    # Table pages sort by rowid (the report's order), which their SELECT leaves out; Datasette then looks the
    # next page's sort value up by key, on an IndexError, the error sqlite3.Row raises, while the labelled
    # rows of an HTML page (CustomRow) raised a KeyError and the page a 500.
    try:
        return _row_item(self, key)
    except KeyError as e:
        raise MissingColumn(*e.args) from None


CustomRow.__getitem__ = row_item


def labelled_value(value: dict):
    """That look-up binds the key's values from the page's rows, where a code shown with its label is
    {"value": ..., "label": ...}: it binds as its value (sqlite3 binds no other dict)."""
    if set(value) == {"value", "label"}:
        return value["value"]
    raise sqlite3.ProgrammingError(f"cannot bind {value!r}")


sqlite3.register_adapter(dict, labelled_value)


@hookimpl
def prepare_connection(conn):
    sqlfunctions.register(conn)


# Table pages: the column descriptions (a screenful on survey_results, above the data) fold into a
# <details> a reader opens when needed, and each description becomes its column heading's tooltip;
# column names and codes may break after their underscores (<wbr>, which copying leaves out), so that
# tables fit the window without breaking words anywhere.
FOLD_DESCRIPTIONS = r"""(function () {
  for (const h of document.querySelectorAll('h3')) {  // the default sort, rowid, is the report's order
    h.innerHTML = h.innerHTML.replace('sorted by rowid', "in the report's order");
  }
  const codes = [...document.querySelectorAll('.rows-and-columns th a, .rows-and-columns td em, .rows-and-columns td a')]
    .concat([...document.querySelectorAll('.rows-and-columns td')].filter(td => !/\s/.test(td.textContent.trim())));
  for (const el of codes) {
    if (el.children.length === 0) el.innerHTML = el.innerHTML.replace(/_/g, '_<wbr>').replace(/,/g, ',<wbr>');
  }
  const dl = document.querySelector('dl.column-descriptions');
  if (!dl) return;
  const box = document.createElement('details');
  box.className = 'column-descriptions-box';
  const summary = document.createElement('summary');
  summary.textContent = `What each column means (${dl.querySelectorAll('dt').length} columns)`;
  dl.before(box); box.append(summary, dl);
  for (const dt of dl.querySelectorAll('dt')) {
    const th = document.querySelector(`th.col-${CSS.escape(dt.textContent.trim())}`);
    if (th && dt.nextElementSibling) th.title = dt.nextElementSibling.textContent.trim();
  }
})();"""


@hookimpl
def extra_body_script(view_name, request, datasette):
    """Folded column descriptions on table pages; a suggestion list (<datalist>) on each parameter of a
    canned query that has choices."""
    name = request.path.rstrip("/").rsplit("/", 1)[-1] if request else ""
    choices = (datasette.plugin_config("client_errors") or {}).get("choices", {}).get(name)
    if not choices:
        return FOLD_DESCRIPTIONS if view_name == "table" else ""
    options = {param: c["options"] for param, c in choices.items()}
    return ("(function (choices) {\n"
            "  for (const [param, options] of Object.entries(choices)) {\n"
            "    const input = document.querySelector(`form input[name=\"${param}\"]`);\n"
            "    if (!input) continue;\n"
            "    const list = document.createElement('datalist');\n"
            "    list.id = `choices-${param}`;\n"
            "    for (const [code, label] of options) {\n"
            "      const option = document.createElement('option');\n"
            "      option.value = code; option.label = label; option.textContent = label;\n"
            "      list.appendChild(option);\n"
            "    }\n"
            "    input.after(list); input.setAttribute('list', list.id);\n"
            "    input.placeholder = 'choose, or leave empty for all';\n"
            "  }\n"
            f"}})({json.dumps(options)});\n" + FOLD_DESCRIPTIONS)


@hookimpl
def extra_template_vars(datasette):
    """The facts the about page states (web/metadata.py reads them from the package)."""
    return {"about": (datasette.plugin_config("presentation") or {}).get("about", {})}
