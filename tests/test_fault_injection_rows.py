"""Fault injection, one row at a time: a dropped or duplicated row of survey_results is always caught
(the oracle and what counts as detected: tests/corruptions.py)."""
import pandas as pd
import pytest
from corruptions import SETTINGS, SR, detected, require_readme_states
from hypothesis import given
from hypothesis import strategies as st


@SETTINGS
@given(i=st.integers(0, len(SR) - 1))
def test_a_dropped_row_is_always_caught(i):
    assert detected(SR.drop(index=i), SR.loc[i, "item_id"])


@SETTINGS
@given(i=st.integers(0, len(SR) - 1))
def test_a_duplicated_row_is_always_caught(i):
    assert detected(pd.concat([SR, SR.iloc[[i]]], ignore_index=True), SR.loc[i, "item_id"], row=len(SR) + 2)


@pytest.mark.parametrize("kind", ['cells_swapped', 'row_shifted', 'wrong_digit_overall', 'wrong_digit_2002'])
def test_the_share_of_well_formed_typing_errors_refused_is_what_the_readme_states(kind):
    require_readme_states(kind)
