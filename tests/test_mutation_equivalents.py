"""The mutants listed as equivalent (tests/equivalent_mutants.csv) are still made, and still make the change
listed, without running make mutation: a listing whose code has moved must be looked at again. And the score
in docs/mutation.md has a row per package and counts no equivalent that is not listed."""
import csv
import re
from collections import Counter

from conftest import ROOT

from tools import mutation

PACKAGES = ["analysis", "checks", "pipeline", "web"]  # the packages make mutation mutates, written out here


def test_every_listed_equivalent_still_exists_with_its_change():
    listed = mutation.read_equivalents()
    assert mutation.stale(listed) == []
    for name, row in listed.items():
        assert row["reason"].strip(), f"{name}: no reason given"
        assert mutation.package_of(name) in PACKAGES


def test_the_docs_table_has_every_package_and_counts_only_listed_equivalents():
    # The table is the last run's (make mutation writes it): code moved since may have renamed some listings,
    # so it may count fewer equivalents than are listed now, never more.
    with open(ROOT / "tests/equivalent_mutants.csv", encoding="utf-8", newline="") as f:
        listed = Counter(r["mutant"].split(".")[0] for r in csv.DictReader(f))
    page = (ROOT / "docs/mutation.md").read_text(encoding="utf-8")
    table = page.split("<!-- mutation-score:begin -->")[1].split("<!-- mutation-score:end -->")[0]
    rows = {m[0]: int(m[1].replace(",", "")) for m in re.findall(r"^\| (\w+)/ \| [\d,]+ \| [\d,]+ \| ([\d,]+) \|",
                                                                  table, re.M)}
    assert sorted(rows) == PACKAGES and sorted(mutation.PACKAGES) == PACKAGES
    assert all(rows[p] <= listed.get(p, 0) for p in PACKAGES), (rows, listed)
