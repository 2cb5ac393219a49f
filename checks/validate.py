"""make validate: check the built package with pandera and against the register of discrepancies.

    python -m checks.validate [--root DIR] [--inputs DIR] [--passed PATH]

Checks the staged build (build/stage/) unless --root names another package root, against the register of
--inputs (transcription/). Fails (exit 1) when a resource breaks its schema-derived pandera model, when a
derived resource is stale, when a discrepancy is not in the register (transcription/curation/discrepancies.csv),
or when a register entry no longer occurs or its explanation no longer reproduces the figure; --passed
(build/stage/register.passed) is written only when none of that happens. Each
finding names where the figures it rests on were typed (file, row, column, cell), as the transcription
reader found them.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from pandera.errors import SchemaErrors

from analysis import explanations, rules
from analysis.failures import FiguresError
from checks import models
from core import frames, schemas
from core.stage import exit_now
from pipeline import transcription
from pipeline.derive import DERIVED, derived_frames, records

INPUTS = schemas.ROOT / transcription.FOLDER


def read_register(inputs: Path = INPUTS) -> dict[str, str]:
    register = pd.read_csv(inputs / "curation" / "discrepancies.csv", dtype="string", keep_default_na=False)
    return dict(zip(register.discrepancy_id, register.explanation_class))


def read_sources(inputs: Path = INPUTS) -> dict[tuple, transcription.Source]:
    """Where each printed figure was typed, as the transcription reader finds it; none where the inputs
    cannot be read (the build, which reads them first, says why)."""
    try:
        return transcription.sources(transcription.read(inputs))
    except (OSError, ValueError, KeyError, transcription.TranscriptionError):
        return {}


def problems(root: Path, inputs: Path = INPUTS) -> tuple[list[str], list[str]]:
    """(problems, report lines) of the package built under root, from the inputs under inputs."""
    try:
        res = frames.load_all(root)
    except FileNotFoundError as e:
        return [f"{e.filename} is missing: run make"], []
    out, report = [], []
    try:
        fresh = derived_frames(res)
    except FiguresError as e:
        return [transcription.refusal(e, read_sources(inputs))], []
    for name in DERIVED:
        path = root / schemas.resource(name)["path"]
        if schemas.to_csv(name, records(fresh[name], name)) != path.read_bytes():
            out.append(f"{schemas.resource(name)['path']} is stale: it differs from the figures recomputed "
                       "from survey_results (run make)")
    found, report = check(res, read_register(inputs), sources=read_sources(inputs))
    return out + found, report


def typed_at(rule: rules.Rule, row: pd.Series, res: dict, sources: dict) -> str:
    """' Typed at <file, row, column, cell>' for the printed figures a finding rests on, or ''."""
    found = [sources[k] for k in rule.rests_on(row, res) if k in sources]
    return f" Typed at {transcription.cite(found)}." if found else ""


def check(res: dict[str, pd.DataFrame], registered: dict[str, str],
          only: list[str] | None = None, sources: dict | None = None) -> tuple[list[str], list[str]]:
    """(problems, report lines) of resources in memory against the register {id: explanation class};
    `only` limits the run to some rules (and the register to their entries); `sources` (see
    pipeline.transcription.sources) lets each finding name where its figures were typed."""
    sources = sources or {}
    out, report = [], []
    chosen = [r for r in rules.RULES if only is None or r.name in only]
    registered = {k: v for k, v in registered.items() if k.split(":")[0] in {r.name for r in chosen}}
    for name, df in res.items():
        try:
            models.pandera_schema(name, res).validate(df, lazy=True)
        except SchemaErrors as e:
            for _, f in e.failure_cases.head(10).iterrows():
                row = "" if pd.isna(f["index"]) else f", row {int(f['index']) + 2}"
                out.append(f"{schemas.resource(name)['path']}{row}, column {f['column']!r}, "
                           f"value {f['failure_case']!r}: fails {f['check']}")
    seen, broken, checked_by = set(), set(), {}
    for rule in chosen:
        try:
            frame, failing = checked_by[rule.name] = rules.run(rule, res)
        except rules.RuleError as e:
            out.append(f"{e}")
            broken.add(rule.name)
            continue
        except Exception as e:  # e.g. a duplicated row breaks a one-to-one join: a finding, not a crash
            out.append(f"rule {rule.name} cannot run on these tables: {e}")
            broken.add(rule.name)
            continue
        report.append(f"{rule.name}: {len(frame)} checked, {len(failing)} not reconciling")
        for _, row in failing.iterrows():
            did = row["discrepancy_id"]
            seen.add(did)
            if did not in registered:
                out.append(f"unregistered discrepancy {did}: printed {row['printed']}; recomputed "
                           f"{row['recomputed']}.{typed_at(rule, row, res, sources)} Correct what was mistyped, "
                           "or explain it in transcription/curation/discrepancies.csv")
            elif not explanations.EXPLAINERS[registered[did]](row, frame):
                where = typed_at(rule, row, res, sources)
                out.append(f"register entry {did}: its explanation {registered[did]!r} no longer reproduces "
                           f"the printed {row['printed']}{'.' + where if where else ''}")
    for did in sorted(d for d in set(registered) - seen if d.split(":")[0] not in broken):
        rule = next(r for r in chosen if r.name == did.split(":")[0])
        now = checked_by[rule.name][0]
        now = now[now.discrepancy_id == did]
        where = typed_at(rule, now.iloc[0], res, sources) if len(now) else ""
        out.append(f"register entry {did} no longer occurs: remove it from transcription/curation/discrepancies.csv"
                   f"{',' if where else ''}{where[:-1].replace(' Typed at', ' or restore what was typed at')}"
                   f"{'.' if where else ''}")
    checked = sum(int(line.split(": ")[1].split()[0]) for line in report)
    report.append(f"{len(chosen)} rules checked {checked} cells, items and figures; {len(seen)} do not reconcile; "
                  f"the register has {len(registered)} entries")
    return out, report


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=schemas.STAGE, help="the built package (default: the staged build)")
    p.add_argument("--inputs", type=Path, default=INPUTS, help="the hand-typed inputs it was built from")
    p.add_argument("--passed", type=Path, default=schemas.STAGE / "register.passed",
                   help="written when every check passes (the Makefile's target)")
    p.add_argument("-v", "--verbose", action="store_true", help="one line per rule")
    args = p.parse_args(argv)
    args.passed.unlink(missing_ok=True)
    found, report = problems(args.root, args.inputs)
    for line in report if args.verbose else report[-1:]:
        print(f"pandera: {line}" if not args.verbose else line)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    if not found:
        args.passed.parent.mkdir(parents=True, exist_ok=True)
        args.passed.write_text(f"{report[-1]}\n", encoding="utf-8")
    return 1 if found else 0


if __name__ == "__main__":
    exit_now(main())
