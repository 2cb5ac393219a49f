"""The derived values of ten cells, worked by hand (tests/fixtures/derived_by_hand.csv), against the build."""
import csv

import pandas as pd
import pytest
from package_frames import ROOT, published

from analysis import derived

with open(ROOT / "tests/fixtures/derived_by_hand.csv", encoding="utf-8", newline="") as f:
    HAND = list(csv.DictReader(f))


def blank(value) -> str:
    return "" if pd.isna(value) else str(int(value))


@pytest.mark.parametrize("hand", HAND, ids=[f"{h['item_id']}-{h['role_group']}" for h in HAND])
def test_cell_denominators_as_worked_by_hand(hand):
    cells = derived.cell_denominators(published("survey_results")).set_index(["item_id", "role_group"])
    r = cells.loc[(hand["item_id"], hand["role_group"])]
    assert (r.table_id, str(r.percent), str(r["count"]), str(r.group_n)) == (
        hand["table_id"], hand["percent"], hand["count"], hand["group_n"])
    assert [blank(r.derived_denominator_min), blank(r.derived_denominator_max), blank(r.derived_missing_min),
            blank(r.derived_missing_max), blank(r.derived_count_at_n)] == [
        hand["denominator_min"], hand["denominator_max"], hand["missing_min"], hand["missing_max"],
        hand["count_at_n"]], hand["working"]
    assert bool(r.derived_reconciles) == bool(hand["denominator_min"])
