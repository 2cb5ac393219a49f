"""A rule whose check cannot decide is a failure, never a pass: for every rule of checks/rules.py, a check
that raises, answers NA, answers too few values or answers numbers stops make validate and the build
with a message naming the rule."""
import dataclasses
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT
from expected import RULES as EXPECTED_RULES

from analysis import rules
from checks import validate
from core import frames

RES = frames.load_all(ROOT)
REGISTER = validate.read_register()


def raises(d):
    return d["no_such_column"] > 0  # a misspelt column: KeyError


def all_na(d):
    return pd.Series(pd.NA, index=d.index, dtype="boolean")


def one_na(d):
    out = pd.Series(True, index=d.index, dtype="boolean")
    out.iloc[-1] = pd.NA
    return out


def too_short(d):
    return pd.Series(True, index=d.index[:-1]) if len(d) > 1 else pd.Series([], dtype=bool)


def numbers(d):
    return pd.Series(1.0, index=d.index)


BREAKS = {"raises": (raises, "raised KeyError"), "all NA": (all_na, "answered NA for"),
          "one NA": (one_na, "answered NA for 1 of"), "too short": (too_short, "values for"),
          "numbers": (numbers, "answered float64 values")}


def with_broken(name, check):
    return [dataclasses.replace(r, passes=check) if r.name == name else r for r in rules.RULES]


def test_every_rule_decides_every_subject_on_the_published_tables():
    problems, report = validate.check(RES, REGISTER)
    assert problems == []
    assert [line.split(":")[0] for line in report[:-1]] == list(EXPECTED_RULES)


@pytest.mark.parametrize("broken", BREAKS)
@pytest.mark.parametrize("rule", list(EXPECTED_RULES))
def test_a_broken_check_fails_naming_its_rule(monkeypatch, rule, broken):
    check, says = BREAKS[broken]
    monkeypatch.setattr(rules, "RULES", with_broken(rule, check))
    problems, report = validate.check(RES, REGISTER, only=[rule])
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"rule {rule}: its check "), problems
    assert says in problems[0]
    assert not any(line.startswith(f"{rule}:") for line in report)  # never reported as checked


BROKEN_FIRST_RULE = """
import dataclasses, sys
from analysis import rules
rules.RULES[0] = dataclasses.replace(rules.RULES[0], passes=lambda d: d["no_such_column"] > 0)
from {module} import main
sys.exit(main({argv}))
"""


@pytest.mark.parametrize("module,argv", [("checks.validate", "['--passed', sys.argv[1] + '/register.passed']"),
                                         ("pipeline.build", "['--out', sys.argv[1]]")])
def test_make_validate_and_the_build_exit_non_zero_when_a_rule_breaks(tmp_path, module, argv):
    code = BROKEN_FIRST_RULE.format(module=module, argv=argv)
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], cwd=ROOT,
                            capture_output=True, text=True)
    name = list(EXPECTED_RULES)[0]
    assert result.returncode == 1, result.stderr
    assert f"rule {name}: its check raised KeyError" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "datapackage.json").exists()  # the build wrote nothing
    assert not (tmp_path / "out" / "register.passed").exists()  # nor make validate its stamp
