"""A rule whose check cannot decide stops the run with a message naming the rule and what went wrong, never a pass
(tests/test_broken_rules.py does it for every rule through make validate and the build)."""
import dataclasses

import pandas as pd
import pytest
from package_frames import published_all

from analysis import rules


def broken(check):
    rule = next(r for r in rules.RULES if r.name == "respondents_add_up")
    return dataclasses.replace(rule, passes=check)


@pytest.mark.parametrize("check,message", [
    (lambda d: d["nope"] > 0, "rule respondents_add_up: its check raised KeyError: 'nope'"),
    (lambda d: [True], "rule respondents_add_up: its check answered a list, not a Series"),
    (lambda d: pd.Series([True, True]), "rule respondents_add_up: its check answered 2 values for 1 subjects"),
    (lambda d: pd.Series([True], index=[5]), "rule respondents_add_up: its check answered 1 values for 1 subjects"),
    (lambda d: pd.Series([pd.NA], dtype="boolean"),
     "rule respondents_add_up: its check answered NA for 1 of 1 subjects, first ['respondents_add_up:::"
     "all_respondents:2015']"),
    (lambda d: pd.Series([1.0]), "rule respondents_add_up: its check answered float64 values, not true/false"),
])
def test_a_check_that_cannot_decide(check, message):
    with pytest.raises(rules.RuleError) as e:
        rules.run(broken(check), published_all())
    assert str(e.value) == message


def test_a_check_that_decides():
    frame, failing = rules.run(broken(lambda d: pd.Series([False], dtype="boolean")), published_all())
    assert len(frame) == 1 and failing.discrepancy_id.tolist() == ["respondents_add_up:::all_respondents:2015"]
    assert frame.rule.tolist() == ["respondents_add_up"]
    frame, failing = rules.run(broken(lambda d: d.parts == d.whole), published_all())
    assert failing.empty


def test_discrepancy_ids_name_rule_table_subject_group_and_year():
    d = rules.keyed(pd.DataFrame({"claim_id": ["c", None, None], "figure_id": [None, "f", None],
                                  "item_id": ["i", "i", "i"], "table_id": ["T2.1", None, "T2.2"],
                                  "role_group": [None, "g", None], "survey_year": [2015, None, 2002]}))
    assert rules.discrepancy_ids(d, "r").tolist() == ["r:T2.1:c::2015", "r::f:g:", "r:T2.2:i::2002"]
    assert str(d.survey_year.dtype) == "Int64" and str(d.role_group.dtype) == "string"


def test_make_validate_names_a_rule_that_cannot_decide_and_keeps_its_register_entries(monkeypatch):
    from checks import validate

    monkeypatch.setattr(rules, "RULES", [broken(lambda d: [True]) if r.name == "respondents_add_up" else r
                                         for r in rules.RULES])
    registered = {"respondents_add_up:::all_respondents:2015": "count_off_by_one"}  # not "no longer occurs"
    problems, report = validate.check(published_all(), registered, only=["respondents_add_up", "cells_complete"])
    assert problems == ["rule respondents_add_up: its check answered a list, not a Series"]
    assert report == ["cells_complete: 73 checked, 0 not reconciling",
                      "2 rules checked 73 cells, items and figures; 0 do not reconcile; the register has 1 entries"]
