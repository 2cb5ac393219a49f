"""Well-formed but wrong printed cells that the claims or statistics stages cannot compute on: the build
refuses naming the input file, row, column and cell, with no Python exception name, and writes nothing.
Each corruption is one a typist makes (a digit replaced, tests/corruptions.py), the cell still of its printed
form and within its n; what each breaks is worked out here by hand, not taken from the code."""
import csv

from conftest import build_in_process
from corruptions import consistent, digits_replaced
from test_input_encoding import refused

from checks import validate


def set_cell(source_copy, rel: str, row: int, column: int, was: str, text: str) -> None:
    path = source_copy / rel
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[row - 1][column] == was, rows[row - 1]
    rows[row - 1][column] = text
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_a_count_that_leaves_expected_counts_below_5_is_named_where_typed(source_copy, good_build, tmp_path):
    # Table 2.8, chief executives (n=59), lack of communication: 19% (11) typed 19% (1). No denominator up to
    # 59 gives 19% from 1, so the cell's denominators run from 1 to 59; the claim that the four groups
    # largely agreed on the barriers (chi-squared across the groups, no printed test) then meets tables
    # whose expected counts are below 5 (1 of 1 agreed: 149 agreed of 415 to 473, 1 x 149 / 473 < 5).
    assert 1 in digits_replaced(11) and 1 <= 59 and not consistent(1, 19, 59)
    set_cell(source_copy, "printed/table_2.8.csv", 6, 1, "19% (11)", "19% (1)")
    message = refused(source_copy, good_build, tmp_path)
    assert "ba_alignment" in message and "expected counts below 5" in message, message
    assert ("Typed at transcription/printed/table_2.8.csv, row 6, column 'Chief executives (n=59)', "
            "cell '19% (1)'") in message, message


def test_a_2002_percentage_of_zero_under_a_multiple_is_named_where_typed(source_copy, good_build, tmp_path):
    # Table 2.1, chief executives, 2002, relationships likely to deteriorate: 6% typed 0%. The claim that the
    # share about tripled in the other three groups divides 2015 by 2002: no multiple of 0–0.5% can be read.
    assert 0 in digits_replaced(6)
    set_cell(source_copy, "printed/table_2.1.csv", 9, 1, "6%", "0%")
    message = refused(source_copy, good_build, tmp_path)
    assert "op_deteriorate_roughly_trebled" in message, message
    assert "Typed at transcription/printed/table_2.1.csv, row 9, column 'Chief executives (n=59)', cell '0%'" \
        in message, message


def test_a_count_of_zero_is_tested_over_denominators_from_1_and_refused_by_the_checks(source_copy, good_build,
                                                                                      tmp_path):
    # Table 2.2, medical directors (n=131), sufficient influence: 63% (80) typed 63% (0). It does not reconcile,
    # so its denominators are every d from the count to n; a group of 0 who answered is no denominator (the
    # tests and intervals over it are undefined), so they run from 1. The statistics then compute, and the
    # checks refuse the cell as any count that does not reproduce its percentage, naming where it was typed.
    assert 0 in digits_replaced(80) and not consistent(0, 63, 131)
    set_cell(source_copy, "printed/table_2.2.csv", 4, 2, "63% (80)", "63% (0)")
    out = tmp_path / "out"
    result = build_in_process(source_copy, out)
    assert result.returncode == 0, result.stderr
    found, _ = validate.problems(out, source_copy)
    where = "Typed at transcription/printed/table_2.2.csv, row 4, column 'Medical directors (n=131)', cell '63% (0)'"
    assert any(p.startswith("unregistered discrepancy count_reconciles:T2.2:doctors_sufficient_influence:"
                            "medical_director:2015") and where in p for p in found), found
