"""Fault injection through the files a typist edits: for each kind of well-formed typing error
(tests/corruptions.py, KINDS), the corruptions of its fixed sample are typed in turn into a copy of
transcription/printed/*.csv, at the file, row and column each cell was read from, until TYPED_PER_KIND
are refused. The build (pipeline.build) and then the checks (checks.validate) run on them as make runs
them, and the gate (publish.gate) is asked to publish. Each refusal must exit non-zero, name the input
file, row, column and the cell as typed, show no Python exception name, and leave every staged and
published byte as it was where the build refused, every published byte where the checks did. A
corruption that passes must be one arithmetic cannot see (the oracle of tests/corruptions.py).

Bounded: about 2.5 s per corruption typed, at most TRIED_PER_KIND per kind."""
import contextlib
import io
import shutil

import pytest
from conftest import build_in_process
from corruptions import EXCEPTION_NAME, KINDS, names_a_corrupted_cell, sample

from checks import validate
from publish import gate

TYPED_PER_KIND = 2  # refused corruptions required per kind
TRIED_PER_KIND = 6


def files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good(good_build, tmp_path_factory):
    """The good build as a stage that has passed its checks (both stamps written), and as published."""
    base = tmp_path_factory.mktemp("typed")
    stage, published = base / "stage", base / "published"
    shutil.copytree(good_build, stage)
    assert validate.main(["--root", str(stage), "--passed", str(stage / "register.passed")]) == 0
    # Great Expectations' stamp stands for a passed run on the database, which this stage has not built:
    # what is tested here is that the pandera checks' refusal alone stops publishing.
    (stage / "expectations.passed").write_text("passed\n", encoding="utf-8")
    shutil.copytree(good_build, published)
    return stage, published


@pytest.mark.parametrize("kind", KINDS)
def test_a_typing_error_the_gate_refuses_is_named_where_typed_and_publishes_nothing(kind, good, source_copy,
                                                                                    tmp_path):
    good_stage, published = good
    before = files(published)
    refusals = 0
    for n, c in enumerate(sample(kind)[:TRIED_PER_KIND]):
        inputs = tmp_path / f"in{n}" / "transcription"
        shutil.copytree(source_copy, inputs)
        c.type_into(inputs)
        stage = tmp_path / f"stage{n}"
        shutil.copytree(good_stage, stage)
        staged = files(stage)
        built = build_in_process(inputs, stage)
        if built.returncode != 0:  # the statistics, change tests or claims cannot compute on the figures
            said = built.stdout + built.stderr
            assert files(stage) == staged, f"{kind} {c.where}: a refused build changed the stage"
        else:  # the pandera models, rules and register refuse them, or pass them
            printed, errors = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(errors):
                code = validate.main(["--root", str(stage), "--inputs", str(inputs),
                                      "--passed", str(stage / "register.passed")])
            said = printed.getvalue() + errors.getvalue()
            if code == 0:
                assert not c.breaks_arithmetic(), f"{kind} {c.where}: typed {c.texts()}, breaks arithmetic, passed"
                continue
            with pytest.raises(gate.Refused, match="register.passed"):
                gate.publish(stage, published)
        refusals += 1
        assert said.startswith("error: ") or "\nerror: " in said, said
        assert names_a_corrupted_cell(c, said.splitlines()), \
            f"{kind} {c.where}: typed {c.texts()}, refused without naming the cell: {said}"
        assert not EXCEPTION_NAME.search(said), said
        assert files(published) == before, f"{kind} {c.where}: a refused build changed a published byte"
        if refusals == TYPED_PER_KIND:
            break
    assert refusals == TYPED_PER_KIND, f"{kind}: {refusals} of the first {TRIED_PER_KIND} of its sample refused"
