"""The tidy resources pivot back to the transcription cell for cell: every printed cell exactly once."""
from collections import Counter

import pytest
from conftest import ROOT, printed, read_csv, tid

TABLES = ROOT / "tables"
SOURCE = ROOT / "transcription" / "printed"
RESULTS_TABLES = [f"2.{i}" for i in range(1, 12)]



@pytest.fixture(scope="module")
def tidy():
    return {name: read_csv(TABLES / f"{name}.csv") for name in
            ("tables", "role_groups", "items", "survey_results", "printed_significance",
             "role_profile", "interview_participants")}


def role_order(tidy):
    return [g["role_group"] for g in sorted(tidy["role_groups"], key=lambda g: int(g["sort_order"]))]


def rebuild_results_table(tidy, number):
    """The wide layout as printed, from the tidy resources alone (the table's cells of survey_results)."""
    table_id = tid(number)
    labels = {g["role_group"]: g["column_label"] for g in tidy["role_groups"]}
    table = next(t for t in tidy["tables"] if t["table_id"] == table_id)
    cells = {(r["item_id"], r["survey_year"], r["role_group"]): r
             for r in tidy["survey_results"] if r["table_id"] == table_id and r["printed_in"] == "table"}
    n = {r["role_group"]: r["group_n"] for r in tidy["survey_results"]
         if r["table_id"] == table_id and r["survey_year"] == "2015"}
    groups = role_order(tidy)
    rows = [[table["stub_header"]] + [f"{labels[g]} (n={n[g]})" for g in groups]]
    items = sorted((i for i in tidy["items"] if i["table_id"] == table_id), key=lambda i: int(i["row_number"]))
    for item in items:
        label = item["row_label"] + (" †" if item["reverse_worded"] == "true" else "")
        rows.append([label] + [cells[(item["item_id"], "2015", g)]["cell_text"] for g in groups])
        if (item["item_id"], "2002", groups[0]) in cells:
            rows.append(["2002 figures"] + [cells[(item["item_id"], "2002", g)]["cell_text"] for g in groups])
    return rows


@pytest.mark.parametrize("table_id", RESULTS_TABLES)
def test_results_table_pivots_back_to_transcription(tidy, table_id):
    assert rebuild_results_table(tidy, table_id) == printed(table_id)


def test_every_printed_cell_of_tables_2_1_to_2_11_appears_exactly_once(tidy):
    printed_cells = sum(len(row) - 1 for t in RESULTS_TABLES for row in printed(t)[1:])
    keys = Counter((r["item_id"], r["survey_year"], r["role_group"]) for r in tidy["survey_results"])
    in_tables = [r for r in tidy["survey_results"] if r["printed_in"] == "table"]
    assert len(in_tables) == printed_cells == 365
    assert max(keys.values()) == 1


def test_percent_count_and_marker_columns_say_what_the_cell_prints(tidy):
    """Reassemble each cell from its parsed parts: nothing lost or invented in parsing."""
    markers = {m["item_id"]: m["marker_text"] for m in tidy["printed_significance"]}
    for r in tidy["survey_results"]:
        text = f"{r['percent']}%"
        marker = markers.get(r["item_id"], "") if r["role_group"] == "all_respondents" and r["survey_year"] == "2015" else ""
        text += marker if marker.startswith("*") or not marker else " " + marker  # the report prints '39% n.s.'
        if r["count"]:
            text += f" ({r['count']})"
        assert text == r["cell_text"], r


def test_table_2_7_doctors_respected_is_marked_for_fishers_exact_test(tidy):
    row = next(m for m in tidy["printed_significance"] if m["item_id"] == "doctors_respected_by_public")
    assert (row["marker"], row["test"], row["marker_text"]) == ("*", "fisher_exact", "* -")
    assert Counter(m["test"] for m in tidy["printed_significance"]) == {"chi_squared": 36, "fisher_exact": 1}


def test_table_2_2_discharge_pressure_is_reverse_worded_with_the_footnote_note(tidy):
    item = next(i for i in tidy["items"] if i["item_id"] == "no_pressure_early_discharge")
    assert item["reverse_worded"] == "true"
    assert item["reverse_worded_note"].startswith("These statements were reverse-worded")


@pytest.mark.parametrize("table_id", ["1.1", "1.2"])
def test_role_profile_tables_pivot_back(tidy, table_id):
    labels = {g["role_group"]: g["row_label"] for g in tidy["role_groups"]}
    rows = [r for r in tidy["role_profile"] if r["table_id"] == tid(table_id)]
    header = ["Role"] + list(dict.fromkeys(r["category_label"] for r in rows))
    body = [[labels[g]] + [r["cell_text"] for r in rows if r["role_group"] == g]
            for g in dict.fromkeys(r["role_group"] for r in rows)]
    assert [header] + body == printed(table_id)
    assert all(r["cell_text"] == f"{r['percent']}%" for r in rows)


def test_table_1_3_pivots_back(tidy):
    labels = {g["role_group"]: g["row_label"] for g in tidy["role_groups"]}
    rows = [["Role", "Number"]] + [[labels[r["role_group"]], r["participants"]] for r in tidy["interview_participants"]]
    assert rows == printed("1.3")
    assert sum(int(r["participants"]) for r in tidy["interview_participants"]) == 22


def test_titles_and_footnotes_are_the_transcribed_ones(tidy):
    captions = {c["table_id"]: c for c in read_csv(SOURCE / "captions.csv")}
    for t in tidy["tables"]:
        assert (t["title"], t["footnote"]) == (captions[t["table_id"]]["title"], captions[t["table_id"]]["footnote"])


def test_tables_2_9_and_2_10_share_one_factor_id_per_external_factor(tidy):
    factors = {t: {i["factor_id"] for i in tidy["items"] if i["table_id"] == t} for t in ("T2.9", "T2.10")}
    assert factors["T2.9"] == factors["T2.10"] and len(factors["T2.9"]) == 8
    francis = {i["table_id"]: i["row_label"] for i in tidy["items"] if i["factor_id"] == "francis_reports"}
    assert francis == {"T2.9": "Francis reports (2010 and 2013)", "T2.10": "Francis reports (2010 and 2013)"}
