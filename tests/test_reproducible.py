"""Two builds of the same sources give byte-identical CSVs and descriptor, and what they write is the
package: its files by name and a few of its figures as the report prints them. (That the committed outputs
are what a build writes is checked by .ci/run, before anything is rebuilt in place.)"""
import csv
import io

from conftest import BUILT_FILES, ROOT, run_build


def built_files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file() and "schemas" not in p.parts}


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = run_build(ROOT / "transcription", out)
        assert result.returncode == 0, result.stderr
    a, b = built_files(first), built_files(second)
    assert sorted(a) == BUILT_FILES
    assert a == b
    # Agreeing with another build checks no value: a few figures as the report prints them.
    # Table 2.1, chief executives (n=59), positive rating for local relationships: 72% (42).
    assert b",T2.1,positive_rating_local_relationships," in a["tables/survey_results.csv"]
    assert b",2015,2015 survey,chief_executive,Chief executives,72,42,59,72% (42),table,1," in \
        a["tables/survey_results.csv"]
    # The respondents by role group, as the report's section on its method states them: 59 + 131 + 132 + 150 = 472.
    groups = list(csv.DictReader(io.StringIO(a["tables/role_groups.csv"].decode("utf-8"))))
    assert [(g["role_group"], g["respondents"]) for g in groups] == [
        ("chief_executive", "59"), ("medical_director", "131"), ("directorate_manager", "132"),
        ("clinical_director", "150"), ("all_respondents", "472")]
    # 68 items of 2015: Tables 2.1 to 2.11 print 73 rows, five of them Table 2.1's '2002 figures'.
    assert len(list(csv.DictReader(io.StringIO(a["tables/items.csv"].decode("utf-8"))))) == 68
