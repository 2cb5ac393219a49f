"""Two builds of the same sources give byte-identical CSVs and descriptor. (That the committed outputs
are what a build writes is checked by .ci/run, before anything is rebuilt in place.)"""
from conftest import ROOT, built_file_count, run_build


def built_files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file() and "schemas" not in p.parts}


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = run_build(ROOT / "transcription", out)
        assert result.returncode == 0, result.stderr
    a, b = built_files(first), built_files(second)
    assert len(a) == built_file_count()
    assert a == b
