"""The refusals of tests/test_bad_input.py, in process and without the build around them: Frictionless on the
inputs (pipeline.transcription.validate), then the reader and the tidy layer. Each malformed input is named by
file, row, column and value, with what is wrong."""
import shutil

import pytest
from package_frames import ROOT
from test_bad_input import CASES, delete, edit_csv, empty, text_figures_rows

from pipeline import tidy, transcription


@pytest.mark.parametrize("case", CASES)
def test_malformed_input_is_named(tmp_path, case):
    folder = tmp_path / "transcription"
    shutil.copytree(ROOT / "transcription", folder)
    rel, corrupt, row, column, value, problem = CASES[case]
    rel, named = rel if isinstance(rel, tuple) else (rel, rel)
    row = text_figures_rows() + 1 if row is None else row
    if corrupt in (delete, empty):
        corrupt(folder / rel)
    else:
        edit_csv(folder / rel, corrupt)
    with pytest.raises(transcription.TranscriptionError) as e:
        transcription.validate(folder)
        t = transcription.read(folder)
        for build in tidy.BUILDERS.values():
            build(t)
    assert str(e.value).startswith(f"transcription/{named}, row {row}, column {column!r}, value {value!r}: ")
    assert problem in e.value.problem
    assert (e.value.path, e.value.row, e.value.column, e.value.value) == (f"transcription/{named}", row, column, value)
