"""Fault injection, one cell at a time: a percentage or count moved, counts swapped between role groups, a role
group renamed, and the report's named corruptions (the oracle and what it cannot see: tests/corruptions.py)."""
import pytest
from corruptions import (
    ARITHMETIC,
    GROUP_CELLS,
    KINDS,
    NEEDED,
    REGISTER,
    RES,
    ROLES,
    SETTINGS,
    SR,
    consistent,
    detected,
    readme_rows,
    require_readme_states,
)
from hypothesis import given
from hypothesis import strategies as st

from analysis import rules
from checks import validate


def test_the_clean_table_is_not_flagged():
    problems, _ = validate.check({**{k: RES[k] for k in NEEDED}, "cell_denominators": RES["cell_denominators"],
                                  "overall_bases": RES["overall_bases"]}, REGISTER, only=ARITHMETIC)
    assert problems == []
    assert [r.name for r in rules.RULES if r.name != "significance_reproduces"] == ARITHMETIC


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


@pytest.mark.parametrize("kind", ['wrong_digit_percent', 'wrong_digit_count', 'transposed_digits', 'count_from_next_column'])
def test_the_share_of_well_formed_typing_errors_refused_is_what_the_readme_states(kind):
    require_readme_states(kind)


def test_the_readme_states_each_kind_once_and_no_other():
    rows = readme_rows()
    assert sorted(row.split(" | ")[0].removeprefix("| ") for row in rows) == sorted(d for d, _ in KINDS.values())
