"""Benchmark: validation time of synthetic results tables of 10^3 to 10^6 cells built like the real one.

    python -m benchmarks.validation [--max-cells N]

Each synthetic item has the real table's shape: a cell for each role group with the real column n
(read from role_groups), a random number of missing answers and a count, each percentage rounded half
up from them, and an overall cell. Times the schema-derived pandera model of survey_results, the derived figures and
the cell-level rules, then fits cost = a * cells^b: b close to 1 means linear growth.
"""
from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import pandas as pd

from analysis import arithmetic as ar
from analysis import derived, rules
from checks import models
from core import frames, schemas
from core.types import engine_type

# The role groups' respondents (the column n of the printed tables), read from the dimension resource.
_ROLE_GROUPS = frames.read("role_groups", schemas.ROOT / schemas.resource("role_groups")["path"])
GROUP_N = dict(_ROLE_GROUPS.set_index("role_group").loc[derived.groups(_ROLE_GROUPS), "respondents"].astype(int))
OVERALL_N = int(_ROLE_GROUPS.set_index("role_group").loc[derived.OVERALL, "respondents"])
CELL_RULES = [r for r in rules.RULES if r.name in
              ("cells_complete", "count_reconciles", "overall_reconciles", "overall_within_group_range")]


def synthetic(items: int, seed: int = 2015) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = np.tile(np.array(list(GROUP_N.values())), items)
    d = n - rng.integers(0, 9, size=n.size)
    c = rng.integers(0, d + 1)
    p = ar.round_half_up(c, d)
    ids = np.repeat(np.char.add("item_", np.arange(items).astype(str)), len(GROUP_N))
    groups = pd.DataFrame({"table_id": "T2.2", "item_id": ids, "survey_year": 2015,
                           "role_group": np.tile(list(GROUP_N), items), "percent": p, "count": c, "group_n": n})
    overall = pd.DataFrame({"table_id": "T2.2", "item_id": ids[::len(GROUP_N)], "survey_year": 2015,
                            "role_group": derived.OVERALL,
                            "percent": ar.round_half_up(c.reshape(-1, len(GROUP_N)).sum(1),
                                                        d.reshape(-1, len(GROUP_N)).sum(1)),
                            "count": pd.NA, "group_n": OVERALL_N})
    results = pd.concat([groups, overall], ignore_index=True)
    order = results.item_id.str.removeprefix("item_").astype(int) + 1
    # The columns a printed table cell carries besides its figures, filled as a table cell's would be.
    results = results.assign(item_order=order, table_row=order, item_wording="A synthetic statement",
                             wave_label="2015 survey", role_group_label=results.role_group, printed_in="table",
                             compares_as="same", derived_percent_on_item_wording=results.percent,
                             cell_text=results.percent.astype(str) + "%")
    # Every field of survey_results, in its order and with its schema's type (core/types.py).
    results = pd.DataFrame({f["name"]: results.get(f["name"], pd.Series(pd.NA, index=results.index))
                            .astype(engine_type(f["type"], "pandas")) for f in schemas.fields("survey_results")})
    items_df = pd.DataFrame({"item_id": ids[::len(GROUP_N)], "table_id": "T2.2"}).astype("string")
    return {"survey_results": results, "items": items_df}


def validate_once(res: dict[str, pd.DataFrame]) -> float:
    start = time.perf_counter()
    models.pandera_schema("survey_results").validate(res["survey_results"], lazy=True)
    res["cell_denominators"] = derived.cell_denominators(res["survey_results"])
    res["overall_bases"] = derived.overall_bases(res["survey_results"], res["cell_denominators"], OVERALL_N)
    res["role_groups"] = pd.DataFrame({"role_group": [derived.OVERALL], "respondents": [OVERALL_N]})
    for rule in CELL_RULES:
        rules.run(rule, res)
    return time.perf_counter() - start


def measure(max_cells: int = 10**6) -> tuple[list[tuple[int, float]], float]:
    """[(cells, seconds)] and the fitted exponent b of cost = a * cells^b over the three largest sizes."""
    sizes = [s for s in (10**3, 10**4, 10**5, 10**6) if s <= max_cells]
    validate_once(synthetic(200))  # warm-up: imports and pandera's first model build
    rows = []
    for cells in sizes:
        res = synthetic(cells // 5)
        best = min(validate_once(dict(res)) for _ in range(3 if cells < 10**6 else 1))
        rows.append((len(res["survey_results"]), best))
    x, y = np.log([r[0] for r in rows]), np.log([r[1] for r in rows])
    slope = float(np.polyfit(x[-3:], y[-3:], 1)[0]) if len(rows) >= 3 else float("nan")
    return rows, slope


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--max-cells", type=int, default=10**6)
    args = p.parse_args(argv)
    rows, slope = measure(args.max_cells)
    print(f"validation benchmark on {platform.machine()}, {platform.python_version()}, "
          f"pandas {pd.__version__}")
    print(f"{'cells':>10} {'seconds':>9} {'µs/cell':>8}")
    for cells, secs in rows:
        print(f"{cells:>10,} {secs:>9.3f} {secs / cells * 1e6:>8.2f}")
    print(f"fitted growth over the three largest sizes: cost ~ cells^{slope:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
