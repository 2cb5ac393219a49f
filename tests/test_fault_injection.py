"""Fault injection: corrupt one cell (or row) of survey_results at a time and show that the checks catch
every corruption that breaks arithmetic consistency.

The oracle is a brute-force loop, independent of the vectorised checks: a 2015 group cell is consistent
when some whole denominator d, count <= d <= n, makes 100*count/d round (half up) to the percentage.

What arithmetic cannot detect, and why:
- a percent or count moved to another pair that some denominator still reproduces (for example a count
  moved by one where several missing answers are possible): the printed numbers stay mutually
  consistent, so only the original print could tell;
- counts swapped between two role groups whose n and percentages happen to allow both counts;
- the 2002 rows print no counts and no n, so a moved 2002 percentage is caught only if it leaves the
  range of the groups (overall_within_group_range).
Cells already in the register are not corrupted here: their printed numbers are inconsistent to begin with.
Dropped, duplicated and renamed rows break structure, not just arithmetic, and must always be caught.
"""
from fractions import Fraction
from math import floor

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import derived, labels, rules
from checks import validate
from core import frames

RES = frames.load_all(ROOT)
REGISTER = validate.read_register(ROOT)
NEEDED = ["survey_results", "items", "role_groups", "text_figures", "role_profile", "interview_participants",
          "wave_2002", "claims"]
SR = RES["survey_results"]
REGISTERED_CELLS = {tuple(k.split(":")[2:4]) for k in REGISTER if k.startswith("count_reconciles:")}
GROUP_CELLS = [i for i, r in SR.iterrows() if r.survey_year == 2015 and r.role_group != "all_respondents"
               and (r.item_id, r.role_group) not in REGISTERED_CELLS]
# Every rule but the significance tests, which rest on the same counts and take seconds to rerun.
ARITHMETIC = [r.name for r in rules.RULES if r.name != "significance_reproduces"]
ROLES = ["chief_executive", "medical_director", "directorate_manager", "clinical_director"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def consistent(count, percent, n) -> bool:
    if not (0 <= percent <= 100 and 0 <= count <= n):
        return False
    return any(floor(Fraction(100 * count, d) + Fraction(1, 2)) == percent for d in range(max(count, 1), n + 1))


def detected(results, item_id: str, row: int | None = None) -> bool:
    """Caught only when validation names the corrupted item (or, for a row-level corruption, its row of
    tables/survey_results.csv): a crash or an unrelated complaint does not count."""
    res = {k: RES[k] for k in NEEDED}
    res["survey_results"] = results.reset_index(drop=True)
    try:
        cells = derived.cell_denominators(res["survey_results"])
        bases = derived.overall_bases(res["survey_results"], cells, 472)
        # labelled as the build labels them, so that only the corruption can fail the schema checks
        res["cell_denominators"] = labels.attach("cell_denominators", cells, RES)
        res["overall_bases"] = labels.attach("overall_bases", bases, RES)
    except Exception as e:
        problems = [f"{type(e).__name__}: {e}"]
    else:
        problems, _ = validate.check(res, REGISTER, only=ARITHMETIC)
    where = [item_id] + ([f"row {row}, "] if row is not None else [])
    return any(w in p for p in problems for w in where)


def test_the_clean_table_is_not_flagged():
    problems, _ = validate.check({**{k: RES[k] for k in NEEDED}, "cell_denominators": RES["cell_denominators"],
                                  "overall_bases": RES["overall_bases"]}, REGISTER, only=ARITHMETIC)
    assert problems == []
    assert len(ARITHMETIC) == len(rules.RULES) - 1


@SETTINGS
@given(i=st.sampled_from(GROUP_CELLS), column=st.sampled_from(["percent", "count"]),
       delta=st.integers(1, 20), sign=st.sampled_from([-1, 1]))
def test_a_percent_or_count_moved_by_1_to_20_is_caught_when_it_breaks_arithmetic(i, column, delta, sign):
    bad = SR.copy()
    bad.loc[i, column] = bad.loc[i, column] + sign * delta
    r = bad.loc[i]
    if not consistent(int(r["count"]), int(r.percent), int(r.group_n)):
        assert detected(bad, r.item_id, row=i + 2), f"{r.item_id} {r.role_group}: {r.percent}% ({r['count']}) of n={r.group_n}"


@SETTINGS
@given(i=st.sampled_from(GROUP_CELLS), other=st.sampled_from(ROLES))
def test_counts_swapped_between_role_groups_are_caught_when_they_break_arithmetic(i, other):
    bad = SR.copy()
    r = bad.loc[i]
    j = bad.index[(bad.item_id == r.item_id) & (bad.survey_year == 2015) & (bad.role_group == other)][0]
    bad.loc[i, "count"], bad.loc[j, "count"] = bad.loc[j, "count"], bad.loc[i, "count"]
    a, b = bad.loc[i], bad.loc[j]
    if not (consistent(int(a["count"]), int(a.percent), int(a.group_n))
            and consistent(int(b["count"]), int(b.percent), int(b.group_n))):
        assert detected(bad, r.item_id, row=i + 2) or detected(bad, r.item_id, row=j + 2)


@SETTINGS
@given(i=st.integers(0, len(SR) - 1))
def test_a_dropped_row_is_always_caught(i):
    assert detected(SR.drop(index=i), SR.loc[i, "item_id"])


@SETTINGS
@given(i=st.integers(0, len(SR) - 1))
def test_a_duplicated_row_is_always_caught(i):
    import pandas as pd
    assert detected(pd.concat([SR, SR.iloc[[i]]], ignore_index=True), SR.loc[i, "item_id"], row=len(SR) + 2)


@SETTINGS
@given(i=st.integers(0, len(SR) - 1), to=st.sampled_from(ROLES + ["all_respondents", "nurse_director"]))
def test_a_renamed_role_group_is_always_caught(i, to):
    bad = SR.copy()
    if bad.loc[i, "role_group"] == to:
        to = "nurse_director"
    bad.loc[i, "role_group"] = to
    assert detected(bad, bad.loc[i, "item_id"], row=i + 2)


@pytest.mark.parametrize("item_id,role_group,count", [
    ("positive_rating_local_relationships", "chief_executive", 43),   # 43/58..59 = 72.9-74.1%: not 72
    ("relative_power_about_right", "clinical_director", 80),          # 80/150 = 53.3%: no d up to 150 gives 44%
])
def test_named_corruptions_from_the_report_are_caught(item_id, role_group, count):
    bad = SR.copy()
    i = bad.index[(bad.item_id == item_id) & (bad.role_group == role_group) & (bad.survey_year == 2015)][0]
    bad.loc[i, "count"] = count
    assert not consistent(count, int(bad.loc[i, "percent"]), int(bad.loc[i, "group_n"]))
    assert detected(bad, item_id)
    assert not detected(SR.copy(), item_id)
