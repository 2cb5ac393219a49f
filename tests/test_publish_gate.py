"""The gate and reproducibility, through `make` in scratch copies of the repository (the .venv shared).

Two builds from clean give the same bytes in every artifact (CSVs, descriptors, both databases, Parquet,
workbook, zip, SHA256SUMS, metadata, the validation report, the site, the served snapshot). Then, in one
copy, printed cells are corrupted as a typist would (well-formed, within n), a BOM is added, an input is
saved in cp1252: each time `make` refuses, names the input file, row, column and cell, and no published
or served byte changes. Last, every input is touched and `make` rebuilds: the same bytes again."""
import csv
import os
import shutil
import subprocess
from fractions import Fraction
from math import floor

import pytest
from conftest import ROOT

# What a build reads (the rest of the repository is copied too, but not touched).
INPUTS = ["transcription", "schemas", "sql", "core", "analysis", "pipeline", "checks", "web", "publish",
          "LICENSE", "CHANGELOG.md", "CITATION.cff", "Makefile"]
IGNORED = shutil.ignore_patterns(".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".hypothesis",
                                 ".ruff_cache", ".staging-*")
COMMITTED = ["datapackage.json", "csv-metadata.json", "tables"]


def scratch_copy(dest):
    shutil.copytree(ROOT, dest, ignore=IGNORED, symlinks=True)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def make(root) -> subprocess.CompletedProcess:
    # Not the outer make's jobserver (pytest may run under make test): this make is its own.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", "--no-print-directory"], cwd=root, capture_output=True, text=True, env=env,
                          timeout=600)


def clean_build(root):
    """make from clean: no build/, no dist/, none of the committed outputs."""
    for rel in COMMITTED:
        path = root / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    result = make(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def artifacts(root) -> dict[str, bytes | str]:
    """Every built file under root by its path, with its bytes (a symlink: where it points)."""
    out = {}
    for top in ["tables", "build", "dist", "datapackage.json", "csv-metadata.json"]:
        base = root / top
        for p in [base] if base.is_file() else sorted(base.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                out[rel] = p.read_bytes()
    return out


def published(root) -> dict[str, bytes | str]:
    """Every published and served file: all artifacts but the staged build."""
    return {rel: data for rel, data in artifacts(root).items() if not rel.startswith("build/stage/")}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Two copies of the repository, each built from clean."""
    return [clean_build(scratch_copy(tmp_path_factory.mktemp("build") / "repo")) for _ in range(2)]


def differing(a: dict, b: dict) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def test_two_builds_from_clean_are_byte_identical(builds):
    first, second = (artifacts(b) for b in builds)
    assert differing(first, second) == []
    # every artifact is there, the served snapshot among them
    for rel in ["build/managing_doctors.duckdb", "build/managing_doctors.sqlite", "build/metadata.json",
                "build/validation/summary.html", "build/site/site.css", "build/served/current"]:
        assert rel in first, rel
    assert any(rel.startswith("build/parquet/") for rel in first)
    assert any(rel.startswith("dist/") and rel.endswith(".zip") for rel in first)
    assert any(rel.startswith("build/stage/") for rel in first)


# --- refused builds ------------------------------------------------------------------------------------

def consistent(count, percent, n) -> bool:
    """Some whole denominator d, count <= d <= n, makes 100*count/d round half up to percent."""
    return any(floor(Fraction(100 * count, d) + Fraction(1, 2)) == percent for d in range(max(count, 1), n + 1))


def fewest_missing(count, percent, n) -> int:
    return n - max(d for d in range(max(count, 1), n + 1) if floor(Fraction(100 * count, d) + Fraction(1, 2)) == percent)


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


T21 = "printed/table_2.1.csv"
# Three cells a typist could mistype, well-formed and within their n, corrupted together (one refused build,
# whose message must name each): (line, column index) -> text, and what the message must say of it.
TYPED = {
    # The case: 62% (80) of medical directors (n=131) typed 92% (80). 80/87 rounds to 92%: the
    # arithmetic holds, but 44 of 131 answers would be missing, more than any cell of the report implies.
    (2, 2): ("92% (80)", ["transcription/printed/table_2.1.csv, row 2, column 'Medical directors (n=131)', "
                          "cell '92% (80)'", "implies 44 of 131 answers missing"]),
    # 37% (45) of medical directors, two digits transposed: 37% (54). No denominator up to 131 gives 37%.
    (8, 2): ("37% (54)", ["transcription/printed/table_2.1.csv, row 8, column 'Medical directors (n=131)', "
                          "cell '37% (54)'"]),
    # Clinical directors' 35% (47) typed with the count of the column beside it: 35% (73) of n=150.
    (6, 4): ("35% (73)", ["transcription/printed/table_2.1.csv, row 6, column 'Clinical directors (n=150)', "
                          "cell '35% (73)'"]),
}


def set_cells(rel, changes):
    def corrupt(root):
        path = root / "transcription" / rel
        rows = read_rows(path)
        for (line, col), text in changes.items():
            rows[line - 1][col] = text
        write_rows(path, rows)
    return corrupt


CASES = {"three cells mistyped, well-formed and within n (Table 2.1)": (
    set_cells(T21, {at: text for at, (text, _) in TYPED.items()}), [x for _, says in TYPED.values() for x in says])}


def add_bom(root):
    path = root / "transcription" / T21
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def to_cp1252(root):
    path = root / "transcription" / "curation" / "items.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))


def first_not_ascii(rel) -> tuple[int, int, str]:
    """(line, byte offset, column heading) of the first character of an input that cp1252 writes differently."""
    text = (ROOT / "transcription" / rel).read_text(encoding="utf-8")
    at = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    row = text[text.rfind("\n", 0, at) + 1:at]
    heading = next(csv.reader([text.splitlines()[0]]))[len(next(csv.reader([row]))) - 1]
    return text.count("\n", 0, at) + 1, len(text[:at].encode("utf-8")), heading


LINE, OFFSET, HEADING = first_not_ascii("curation/items.csv")
CASES.update({
    "a byte-order mark (Table 2.1)": (add_bom, ["transcription/printed/table_2.1.csv starts with a UTF-8 byte-order mark"]),
    "an input saved in cp1252 (items)": (
        to_cp1252, [f"transcription/curation/items.csv, row {LINE}, column {HEADING!r}", f"byte {OFFSET} ", "cp1252"]),
})


def test_the_well_formed_corruptions_are_what_they_claim():
    """Independently of the checks: each printed cell corrupted above is well-formed and within its n, and
    either breaks the arithmetic or implies more missing answers than any cell of the report."""
    rows = read_rows(ROOT / "transcription" / T21)
    assert rows[1][2] == "62% (80)" and rows[7][2] == "37% (45)" and rows[5][3:5] == ["67% (73)", "35% (47)"]
    assert consistent(80, 92, 131) and fewest_missing(80, 92, 131) == 44
    assert Fraction(44, 131) > Fraction(27, 132)
    assert 54 <= 131 and not consistent(54, 37, 131)
    assert 73 <= 150 and not consistent(73, 35, 150)


@pytest.mark.parametrize("case", CASES)
def test_a_refused_build_changes_no_published_or_served_byte(builds, case):
    root = builds[1]
    corrupt, names = CASES[case]
    before = published(root)
    current = os.readlink(root / "build" / "served" / "current")
    inputs = {p: p.read_bytes() for p in (root / "transcription").rglob("*.csv")}
    try:
        corrupt(root)
        result = make(root)
    finally:
        for p, data in inputs.items():
            p.write_bytes(data)
    assert result.returncode != 0, result.stdout
    for text in names:
        assert text in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert differing(published(root), before) == []
    assert os.readlink(root / "build" / "served" / "current") == current


def test_a_rebuild_after_touching_every_input_is_byte_identical(builds):
    first, second = builds
    for rel in INPUTS:
        for p in [second / rel] if (second / rel).is_file() else (second / rel).rglob("*"):
            if p.is_file():
                p.touch()
    result = make(second)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pipeline.build" in result.stdout and "publish.gate" in result.stdout  # everything was rebuilt
    assert differing(artifacts(first), artifacts(second)) == []
