"""make bench: every benchmark of the project, bounded and on loopback, printed as one table with the
budgets they are held to. Benchmarks, not tests: nothing here fails on time.

    python -m benchmarks.run [--skip-test]
"""
from __future__ import annotations

import argparse
import os
import platform

from benchmarks import build, load, rebuild, validation, views


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.machine())
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--skip-test", action="store_true", help="leave out the make test timing")
    args = p.parse_args(argv)
    rows: list[tuple[str, str, str]] = []

    stages, phases = build.clean_build_stages()
    total = sum(s for _, s in stages)
    for name, seconds in stages:
        rows.append((f"clean build stage: {name}", f"{seconds:.2f} s ({100 * seconds / total:.0f}%)", ""))
    for name, seconds in phases.items():
        rows.append((f"  within pipeline.build: {name}", f"{seconds:.2f} s", ""))
    rows.append(("clean build, stages one after another", f"{total:.2f} s", ""))
    rows.append(("clean build to a served-ready package, everything validated (make -j2 all)",
                 f"{build.clean_make(2):.2f} s", "< 10 s"))
    rows.append(("make with nothing changed (median of 5)", f"{build.make_noop():.3f} s", "< 0.5 s"))

    sizes, slope = validation.measure()
    for cells, seconds in sizes:
        rows.append((f"validation of {cells:,} synthetic cells", f"{seconds:.3f} s", "< 10 s" if cells == 10**6 else ""))
    rows.append(("validation cost growth, fitted exponent b in cost ~ cells^b", f"{slope:.2f}", "<= 1 (linear)"))

    for name, d, s in views.measure():
        rows.append((f"view {name}: DuckDB / SQLite (median of 20)", f"{d:.2f} ms / {s:.2f} ms", ""))

    load_figures = load.measure()
    for r in load_figures["hot"]:
        b, o, x = r["bare"], r["ours"], r["proxy"]
        name = f"Datasette {r['page']}, {r['connections']} connections"
        rows.append((f"{name}: bare / ours / proxy req/s", f"{b['rps']:.0f} / {o['rps']:.0f} / {x['rps']:.0f}", ""))
        # The table page of ours computes the default facets of the metadata, which bare Datasette has not.
        rows.append((f"{name}: ours / bare", f"{o['rps'] / b['rps']:.2f}", ">= 0.90" if "JSON" in name else ""))
        rows.append((f"{name}: proxy (hot cache) / bare", f"{x['rps'] / b['rps']:.1f}", ">= 10"))
        rows.append((f"{name}: p99 bare / ours / proxy", f"{b['p99']:.1f} / {o['p99']:.1f} / {x['p99']:.1f} ms",
                     "proxy < 20 ms"))
    one, two = load_figures["adhoc"][1], load_figures["adhoc"][2]
    rows.append(("uncached ad-hoc SQL through the proxy, 16 connections: 1 / 2 Datasette processes req/s",
                 f"{one['rps']:.0f} / {two['rps']:.0f} ({two['rps'] / one['rps']:.2f})", "2 > 1"))
    failed = sum(r[k]["non2xx"] for r in load_figures["hot"] for k in ("bare", "ours", "proxy"))
    rows.append(("non-2xx answers in all those runs", f"{failed + one['non2xx'] + two['non2xx']}", "0"))
    runaway = load_figures["runaway"]
    budgets = {"canned query JSON": "ours < 200 ms, non-2xx 0", "table page (HTML)": "ours < 500 ms, non-2xx 0"}
    for page, budget in budgets.items():
        b, o = runaway["results"][("bare", page)], runaway["results"][("ours", page)]
        rows.append((f"{page}, {load.READERS} reader beside {load.RUNAWAYS} runaway queries in every spelling: "
                     f"p99 bare / ours", f"{b['p99']:.0f} / {o['p99']:.0f} ms ({b['rps']:.1f} / {o['rps']:.1f} req/s; "
                     f"timed out {b['timeouts']} / {o['timeouts']}; non-2xx ours {o['non2xx']})", budget))
    rows.append(("runaway queries' statuses, bare / ours", " / ".join(
        str(sorted(set(map(str, runaway["statuses"][s])))) for s in ("bare", "ours")), "ours < 500"))

    during = rebuild.measure()
    rows.append(("make serve-public under wrk (16 connections) during two rebuilds: requests / refused / failed",
                 f"{during['requests']} / {during['refused']} / {during['failed']} (p99 {during['p99']:.0f} ms; "
                 f"rebuilds served {' and '.join(f'{s:.1f}' for s in during['switches'])} s after publishing)",
                 "0 refused, 0 failed"))

    if not args.skip_test:
        try:
            rows.append(("make test", f"{build.make_test():.1f} s", ""))
        except Exception as e:  # report it in the table rather than lose the other figures
            rows.append(("make test", f"FAILED ({e})", ""))

    width = max(len(r[0]) for r in rows)
    print(f"benchmarks on {machine()}")
    print(f"{'measure':<{width}}  {'result':<28} budget")
    for name, result, budget in rows:
        print(f"{name:<{width}}  {result:<28} {budget}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
