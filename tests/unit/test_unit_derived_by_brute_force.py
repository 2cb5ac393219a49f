"""Every derived column of cell_denominators, overall_bases and items recomputed here by another method: every
whole denominator tried with exact fractions, rounding half up by hand, positions counted in the printed tables.
The code's own closed forms (analysis/arithmetic.py) are not used."""
import csv
from fractions import Fraction
from math import floor

import pandas as pd
from oracles import half_up
from package_frames import ROOT, published, transcription

from analysis import derived
from pipeline import tidy


def half_even(x: Fraction) -> int:
    return round(x)  # Python rounds a Fraction half to even


def one_decimal(x: Fraction) -> float:
    return half_up(x * 10) / 10


def feasible(count: int, percent: int, n: int) -> list[int]:
    return [d for d in range(max(count, 1), n + 1) if half_up(Fraction(100 * count, d)) == percent]


def test_cell_denominators_by_trying_every_denominator():
    cells = derived.cell_denominators(published("survey_results"))
    assert len(cells) == 272
    for r in cells.itertuples():
        ds = feasible(int(r.count), int(r.percent), int(r.group_n))
        where = f"cell_denominators {r.item_id} {r.role_group}: {r.percent}% ({r.count}) of n={r.group_n}"
        assert bool(r.derived_reconciles) == bool(ds), where
        if ds:  # the smallest and the largest whole d, from their own ends
            assert (r.derived_denominator_min, r.derived_denominator_max) == (min(ds), max(ds)), where
            assert (r.derived_missing_min, r.derived_missing_max) == (r.group_n - max(ds), r.group_n - min(ds)), where
        else:
            assert pd.isna(r.derived_denominator_min) and pd.isna(r.derived_denominator_max), where
            assert pd.isna(r.derived_missing_min) and pd.isna(r.derived_missing_max), where
        assert r.derived_count_at_n == half_up(Fraction(int(r.percent) * int(r.group_n), 100)), where


def test_count_at_n_rounds_half_up_where_truncation_and_half_even_differ():
    cells = derived.cell_denominators(published("survey_results"))
    exact = {(r.item_id, r.role_group): Fraction(int(r.percent) * int(r.group_n), 100) for r in cells.itertuples()}
    got = {(r.item_id, r.role_group): int(r.derived_count_at_n) for r in cells.itertuples()}
    truncation_differs = [k for k, x in exact.items() if floor(x) != half_up(x)]
    half_even_differs = [k for k, x in exact.items() if half_even(x) != half_up(x)]
    assert len(truncation_differs) == 132  # the cells a truncating bug changes
    # 19% of 150 clinical directors is 28.5: half up 29, half to even 28 (20 such cells, all of n=150)
    assert len(half_even_differs) == 20
    for k in truncation_differs + half_even_differs:
        assert got[k] == half_up(exact[k]), f"cell_denominators {k}: {exact[k]} at n"


def test_overall_bases_by_adding_the_groups_and_trying_every_base():
    cells = published("cell_denominators")
    bases = derived.overall_bases(published("survey_results"), cells, 472)
    results = published("survey_results")
    overall = results[(results.survey_year == 2015) & (results.role_group == "all_respondents")]
    assert len(bases) == len(overall) == 68
    for b in bases.itertuples():
        group = cells[cells.item_id == b.item_id]
        assert len(group) == 4, b.item_id
        count = sum(int(c) for c in group["count"])
        lo = sum(int(c.derived_denominator_min) if pd.notna(c.derived_denominator_min) else int(c.count)
                 for c in group.itertuples())
        hi = sum(int(c.derived_denominator_max) if pd.notna(c.derived_denominator_max) else int(c.group_n)
                 for c in group.itertuples())
        where = f"overall_bases {b.item_id}: overall {b.percent}%"
        assert (b.derived_count_sum, b.derived_denominator_sum_min, b.derived_denominator_sum_max) == (count, lo, hi), where
        assert b.derived_percent_over_answered_min == one_decimal(Fraction(100 * count, hi)), where
        assert b.derived_percent_over_answered_max == one_decimal(Fraction(100 * count, lo)), where
        assert b.derived_percent_over_all == one_decimal(Fraction(100 * count, 472)), where
        answered = any(half_up(Fraction(100 * count, d)) == b.percent for d in range(lo, hi + 1))
        everyone = half_up(Fraction(100 * count, 472)) == b.percent
        assert (bool(b.derived_answered_reproduces), bool(b.derived_all_respondents_reproduces)) == (answered, everyone)
        expected = {(True, True): "either", (True, False): "answered", (False, True): "all_respondents",
                    (False, False): "neither"}[(answered, everyone)]
        assert b.derived_base == expected, where


def test_items_row_number_counts_within_each_printed_table():
    rows = tidy.items(transcription())
    for number in ["2.1", "2.5", "2.8", "2.11"]:
        with open(ROOT / f"transcription/printed/table_{number}.csv", encoding="utf-8", newline="") as f:
            labels = [line[0] for line in list(csv.reader(f))[1:] if line[0] != "2002 figures"]
        mine = [r for r in rows if r["table_id"] == f"T{number}"]
        assert [r["row_number"] for r in mine] == list(range(1, len(labels) + 1)), number
        assert [r["row_label"] for r in mine] == [label.removesuffix(" †") for label in labels], number
    assert [r["item_order"] for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == 68


def test_a_2015_cell_without_its_count_is_named():
    import pytest

    results = published("survey_results")
    i = results.index[(results.item_id == "relative_power_about_right") & (results.survey_year == 2015)
                      & (results.role_group == "medical_director")][0]
    for column in ["count", "group_n", "percent"]:
        bad = results.copy()
        bad.loc[i, column] = pd.NA
        bad.loc[i + 1, "count"] = pd.NA  # a second such cell, counted
        with pytest.raises(ValueError) as e:
            derived.cell_denominators(bad)
        assert str(e.value) == (f"tables/survey_results.csv, row {i + 2}: the 2015 cell of relative_power_about_right "
                                "for medical_director has no count, n or percentage (2 such cells)"), column


def synthetic(counts, ns, percents, overall):
    groups = ["chief_executive", "medical_director", "directorate_manager", "clinical_director"]
    rows = [{"table_id": "T9.9", "item_id": "i", "survey_year": 2015, "role_group": g, "percent": p, "count": c,
             "group_n": n} for g, c, n, p in zip(groups, counts, ns, percents)]
    rows.append({"table_id": "T9.9", "item_id": "i", "survey_year": 2015, "role_group": "all_respondents",
                 "percent": overall, "count": None, "group_n": None})
    return pd.DataFrame(rows).astype({"count": "Int64", "group_n": "Int64", "percent": "Int64"})


def test_an_overall_base_only_within_what_the_groups_allow():
    # 12 of 24 in each group, nobody missing: 48 over 96 answered is 50%; 52% would need 92 answering (48/92 =
    # 52.2%), which the groups' printed percentages do not allow
    results = synthetic([12] * 4, [24] * 4, [50] * 4, 52)
    cells = derived.cell_denominators(results)
    assert cells.derived_denominator_min.tolist() == [24] * 4
    b = derived.overall_bases(results, cells, 472).iloc[0]
    assert (b.derived_denominator_sum_min, b.derived_denominator_sum_max, b.derived_base) == (96, 96, "neither")
    assert derived.overall_bases(synthetic([12] * 4, [24] * 4, [50] * 4, 50), cells, 472).iloc[0].derived_base == (
        "answered")


def test_a_duplicated_overall_row_is_refused():
    import pytest

    results = synthetic([12] * 4, [24] * 4, [50] * 4, 50)
    cells = derived.cell_denominators(results)
    with pytest.raises(pd.errors.MergeError):
        derived.overall_bases(pd.concat([results, results.iloc[[4]]], ignore_index=True), cells, 472)
