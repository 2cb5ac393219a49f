"""Run the Great Expectations suites against what is served: the SQLite database Datasette serves (GX's
SQLite data source) and, on request, the DuckDB tables and views (their query results read into GX's
pandas data source, since GX's SQL path through duckdb-engine fails on metrics in GX 1.x). Writes the
validation report, build/validation/summary.html, which Datasette serves.

    python -m checks.checkpoint [--package DIR] [--sqlite PATH] [--duckdb PATH] [--docs DIR] [--passed PATH]
                                [--engines sqlite,duckdb]

By default it checks the staged build (build/stage/): the database that publishing will serve, against the
staged CSVs. Exit 1, naming each failing expectation, when any expectation fails; the file --passed names
is written only when every expectation passes.
"""
from __future__ import annotations

import argparse
import html
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no calls home from a build

import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig

from checks import expectations
from core import schemas
from core.stage import exit_now

BUILD = schemas.STAGE / "build"
# BASIC keeps the observed value and the count of unexpected rows, all the messages need, and spares
# GX the metrics behind SUMMARY's lists of unexpected values.
RESULT_FORMAT = "BASIC"
ENGINE_WORDS = {"sqlite": "the SQLite database this site serves (engine sqlite)",
                "duckdb": "the DuckDB tables and views (engine duckdb)"}


def context():
    """An ephemeral context: each suite is validated on its batch directly (Batch.validate), with no
    checkpoint, stores or GX Data Docs. Those cost half the step (a checkpoint re-serialises and
    re-compares every suite to decide whether it is "fresh"), and the Data Docs pages load their
    styles and scripts from CDNs, so the site links the self-contained summary.html instead."""
    ctx = gx.get_context(mode="ephemeral")
    ctx.enable_analytics(False)
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)  # quiet make output
    return ctx


def validate(batch, suite_name: str, items: list) -> list[tuple[str, str, bool, object]]:
    result = batch.validate(gx.ExpectationSuite(name=suite_name, expectations=items), result_format=RESULT_FORMAT)
    return outcomes(suite_name, result)


def outcomes(suite_name: str, result) -> list[tuple[str, str, bool, object]]:
    """(suite, expectation with its arguments, passed, what was observed) for every expectation run."""
    out = []
    for r in result.results:
        cfg = r.expectation_config
        kwargs = {k: v for k, v in cfg.kwargs.items() if k not in ("batch_id", "value_set", "type_list")}
        detail = r.result.get("unexpected_count", r.result.get("observed_value"))
        out.append((suite_name, f"{cfg.type}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})",
                    bool(r.success), detail))
    return out


def failures(rows) -> list[str]:
    return [f"{suite}: {expectation} failed (observed: {observed!r})" for suite, expectation, ok, observed in rows
            if not ok]


def source_commit() -> str:
    """The commit the build was made from (git rev-parse HEAD), or 'unknown' outside a git checkout: the
    report names what was checked rather than when, so that the same sources give the same page."""
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=schemas.ROOT, capture_output=True, text=True,
                             timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def by_resource(rows) -> list[tuple[str, str, int, int]]:
    """(resource, engine, passed, failed) for every suite, in the order of the suites' names."""
    counts: dict[tuple[str, str], list[int]] = {}
    for suite, _, ok, _ in rows:
        engine, _, resource = suite.partition(".")
        counts.setdefault((resource, engine), [0, 0])[0 if ok else 1] += 1
    return [(resource, engine, p, f) for (resource, engine), (p, f) in sorted(counts.items())]


def summary_html(rows, engines: list[str]) -> str:
    """The validation report: a summary per resource and engine, then every expectation and its outcome.
    Self-contained (no script, no stylesheet from elsewhere), so it renders offline."""
    failed = sum(1 for r in rows if not r[2])
    esc = html.escape
    summary = "".join(
        f"<tr class={'pass' if not f else 'fail'}><td>{esc(resource)}</td><td>{esc(engine)}</td>"
        f"<td class=n>{p + f}</td><td class=n>{p}</td><td class=n>{f}</td></tr>"
        for resource, engine, p, f in by_resource(rows))
    body = "".join(
        f"<tr class={'pass' if ok else 'fail'}><td>{esc(suite)}</td><td><code>{esc(exp)}</code></td>"
        f"<td>{'passed' if ok else 'FAILED'}</td><td>{esc(repr(observed))}</td></tr>"
        for suite, exp, ok, observed in sorted(rows, key=lambda r: (r[2], r[0])))
    verdict = "every expectation passed" if not failed else f"{failed} expectations failed"
    version = esc(schemas.package_metadata()["version"])
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>Validation report, version {version}</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<style>body{font-family:sans-serif;margin:2em;max-width:80em}td,th{padding:2px 8px;"
            "border-bottom:1px solid #ddd;text-align:left}.n{text-align:right}.fail{background:#fdd}"
            "nav{margin-bottom:1em}code{overflow-wrap:anywhere}"
            # On a phone each row is a block of its cells, so that nothing scrolls sideways.
            "@media (max-width:700px){body{margin:0.5em}table,tr,td,th{display:block}"
            "tr{border-bottom:2px solid #333;padding:0.3em 0}td,th{border:0;text-align:left}}</style>"
            '<nav><a href="/">Home</a> · <a href="/about">About this data</a></nav>'
            f"<h1>Validation report: {verdict}</h1>"
            f"<p>Package version {version}, built from source commit <code>{esc(source_commit())}</code>. "
            f"{len(rows)} Great Expectations expectations, generated from the package's Table Schemas plus "
            f"cross-checks, were run on {' and on '.join(ENGINE_WORDS[e] for e in engines)}.</p>"
            "<h2>By resource and engine</h2><table class=by-resource><tr><th>resource</th><th>engine</th>"
            f"<th class=n>expectations</th><th class=n>passed</th><th class=n>failed</th></tr>{summary}</table>"
            "<h2>Every expectation</h2>"
            f"<table><tr><th>suite</th><th>expectation</th><th>outcome</th><th>observed</th></tr>{body}</table>"
            '<p><a href="/">Back to the home page</a></p></html>')


def run(sqlite_path: Path | None, duckdb_path: Path | None, docs: Path,
        processes: int = 2, package: Path = schemas.STAGE) -> list[tuple[str, str, bool, object]]:
    """Every expectation's outcome (see outcomes); an engine whose path is None is skipped. The report
    is written beside docs and renamed into place, so a failed run leaves no half-written folder.

    The suites are shared out between `processes` forked processes, each with a context of its own:
    GX is imported once, before the fork, and spends its time in Python, a core per process."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    if not SUITES:  # made before the fork, so that the processes share them rather than receive them pickled
        SUITES.update({"sqlite": expectations.suites("sqlite", package),
                       "duckdb": expectations.suites("pandas", package)})
    engines = [e for e, p in (("sqlite", sqlite_path), ("duckdb", duckdb_path)) if p is not None]
    jobs = [(engine, path, names) for engine, path in (("sqlite", sqlite_path), ("duckdb", duckdb_path)) if path
            for names in shares(SUITES[engine], processes)]
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
        rows = [row for part in pool.map(run_part, jobs) for row in part]
    docs.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".validation-", dir=docs.parent))
    try:
        (tmp / "summary.html").write_text(summary_html(rows, engines), encoding="utf-8")
        if docs.exists():
            shutil.rmtree(docs)
        os.replace(tmp, docs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


# Each engine's suites, {asset name: (table name or SQL, expectations)}, from the package checked: made by
# run() on first use (tests put smaller suites in their place).
SUITES: dict[str, dict] = {}


def shares(suites: dict, processes: int) -> list[list[str]]:
    """The suites' names in `processes` lists of about as many expectations each (largest first)."""
    out, load = [[] for _ in range(processes)], [0] * processes
    for name in sorted(suites, key=lambda n: (-len(suites[n][1]), n)):
        i = load.index(min(load))
        out[i].append(name)
        load[i] += len(suites[name][1])
    return [names for names in out if names]


def run_part(job: tuple[str, Path, list[str]]) -> list:
    engine, path, names = job
    return (run_sqlite if engine == "sqlite" else run_duckdb)(context(), path, names)


def run_sqlite(ctx, sqlite_path: Path, names: list[str]) -> list:
    """SQLite, as Datasette serves it: tables, views and check queries, one batch each."""
    ds = ctx.data_sources.add_sqlite(name="sqlite", connection_string=f"sqlite:///{sqlite_path}")
    rows = []
    for name in names:
        source, items = SUITES["sqlite"][name]
        asset = (ds.add_table_asset(name=name, table_name=source) if source == name
                 else ds.add_query_asset(name=name, query=source))
        rows += validate(asset.add_batch_definition_whole_table("all").get_batch(), f"sqlite.{name}", items)
    return rows


def duckdb_frame(con, name: str, source: str):
    """A DuckDB table's, view's or check query's result as a DataFrame for GX's pandas data source."""
    df = con.sql(f"SELECT * FROM {source}" if source == name else source).df()
    # GX 1.x cannot type-check pandas 3's "str" dtype; as object it would test every value's type.
    # Text as the "string" dtype is checked once per column (type StringDtype).
    return df.astype({c: "string" for c in df.columns if str(df[c].dtype) == "str"})


def run_duckdb(ctx, duckdb_path: Path, names: list[str]) -> list:
    """DuckDB: tables', views' and check queries' results as pandas DataFrames, one batch each."""
    import duckdb  # only when asked for: the build checks what is served, the SQLite database

    rows = []
    pandas = ctx.data_sources.add_pandas(name="duckdb")
    con = duckdb.connect(str(duckdb_path), read_only=True)
    for name in names:
        source, items = SUITES["duckdb"][name]
        definition = pandas.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe("all")
        batch = definition.get_batch(batch_parameters={"dataframe": duckdb_frame(con, name, source)})
        rows += validate(batch, f"duckdb.{name}", items)
    con.close()
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--package", type=Path, default=schemas.STAGE, help="package root holding the built tables/")
    p.add_argument("--sqlite", type=Path, default=BUILD / "managing_doctors.sqlite")
    p.add_argument("--duckdb", type=Path, default=BUILD / "managing_doctors.duckdb")
    p.add_argument("--docs", type=Path, default=BUILD / "validation")
    p.add_argument("--passed", type=Path, default=schemas.STAGE / "expectations.passed",
                   help="written when every expectation passes (the Makefile's target)")
    # What is served is the SQLite database; DuckDB is loaded from the same CSVs with the same
    # schema-made keys and constraints, and tests/test_views.py compares every table and view across both.
    p.add_argument("--engines", default="sqlite", help="comma-separated: sqlite, duckdb")
    args = p.parse_args(argv)
    engines = args.engines.split(",")
    args.passed.unlink(missing_ok=True)
    rows = run(args.sqlite if "sqlite" in engines else None, args.duckdb if "duckdb" in engines else None,
               args.docs, package=args.package)
    problems, n = failures(rows), len(rows)
    passed = args.passed
    if problems:
        for line in problems:
            print(f"error: expectation failed: {line}", file=sys.stderr)
        print(f"Great Expectations: {len(problems)} of {n} expectations failed; "
              f"report in {args.docs}/summary.html", file=sys.stderr)
        return 1
    passed.parent.mkdir(parents=True, exist_ok=True)
    passed.write_text(f"{n} expectations passed\n")  # the Makefile's target: only written on success
    print(f"Great Expectations: all {n} expectations passed on {' and '.join(engines)}; "
          f"report in {args.docs}/summary.html")
    return 0


if __name__ == "__main__":
    exit_now(main())
