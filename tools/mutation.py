"""make mutation's report: what mutmut's run killed, per package, against the mutants listed as equivalent.

    python -m tools.mutation run [--jobs 2] [--all] [--budget MINUTES] [PATTERN...]   mutmut's run (make mutation)
    python -m tools.mutation report [--docs docs/mutation.md]       the score per package, from that run
    python -m tools.mutation stale                                  are the listed mutants still there, unchanged?

mutmut (pyproject.toml, [tool.mutmut]) changes one thing at a time in analysis/, checks/, pipeline/ and the
security-relevant parts of web/ and runs the fast unit layer (tests/unit) on each change. A mutant the tests
do not kill is either killed by a new test or listed in tests/equivalent_mutants.csv with the reason it
cannot change what the package publishes or checks, and the change it makes, so that a listing goes stale
(and `stale` says so) when the code under it moves. `report` fails when a mutant survives unlisted, when a
listed one was killed, or when analysis/, checks/ or pipeline/ keep less than MINIMUM of their mutants killed.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import fnmatch
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "equivalent_mutants.csv"
MUTANTS = ROOT / "mutants"
DOCS = ROOT / "docs" / "mutation.md"
RUN = ROOT / "build" / "mutation-run.json"  # how the last run went: its duration, workers and the machine's load
MINIMUM = 0.90  # of the mutants of each package in GATED killed
GATED = ("analysis", "checks", "pipeline")
PACKAGES = ("analysis", "checks", "pipeline", "web")
KILLED = {"killed", "timeout", "segfault", "caught by type check"}  # the tests (or the type check) failed


def source_files() -> list[Path]:
    """The files mutmut mutates, as pyproject.toml's [tool.mutmut] source_paths lists them."""
    import tomllib

    paths = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["source_paths"]
    files = []
    for p in paths:
        p = ROOT / p
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return [f.relative_to(ROOT) for f in files]


def module_of(path: Path) -> str:
    return ".".join(path.with_suffix("").parts)


def package_of(mutant: str) -> str:
    return mutant.split(".")[0]


def changes(path: Path) -> dict[str, str]:
    """Every mutant mutmut makes of a file, by name, with the change it makes ('old' -> 'new', the lines
    that differ from the function's original, stripped)."""
    from mutmut.mutation.file_mutation import mutate_file_contents

    mutated = mutate_file_contents(str(path), (ROOT / path).read_text(encoding="utf-8"))
    lines = mutated.code.split("\n")

    def body(name: str) -> list[str]:
        span = mutated.line_span_by_function_name[name]
        text = [line.strip() for line in lines[span.start - 1:span.end] if line.strip()]
        return [line.replace(name, "") for line in text]  # the copies differ by name in their def lines

    out = {}
    for name in mutated.mutant_names:
        original = body(re.sub(r"__mutmut_\d+$", "__mutmut_orig", name))
        mutant = body(name)
        diff = [d for d in difflib.ndiff(original, mutant) if d[:1] in "-+"]
        old = " / ".join(d[2:] for d in diff if d[0] == "-")
        new = " / ".join(d[2:] for d in diff if d[0] == "+")
        out[f"{module_of(path)}.{name}"] = f"{old} -> {new}"
    return out


def read_equivalents() -> dict[str, dict]:
    with open(EQUIVALENTS, encoding="utf-8", newline="") as f:
        return {r["mutant"]: r for r in csv.DictReader(f)}


def stale(equivalents: dict[str, dict]) -> list[str]:
    """Listed mutants that mutmut no longer makes, or that now make another change."""
    found, out = {}, []
    for path in sorted({Path(*e.split(".x")[0].split(".")).with_suffix(".py") for e in equivalents}):
        found.update(changes(path) if (ROOT / path).exists() else {})
    for name, row in equivalents.items():
        if name not in found:
            out.append(f"{name}: listed as equivalent, but mutmut makes no such mutant")
        elif found[name] != row["change"]:
            out.append(f"{name}: listed for the change {row['change']!r}, but it now makes {found[name]!r}")
    return out


def statuses() -> dict[str, str]:
    """mutant -> mutmut's verdict, from the .meta files a run leaves under mutants/."""
    from mutmut.stats import status_by_exit_code

    out = {}
    for path in source_files():
        meta = MUTANTS / (str(path) + ".meta")
        if meta.exists():
            codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            out.update({name: status_by_exit_code[code] for name, code in codes.items()})
    return out


def summary(verdicts: dict[str, str], equivalents: dict[str, dict]) -> dict[str, Counter]:
    per: dict[str, Counter] = {p: Counter() for p in PACKAGES}
    for name, status in verdicts.items():
        c = per[package_of(name)]
        c["mutants"] += 1
        if status in KILLED:
            c["killed"] += 1
            c["timeout"] += status == "timeout"
        elif name in equivalents:
            c["equivalent"] += 1
        elif status == "not checked":
            c["not run"] += 1
        else:
            c["surviving"] += 1
    return per


def table(per: dict[str, Counter], run_record: dict | None) -> str:
    rows = ["| package | mutants | killed | equivalent (listed) | surviving | not run | killed share |",
            "|---|---|---|---|---|---|---|"]
    for p, c in per.items():
        share = f"{100 * c['killed'] / c['mutants']:.1f}%" if c["mutants"] else "–"
        rows.append(f"| {p}/ | {c['mutants']:,} | {c['killed']:,} | {c['equivalent']:,} | {c['surviving']:,} | "
                    f"{c['not run']:,} | {share} |")
    total = sum(per.values(), Counter())
    rows.append(f"| all | {total['mutants']:,} | {total['killed']:,} | {total['equivalent']:,} | "
                f"{total['surviving']:,} | {total['not run']:,} | {100 * total['killed'] / max(total['mutants'], 1):.1f}% |")
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    state = "complete" if not total["not run"] else f"interrupted before {total['not run']:,} mutants were run"
    if total["timeout"]:  # a mutant that hangs the tests is caught; on a loaded machine a slow run looks alike
        state += f"; {total['timeout']:,} of the killed ran past mutmut's time limit rather than failing a test"
    rows.append(f"\nReported at commit {commit.strip() or 'unknown'}: the run was {state}"
                + (f", {how_it_ran(run_record)}." if run_record else "."))
    return "\n".join(rows)


def how_it_ran(r: dict) -> str:
    return (f"{r['seconds'] / 60:.1f} minutes with {r['jobs']} worker{'s' if r['jobs'] > 1 else ''} on "
            f"{r['cores']} cores, the load average (1 minute) {r['load_mean']:.1f} on average and "
            f"{r['load_max']:.1f} at most (the run's own workers included)")


def write_docs(text: str, docs: Path) -> None:
    """The generated table between the markers of docs/mutation.md."""
    page = docs.read_text(encoding="utf-8")
    begin, end = "<!-- mutation-score:begin -->", "<!-- mutation-score:end -->"
    head, rest = page.split(begin)
    _, tail = rest.split(end)
    docs.write_text(f"{head}{begin}\n\n{text}\n\n{end}{tail}", encoding="utf-8")


def problems(verdicts: dict[str, str], equivalents: dict[str, dict], per: dict[str, Counter]) -> list[str]:
    out = []
    listed_changes = {}
    for name, status in sorted(verdicts.items()):
        if status in KILLED and name in equivalents:
            out.append(f"{name} is listed as equivalent but the tests kill it: remove it from {EQUIVALENTS.name}")
        elif status == "not checked" and name not in equivalents:
            continue  # counted below
        elif status not in KILLED and name not in equivalents:
            if not listed_changes:
                for path in sorted({Path(*n.split(".x")[0].split(".")).with_suffix(".py") for n, s in verdicts.items()
                                    if s not in KILLED and n not in equivalents}):
                    listed_changes.update(changes(path))
            out.append(f"{name} ({status}): {listed_changes.get(name, '?')}")
    unrun = sum(c["not run"] for c in per.values())
    if unrun:
        out.append(f"{unrun} mutants were not run (an interrupted run): run make mutation to the end")
    for p in GATED:
        c = per[p]
        if c["mutants"] and c["killed"] < MINIMUM * c["mutants"]:
            out.append(f"{p}/: {c['killed']} of {c['mutants']} mutants killed, fewer than {MINIMUM:.0%}")
    return out


def run(jobs: int, patterns: list[str], everything: bool, budget: float | None = None) -> None:
    """mutmut run, leaving out the mutants listed as equivalent (each would cost the whole unit layer, for a
    verdict already given) unless `everything`; PATTERN limits the run to matching mutants (analysis.rules.*).
    mutmut 3.8 has no option to leave mutants out, so its collection step is wrapped (the version is pinned)."""
    from mutmut import __main__ as mutmut

    listed = set(read_equivalents())
    collect = mutmut.collect_source_file_mutation_data

    def without_listed(*, mutant_names):
        mutants, by_path = collect(mutant_names=())
        keep = [m for m in mutants if (everything or m[1] not in listed)
                and (not patterns or any(fnmatch.fnmatch(m[1], p) for p in patterns))]
        if patterns:  # named mutants are tested again, whatever an earlier run found
            for data, name, _ in keep:
                data.exit_code_by_key[name] = None
            keep = [(data, name, None) for data, name, _ in keep]
        return keep, by_path

    mutmut.collect_source_file_mutation_data = without_listed
    import os

    # Each mutant's pytest would otherwise look up every installed plugin's entry point again (the unit layer
    # uses none of them): a few hundredths of a second, times twelve thousand mutants.
    os.environ.setdefault("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    import threading
    import time

    loads, start, stop = [], time.monotonic(), threading.Event()

    def sample():  # the machine's load while the run lasts, for the report: timings mean little without it
        while not stop.wait(10):
            loads.append(os.getloadavg()[0])

    threading.Thread(target=sample, daemon=True).start()
    if budget:  # stopped as Ctrl-C stops it: mutmut keeps what it found, and the report counts what was not run
        import signal

        timer = threading.Timer(budget * 60, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.daemon = True
        timer.start()
    try:
        mutmut._run((), jobs)
    except KeyboardInterrupt:  # before mutmut's own loop began (it catches its own): nothing more was run
        print("stopped before the mutants were run", file=sys.stderr)
    finally:
        stop.set()
        loads.append(os.getloadavg()[0])
        RUN.parent.mkdir(exist_ok=True)
        RUN.write_text(json.dumps({"seconds": round(time.monotonic() - start), "jobs": jobs,
                                   "cores": os.cpu_count(), "patterns": patterns,
                                   "load_mean": sum(loads) / len(loads), "load_max": max(loads)}) + "\n")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("command", choices=["run", "report", "stale"])
    p.add_argument("patterns", nargs="*", help="run, report: only the mutants matching these (analysis.rules.*)")
    p.add_argument("--jobs", type=int, default=2, help="run: mutants tested at once")
    p.add_argument("--all", action="store_true", help="run: the listed equivalents too (do they still survive?)")
    p.add_argument("--budget", type=float, help="run: stop after this many minutes (the report says what was not run)")
    p.add_argument("--docs", type=Path, help="write the table into this page's generated section")
    args = p.parse_intermixed_args(argv)
    if args.command == "run":
        run(args.jobs, args.patterns, args.all, args.budget)
        return 0
    equivalents = read_equivalents()
    if args.command == "stale":
        found = stale(equivalents)
        for line in found:
            print(f"error: {line}", file=sys.stderr)
        return 1 if found else 0
    verdicts = {k: v for k, v in statuses().items()
                if not args.patterns or any(fnmatch.fnmatch(k, p) for p in args.patterns)}
    if not verdicts:
        print("error: no mutmut results under mutants/: run make mutation", file=sys.stderr)
        return 1
    per = summary(verdicts, equivalents)
    record = json.loads(RUN.read_text(encoding="utf-8")) if RUN.exists() else None
    text = table(per, record if record and not record["patterns"] and not args.patterns else None)
    print(text)
    if args.docs:
        write_docs(text, args.docs)
    found = problems(verdicts, equivalents, per)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
