"""Where a build's outputs differ from the committed ones, checks/committed.py names each changed value.
(That the build writes exactly the committed outputs is tests/unit/test_unit_build.py's first test: one whole
build, which kills any change to what the package publishes; the tests beside it say which changes are wrong.)"""
import json

import pytest
from expected import COLUMNS
from package_frames import ROOT

from checks import committed


def test_a_changed_value_is_named_by_resource_row_key_column_and_values():
    old = (ROOT / "tables/cell_denominators.csv").read_bytes()
    new = old.replace(b"Chief executives,72,42,59,58,58,1,1,42,true\n1,",
                      b"Chief executives,72,42,59,58,58,1,1,41,true\n1,")
    assert new != old
    assert committed.file_changes("tables/cell_denominators.csv", old, new) == [
        "cell_denominators [item_id=positive_rating_local_relationships, role_group=chief_executive] "
        "derived_count_at_n: '42' -> '41'"]


def test_added_removed_and_reordered_rows_and_columns():
    old = b"role_group,column_label\na,A\nb,B\n"
    assert committed.csv_changes("role_groups", old, b"role_group,column_label\na,A\nc,C\n") == [
        "role_groups [role_group=c]: row added", "role_groups [role_group=b]: row removed"]
    assert committed.csv_changes("role_groups", old, b"role_group,column_label\nb,B\na,A\n") == [
        "role_groups: the same rows in another order"]
    assert committed.csv_changes("role_groups", old, b'"role_group","column_label"\na,A\nb,B\n') == [
        "role_groups: the same values, other bytes (quoting, line endings or number format)"]
    assert committed.csv_changes("role_groups", old, b"role_group,label\na,A\nb,B\n")[0] == (
        "role_groups: columns ['role_group', 'column_label'] -> ['role_group', 'label']")


def test_json_changes_at_their_path():
    old = {"title": "T", "resources": [{"name": "a", "bytes": 1}], "gone": 1}
    new = {"title": "T", "resources": [{"name": "a", "bytes": 2}], "new": [1]}
    assert committed.json_changes("datapackage.json", old, new) == [
        "datapackage.json resources[0].bytes: 1 -> 2", "datapackage.json gone: removed",
        "datapackage.json new: added [1]"]
    assert committed.json_changes("x.json", [1], [1, 2]) == ["x.json (whole file): [1] -> [1, 2]"]
    assert committed.file_changes("x.json", b'{"a": 1}', b'{"a":1}') == ["x.json: the same values, other bytes"]
    assert committed.file_changes("x.json", b'{"a": 1}', b'{"a": 2}') == ["x.json a: 1 -> 2"]
    assert committed.file_changes("x.json", b"{}", b"{}") == []
    assert committed.file_changes("notes.txt", b"a", b"b") == ["notes.txt: differs"]
    assert json.loads((ROOT / "datapackage.json").read_text())["name"]


def test_compare_lists_every_change_and_counts_past_the_limit(tmp_path):
    for rel in committed.outputs():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((ROOT / rel).read_bytes())
    assert committed.compare(ROOT, tmp_path) == []
    sr = tmp_path / "tables/cell_denominators.csv"
    lines = sr.read_text().splitlines(keepends=True)
    sr.write_text(lines[0] + "".join(line.replace(",true", ",false") for line in lines[1:]))
    changes = committed.compare(ROOT, tmp_path)
    changed = sum(",true" in line for line in lines[1:])  # one value a row: derived_reconciles
    # 268 of the 272 cells reconcile (tests/expected.py: 4 do not); 40 changes are shown, the other 228 counted
    assert (changed, len(changes)) == (268, 41)
    assert changes[-1] == "tables/cell_denominators.csv: and 228 more changes"
    # exactly as many changes as are shown: no line for more
    first = [i for i, line in enumerate(lines) if i and ",true" in line][:40]
    sr.write_text("".join(line.replace(",true", ",false") if i in first else line for i, line in enumerate(lines)))
    changes = committed.compare(ROOT, tmp_path)
    assert len(changes) == 40 and not any(" more changes" in c for c in changes)


def test_rows_added_before_changes_and_removed_rows_with_a_key_of_several_fields():
    old = b"role_group,column_label\na,A\nb,B\n"
    assert committed.csv_changes("role_groups", old, b"role_group,column_label\nc,C\na,A\nb,X\n") == [
        "role_groups [role_group=c]: row added", "role_groups [role_group=b] column_label: 'B' -> 'X'"]
    head = "table_id,role_group,participants,table_n\n"
    gone = committed.csv_changes("interview_participants", (head + "T1.3,x,1,2\nT1.3,y,1,2\n").encode(),
                                 (head + "T1.3,x,1,2\n").encode())
    assert gone == ["interview_participants [table_id=T1.3, role_group=y]: row removed"]


def test_json_changes_keep_every_change_and_cut_long_values_at_80():
    assert committed.json_changes("f", {"a": 1, "b": {"c": 1}}, {"a": 2, "b": {"c": 2}}) == ["f a: 1 -> 2", "f b.c: 1 -> 2"]
    assert committed.json_changes("f", {"a": 1}, [1]) == ['f (whole file): {"a": 1} -> [1]']
    long_old, long_new = "x" * 100, "y" * 100
    assert committed.json_changes("f", {"k": long_old}, {"k": long_new}) == [
        f'f k: "{"x" * 79} -> "{"y" * 79}']
    assert committed.json_changes("f", {}, {"k": long_new}) == [f'f k: added "{"y" * 79}']


def test_the_command_line(tmp_path, capsys):
    for rel in committed.outputs():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((ROOT / rel).read_bytes())
    assert committed.main([str(tmp_path), "--root", str(ROOT)]) == 0
    assert capsys.readouterr().out == "committed outputs: as the build writes them\n"
    path = tmp_path / "tables/role_groups.csv"
    path.write_text(path.read_text().replace("Chief executives", "Chief execs", 1))
    assert committed.main([str(tmp_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "error: the committed outputs differ from what the build writes:"
    assert err[1] == "  role_groups [role_group=chief_executive] column_label: 'Chief executives' -> 'Chief execs'"
    assert err[-1] == ("If every change above is intended, run make and commit the outputs; if not, the sources or "
                       "the code changed them.")
    (tmp_path / "tables/items.csv").unlink()
    with pytest.raises(FileNotFoundError):
        committed.main([str(tmp_path)])
    # every resource of tests/expected.py in its order, then the descriptors
    assert committed.compare(tmp_path / "nothing", ROOT) == [
        f"{rel}: not committed" for rel in [f"tables/{n}.csv" for n in COLUMNS] + ["csv-metadata.json", "datapackage.json"]]
    with pytest.raises(SystemExit):
        committed.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("usage: ") and "built the folder a build of the committed sources wrote options:" in out
    assert out.endswith("--root ROOT the checkout holding the committed outputs")
    assert ("make committed-outputs: are the committed outputs what a build of the committed sources writes? Where"
            in out) and "the checkout holding the committed" in out
