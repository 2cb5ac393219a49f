"""The published frames read as feasible ranges: every printed figure as the set of values it can stand for.

A 2015 group cell is its count over each denominator that reproduces its printed percentage
(cell_denominators); a printed percentage without a count (the overall column, 2002, the text, Tables 1.1
and 1.2) is its rounding interval; a 2002 figure the 2003 paper prints with its count is that count over its
denominator. A cell whose count reproduces no percentage is taken at its printed percentage.

The overall column of a table whose base is all respondents, those who skipped the question included (Table
2.11: tables.derived_overall_base), is read as printed; over_answered() reads it instead as the groups' counts
over those who answered (overall_bases), the report's own convention for its percentages."""
from __future__ import annotations

import copy
from fractions import Fraction
from functools import cached_property

import pandas as pd

from analysis import comparisons as cmp
from analysis import statistics
from analysis.derived import OVERALL, groups, table_bases

PROFILE_TABLES = ("T1.1", "T1.2")  # tables whose rows are role groups and columns categories (role_profile)


def records(df: pd.DataFrame, *keys: str) -> dict:
    """Each row as a dictionary (missing values as None), keyed by the key columns (one key: the value)."""
    rows = df.astype(object).where(df.notna(), None).to_dict("records")
    return {(r[keys[0]] if len(keys) == 1 else tuple(r[k] for k in keys)): r for r in rows}


class Figures:
    """The published frames, read as feasible ranges."""

    def __init__(self, res: dict[str, pd.DataFrame]):
        self.res = res
        self.four = groups(res["role_groups"])
        labels = res["role_groups"].set_index("role_group")["column_label"]
        # Short names for results: initials of the label (CE for Chief executives); the overall column by name.
        self.abbr = {g: (labels[g].lower() if g == OVERALL else "".join(w[0] for w in labels[g].split()).upper())
                     for g in labels.index}
        # Plain dictionaries of rows, keyed as each frame is: a claim reads thousands of single cells.
        self.results = records(res["survey_results"], "item_id", "survey_year", "role_group")
        self.cells = records(statistics.denominator_ranges(res["cell_denominators"]), "item_id", "role_group")
        self.items = records(res["items"], "item_id")
        self.profile = records(res["role_profile"], "table_id", "category_id", "role_group")
        self.figures = records(res["text_figures"], "figure_id")
        self.sizes = {g: int(n) for g, n in zip(res["role_groups"].role_group, res["role_groups"].respondents)}
        self._pairwise: dict = {}
        self.answered_base = False  # read the overall column of an all-respondents table over those who answered

    @cached_property
    def all_respondents_tables(self) -> set[str]:
        """The tables whose printed overall column is over all respondents, those who skipped included."""
        return {t for t, b in table_bases(self.res["overall_bases"]).items() if b == "all_respondents"}

    def over_answered(self) -> Figures:
        """The same figures, with those tables' overall column over those who answered."""
        other = copy.copy(self)
        other.answered_base = True
        return other

    @cached_property
    def bases(self) -> dict:
        return records(self.res["overall_bases"], "item_id")

    # The tests' results, read only by the claims that use them (a rule that reads printed cells runs without).
    @cached_property
    def changes(self) -> dict:
        ct = self.res["change_tests"]
        return records(ct[ct.assumption == "default"], "item_id", "role_group")

    @cached_property
    def significance(self) -> dict:
        return records(self.res["significance_checks"], "item_id")

    # --- scope -----------------------------------------------------------------------------------
    def keys(self, tables: list[str], items: list[str]) -> list[tuple[str, str]]:
        """(table, item or category) in the report's order: the items named, else every row of the tables."""
        if items:
            return [(self.table_of(k, tables), k) for k in items]
        out = []
        for t in tables:
            if t in PROFILE_TABLES:
                cats = self.res["role_profile"]
                out += [(t, k) for k in dict.fromkeys(cats[cats.table_id == t].category_id)]
            else:
                its = self.res["items"]
                out += [(t, k) for k in its[its.table_id == t].sort_values("item_order").item_id]
        return out

    def table_of(self, key: str, tables: list[str]) -> str:
        if key in self.items:
            return self.items[key]["table_id"]
        return next(t for t in tables if t in PROFILE_TABLES)

    def label(self, key: str) -> str:
        text = self.items[key]["row_label"] if key in self.items else key.replace("_", " ")
        return text if len(text) <= 48 else text[:47].rstrip() + "…"

    def has(self, table: str, key: str, group: str, year: int) -> bool:
        if table in PROFILE_TABLES:
            return (table, key, group) in self.profile and year == 2015
        return (key, year, group) in self.results

    def years(self, table: str, key: str, year) -> list[int]:
        """The waves asked for, or every wave that prints the item for all four groups."""
        if pd.notna(year):
            return [int(year)]
        return [y for y in (2015, 2002) if all(self.has(table, key, g, y) for g in self.four)]

    def odd(self, keys: list[tuple]) -> list[tuple]:
        """Of these printed cells (keys of pipeline.transcription.sources), the 2015 group cells whose count
        reproduces no percentage: the likeliest mistyped."""
        return [k for k in keys if k[0] == "survey_results" and k[2] == 2015 and (k[1], k[3]) in self.cells
                and not self.cells[(k[1], k[3])]["derived_reconciles"]]

    def suspects(self, keys: list[tuple]) -> list[tuple]:
        """The cells that do not reconcile among these, or all of them where every one does."""
        return self.odd(keys) or keys

    # --- values ----------------------------------------------------------------------------------
    def value(self, table: str, key: str, group: str, year: int) -> cmp.Interval:
        if table in PROFILE_TABLES:
            return cmp.rounded(int(self.profile[(table, key, group)]["percent"]))
        r = self.results[(key, year, group)]
        if self.answered_base and year == 2015 and group == OVERALL and table in self.all_respondents_tables:
            b = self.bases[key]
            return cmp.counted(int(b["derived_count_sum"]), int(b["derived_denominator_sum_min"]),
                               int(b["derived_denominator_sum_max"]))
        if year == 2015 and group != OVERALL:
            c = self.cells[(key, group)]
            if c["derived_reconciles"]:
                return cmp.counted(int(c["count"]), int(c["derived_denominator_min"]), int(c["derived_denominator_max"]))
            return cmp.rounded(int(r["percent"]))  # the printed figure where the count does not reproduce it
        if r["paper_2003_count"] is not None and r["paper_2003_denominator"] is not None:
            v = cmp.point(Fraction(100 * int(r["paper_2003_count"]), int(r["paper_2003_denominator"])))
        else:
            v = cmp.rounded(int(r["percent"]))
        return v.complement() if r["compares_as"] == "complement" else v

    def counts(self, key: str, group: str) -> tuple[int, range]:
        """A 2015 group cell's count and feasible denominators, as the rerun significance tests take them."""
        c = self.cells[(key, group)]
        return int(c["count"]), range(int(c["d_lo"]), int(c["d_hi"]) + 1)

    def pairwise(self, key: str, a: str, b: str) -> tuple[float, float]:
        if (key, a, b) not in self._pairwise:
            (ca, da), (cb, db) = self.counts(key, a), self.counts(key, b)
            self._pairwise[(key, a, b)] = cmp.pairwise_p(ca, da, cb, db)
        return self._pairwise[(key, a, b)]

    def figure(self, figure_id: str) -> cmp.Interval:
        """A text figure: a whole percentage over its rounding interval, a count exactly, 'around x' within
        the reading of 'around'."""
        f = self.figures[figure_id]
        v = cmp.fraction(float(f["derived_value"]))
        if f["derived_qualifier"] == "around":
            return cmp.Interval(v - cmp.AROUND_POINTS, v + cmp.AROUND_POINTS)
        if f["derived_qualifier"] != "exact":
            raise ValueError(f"text figure {figure_id}: a figure with qualifier {f['derived_qualifier']!r} is a claim")
        return cmp.rounded(v) if f["unit"] == "percent" else cmp.point(v)

    def above(self, direction: str, key: str) -> bool:
        """Whether the direction asks for the larger percentage: higher, lower, or (un)favourable by the
        item's reading (items.favourable)."""
        if direction in ("higher", "lower"):
            return direction == "higher"
        fav = self.items[key]["favourable"] if key in self.items else None
        if fav is None:
            raise ValueError(f"item {key}: no favourable reading (items.favourable) for direction {direction!r}")
        return (fav == "higher") == (direction == "favourable")

    def values_text(self, vals: dict[str, cmp.Interval]) -> str:
        return ", ".join(f"{self.abbr[g]} {v.text()}" for g, v in vals.items())
