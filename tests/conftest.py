import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from expected import COLUMNS, VIEWS  # noqa: F401 (VIEWS: for the tests that import it from here)

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT.parent / "shared" / "seeds" / "000_de74e6d5141a67e6.txt"


# The package's 23 resources, by name in order, and its ten views: the lists typed out in tests/expected.py, not
# read from schemas/package.json, so that a resource the build stops writing is missed by a test rather than
# dropped from what it expects.
RESOURCES = sorted(COLUMNS)
# Files a build writes (schemas/ aside): one CSV for each resource, the descriptor and the CSVW metadata.
BUILT_FILES = ["csv-metadata.json", "datapackage.json", *(f"tables/{name}.csv" for name in RESOURCES)]


def built_file_count() -> int:
    """How many files a build writes (schemas/ aside): 25."""
    return len(BUILT_FILES)


def tid(number: str) -> str:
    """The table_id of a table as the report numbers it: Table 2.10 is T2.10."""
    return f"T{number}"


def printed(number: str) -> list[list[str]]:
    """A table's transcription, transcription/printed/table_<number>.csv, as rows of cells (header first)."""
    with open(ROOT / "transcription" / "printed" / f"table_{number}.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def fetch(*paths):
    """The served site's answers to these paths, through Datasette's own client (in process)."""
    import asyncio

    from web import serve

    async def go():
        ds = serve.app()
        await ds.invoke_startup()
        return [await ds.client.get(p) for p in paths]
    return asyncio.run(go())


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run_build(inputs: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.build", "--inputs", str(inputs), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)


def build_in_process(inputs: Path, out: Path) -> subprocess.CompletedProcess:
    """The same command line as run_build, run in this process: its exit code and what it printed, without
    an interpreter start and the build's imports for each of the many bad-input cases. (tests/
    test_broken_rules.py and test_reproducible.py run the build as its own process.)"""
    import contextlib
    import io

    from pipeline import build

    printed, errors = io.StringIO(), io.StringIO()
    argv = ["--inputs", str(inputs), "--out", str(out)]
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(errors):
        code = build.main(argv)
    return subprocess.CompletedProcess(argv, code, printed.getvalue(), errors.getvalue())


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """A build of the committed inputs into a scratch folder, once per test file."""
    out = tmp_path_factory.mktemp("good") / "out"
    result = build_in_process(ROOT / "transcription", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def source_copy(tmp_path):
    """A scratch copy of the hand-typed layer (transcription/printed and transcription/curation)."""
    dest = tmp_path / "transcription"
    shutil.copytree(ROOT / "transcription", dest)
    return dest


@pytest.fixture(scope="session")
def report_text() -> str:
    if not REPORT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the report's text is missing at {REPORT}")
        pytest.skip(f"the report's text is not at {REPORT} (README.md, 'Two commands', says how to provide it)")
    return REPORT.read_text(encoding="utf-8")

