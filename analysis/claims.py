"""The report's claims, each decided part by part with the vocabulary of analysis/comparisons.py.

A claim (transcription/curation/claims.csv) is in the project's own words; its comparison names how it is
decided and its columns say on what: the tables or items, the role groups and those they are compared
with, the wave, the direction, the word read (comparisons.WORDS), the amount, the significance and the
quantifier over its parts. Every printed figure enters as its feasible range (a group's count over its
feasible denominators, a percentage over its rounding interval, a 2003 paper's count over its
denominator), never as a point. Each part gets a verdict and the numbers that decided it; the claim's
verdict combines them (comparisons.combine)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction

import pandas as pd

from analysis import comparisons as cmp
from analysis import statistics
from analysis.arithmetic import percent_1dp, round_half_up
from analysis.derived import OVERALL, recipients, table_bases
from analysis.failures import FiguresError, cells
from analysis.feasible import Figures

LIST = ";"  # the separator of the list columns of claims.csv
CHOICES = {"choose_up_to_three": 3}  # items.question_type: at most this many choices per respondent


@dataclass
class Part:
    label: str
    verdict: str
    result: str
    table_id: str | None = None
    item_id: str | None = None
    role_group: str | None = None
    survey_year: int | None = None


def listed(value) -> list[str]:
    return [v for v in str(value).split(LIST) if v] if isinstance(value, str) else []


def _margin(claim) -> int:
    return cmp.MUCH_POINTS if claim.word == "much" else 0


def _by(claim, column: str, n: int) -> list[str]:
    """A list column aligned with n things: one value for all, or one each."""
    values = listed(getattr(claim, column))
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise ValueError(f"claim {claim.claim_id}: {column} has {len(values)} values for {n}")
    return values


# --- the comparisons a claim can name ---------------------------------------------------------------

def extreme(claim, fig: Figures) -> list[Part]:
    """Each named group above (or below) every other group, on every row and wave the claim covers."""
    named = listed(claim.role_groups)
    dirs = _by(claim, "direction", len(named))
    margin = _margin(claim)
    parts = []
    for table, key in fig.keys(listed(claim.tables), listed(claim.items)):
        for year in fig.years(table, key, claim.survey_year):
            vals = {g: fig.value(table, key, g, year) for g in fig.four}
            for g, d in zip(named, dirs):
                high = fig.above(d, key)
                others = listed(claim.other_groups) or [o for o in fig.four if o != g]
                v = cmp.all_of(cmp.greater(vals[g], vals[o], margin) if high else cmp.greater(vals[o], vals[g], margin)
                               for o in others)
                word = "highest" if high else "lowest"
                parts.append(Part(f"{fig.label(key)}, {year}: {fig.abbr[g]} {word}"
                                  + (f" by {margin} points or more" if margin else ""), v, fig.values_text(vals),
                                  table, key if key in fig.items else None, g, year))
    return parts


def ordering(claim, fig: Figures) -> list[Part]:
    """Every group of one set above (or below) every group of the other."""
    a_set, b_set = listed(claim.role_groups), listed(claim.other_groups)
    margin = _margin(claim)
    parts = []
    for table, key in fig.keys(listed(claim.tables), listed(claim.items)):
        high = fig.above(claim.direction, key)
        for year in fig.years(table, key, claim.survey_year):
            vals = {g: fig.value(table, key, g, year) for g in fig.four}
            v = cmp.all_of(cmp.greater(vals[a], vals[b], margin) if high else cmp.greater(vals[b], vals[a], margin)
                           for a in a_set for b in b_set)
            names = " and ".join(fig.abbr[g] for g in a_set), " and ".join(fig.abbr[g] for g in b_set)
            result = fig.values_text(vals)
            if margin and len(a_set) == len(b_set) == 1:  # the gap itself, for a claim on its size
                gap = vals[a_set[0]] - vals[b_set[0]] if high else vals[b_set[0]] - vals[a_set[0]]
                result += f"; gap {gap.text(' points')}"
            parts.append(Part(f"{fig.label(key)}, {year}: {names[0]} {'above' if high else 'below'} {names[1]}"
                              + (f" by {margin} points or more" if margin else ""), v, result, table,
                              key if key in fig.items else None, None, year))
    return parts


def threshold(claim, fig: Figures) -> list[Part]:
    """Each figure against the word's threshold: at least two thirds, over 80% ('widespread'), ..."""
    keys = fig.keys(listed(claim.tables), listed(claim.items))
    sides = _by(claim, "direction", len(keys)) if listed(claim.direction) else ["same"] * len(keys)
    x = cmp.amount(claim.amount)
    parts = []
    for (table, key), side in zip(keys, sides):
        for g in listed(claim.role_groups):
            for year in ([int(claim.survey_year)] if pd.notna(claim.survey_year) else [2015]):
                v = fig.value(table, key, g, year)
                v = v.complement() if side == "complement" else v
                # The printed figure's own wording is the item's label; only a complement is said in words.
                what = " disagreed" if side == "complement" else ""
                parts.append(Part(f"{fig.label(key)}: {fig.abbr[g]} {cmp.reading_text(claim.word, x)}",
                                  cmp.reads(claim.word, v, x), f"{fig.abbr[g]}{what}: {v.text()}", table,
                                  key if key in fig.items else None, g, year))
    return parts


def items_ordering(claim, fig: Figures) -> list[Part]:
    """Items of one column against items of the same column: each of one set above each of the other."""
    g, year, margin = listed(claim.role_groups)[0], int(claim.survey_year), _margin(claim)
    tables = listed(claim.tables)
    high = claim.direction == "higher"
    parts = []
    for _, a in fig.keys(tables, listed(claim.items)):
        for _, b in fig.keys(tables, listed(claim.other_items)):
            va, vb = fig.value(fig.table_of(a, tables), a, g, year), fig.value(fig.table_of(b, tables), b, g, year)
            v = cmp.greater(va, vb, margin) if high else cmp.greater(vb, va, margin)
            parts.append(Part(f"{fig.label(a)} {'above' if high else 'below'} {fig.label(b)}"
                              + (f" by {margin} points or more" if margin else ""), v,
                              f"{fig.abbr[g]}: {va.text()} against {vb.text()}", fig.table_of(a, tables), a, g, year))
    return parts


def change(claim, fig: Figures) -> list[Part]:
    """2015 against 2002 for each item and group: direction, size (much, a multiple), significance (the
    default test of change_tests) and, with other groups, a larger change than theirs."""
    parts = []
    for table, key in fig.keys(listed(claim.tables), listed(claim.items)):
        for g in listed(claim.role_groups):
            if not (fig.has(table, key, g, 2002) and fig.has(table, key, g, 2015)):
                continue
            now, was = fig.value(table, key, g, 2015), fig.value(table, key, g, 2002)
            checks, notes = [], [f"{fig.abbr[g]} {was.text()} in 2002, {now.text()} in 2015"]
            up = fig.above(claim.direction, key) if listed(claim.direction) else None
            if up is not None:
                diff = now - was if up else was - now
                checks.append(cmp.above(diff, 0))
                if claim.word == "much":
                    checks.append(cmp.at_least(diff, cmp.MUCH_POINTS))
                    notes.append(f"{'rise' if up else 'fall'} {diff.text(' points')}")
                elif claim.word in ("roughly_times", "almost_times"):
                    base, year = (was, 2002) if up else (now, 2015)
                    if base.lo <= 0:
                        raise FiguresError(f"{fig.label(key)}, {fig.abbr[g]}: no multiple of {base.text()} in "
                                           f"{year} can be read", cells(key, [year], [g]))
                    ratio = now / was if up else was / now
                    checks.append(cmp.reads(claim.word, ratio, cmp.amount(claim.amount)))
                    notes.append(f"ratio {ratio.text('', 2)} (read as {cmp.reading_text(claim.word, cmp.amount(claim.amount))})")
                for o in listed(claim.other_groups):
                    if o == g:
                        continue
                    o_now, o_was = fig.value(table, key, o, 2015), fig.value(table, key, o, 2002)
                    o_diff = o_now - o_was if up else o_was - o_now
                    checks.append(cmp.greater(diff, o_diff))
                    notes.append(f"change {diff.text(' points')} against {fig.abbr[o]} {o_diff.text(' points')}")
            if pd.notna(claim.significance):
                t = fig.changes[(key, g)]
                checks.append(cmp.significance(t["derived_p_min"], t["derived_p_max"], claim.significance == "significant"))
                notes.append(cmp.p_text(t["derived_p_min"], t["derived_p_max"]))
            words = [w for w in (("up" if up else "down") if up is not None else "",
                                 {"significant": "significantly", "not_significant": "not significantly"}.get(
                                     claim.significance, "")) if w]
            parts.append(Part(f"{fig.label(key)}: {fig.abbr[g]} {' '.join(words)}", cmp.all_of(checks),
                              "; ".join(notes), table, key, g))
    return parts


def pairwise(claim, fig: Figures) -> list[Part]:
    """Each named group against each other group, item by item: the direction on the feasible ranges and a
    two-group test over the feasible denominators."""
    margin = _margin(claim)
    parts = []
    for table, key in fig.keys(listed(claim.tables), listed(claim.items)):
        for a in listed(claim.role_groups):
            for b in listed(claim.other_groups):
                va, vb = fig.value(table, key, a, 2015), fig.value(table, key, b, 2015)
                p_min, p_max = fig.pairwise(key, a, b)
                checks = [cmp.significance(p_min, p_max)]
                if claim.direction != "either":
                    high = fig.above(claim.direction, key)
                    checks.append(cmp.greater(va, vb, margin) if high else cmp.greater(vb, va, margin))
                    how = ("above" if high else "below") + (f" by {margin}+ points" if margin else "")
                else:
                    how = "different from"
                parts.append(Part(f"{fig.label(key)}: {fig.abbr[a]} significantly {how} {fig.abbr[b]}",
                                  cmp.all_of(checks), f"{fig.abbr[a]} {va.text()}, {fig.abbr[b]} {vb.text()}; "
                                  f"{cmp.p_text(p_min, p_max)}", table, key, a, 2015))
    return parts


def across_p(fig: Figures, key: str, table: str) -> tuple[float, float, str]:
    """The p-value range of the test across the four groups on one item, and where it comes from: the report's
    own (significance_checks) where it printed one, else Pearson's chi-squared over every feasible 2 x 4 table."""
    if key in fig.significance:
        s = fig.significance[key]
        return s["derived_p_min"], s["derived_p_max"], f"printed {s['printed_marker']}; rerun "
    counts, ranges = zip(*[fig.counts(key, g) for g in fig.four])
    p_min, p_max, expected = statistics.chi_squared_range(list(counts), [(r.start, r.stop - 1) for r in ranges])
    if expected < 5:
        raise FiguresError(f"{fig.label(key)} ({table}): the chi-squared test across the four groups meets "
                           "feasible tables with expected counts below 5, where the report used Fisher's exact test",
                           fig.suspects(cells(key, [2015], fig.four)))
    return p_min, p_max, "no printed test; chi-squared "


def across_groups(claim, fig: Figures) -> list[Part]:
    """The test across the four groups, item by item (across_p)."""
    significant = claim.significance == "significant"
    parts = []
    for table, key in fig.keys(listed(claim.tables), listed(claim.items)):
        p_min, p_max, note = across_p(fig, key, table)
        parts.append(Part(f"{fig.label(key)}: groups {'differ' if significant else 'alike'}",
                          cmp.significance(p_min, p_max, significant), note + cmp.p_text(p_min, p_max), table, key,
                          OVERALL, 2015))
    return parts


def rank(claim, fig: Figures) -> list[Part]:
    """The order of the rows of one column (the overall column, a group's row of Table 1.2), in each column the
    claim names: the named rows the top ones (top), each named row at its own rank from the first one given
    (in_order: a part per row, so a group where only the first holds shows which), or a row outside the top k."""
    table = listed(claim.tables)[0]
    year = int(claim.survey_year) if pd.notna(claim.survey_year) else 2015
    named = listed(claim.items)
    n = int(cmp.amount(claim.amount)) if pd.notna(claim.amount) else 1
    if claim.word not in ("top", "in_order", "outside_top"):
        raise ValueError(f"claim {claim.claim_id}: rank reads top, in_order or outside_top, not {claim.word!r}")
    parts = []
    for g in listed(claim.role_groups):
        values = {k: fig.value(t, k, g, year) for t, k in fig.keys([table], [])}
        shown = ", ".join(f"{fig.label(k)} {v.text()}" for k, v in sorted(values.items(), key=lambda kv: -kv[1].lo))
        if claim.word == "top":
            found = [(named, cmp.top(values, named), f"the top {len(named)}")]
        elif claim.word == "in_order":
            found = [([k], cmp.ranks(values, [k], n + i), f"rank {n + i}") for i, k in enumerate(named)]
        else:
            found = [(named[:1], cmp.outside_top(values, named[0], n), f"not in the top {n}")]
        parts += [Part(f"{fig.abbr[g]}: {'; '.join(fig.label(k) for k in ks)}: {what}", v, shown, table,
                       ks[0] if ks[0] in fig.items else None, g, year) for ks, v, what in found]
    return parts


def rank_bound(claim, fig: Figures) -> list[Part]:
    """Among the top k in each wave: directly where the wave prints every row, else by the bound that 'choose
    up to m' puts on the column (comparisons.top_by_column_sum)."""
    table, g, key = listed(claim.tables)[0], listed(claim.role_groups)[0], listed(claim.items)[0]
    k = int(cmp.amount(claim.amount))
    parts = []
    for year in (2015, 2002):
        rows = [r for _, r in fig.keys([table], [])]
        v_item = fig.value(table, key, g, year)
        if all(fig.has(table, r, g, year) for r in rows):
            above = [cmp.greater(fig.value(table, r, g, year), v_item) for r in rows if r != key]
            sure, possible = above.count(cmp.HOLDS), len(above) - above.count(cmp.FAILS)
            v = cmp.HOLDS if possible < k else cmp.FAILS if sure >= k else cmp.DEPENDS
            result = f"{fig.abbr[g]} {v_item.text()}; {sure} rows certainly above it"
        else:
            m = CHOICES[fig.items[key]["question_type"]]
            v = cmp.top_by_column_sum(v_item, k, 100 * m)
            result = (f"{fig.abbr[g]} {v_item.text()}; up to {m} choices: the column sums to at most {100 * m}%, "
                      f"so {k} other rows at or above {float(v_item.lo):g}% would need {(k + 1) * float(v_item.lo):g}%")
        parts.append(Part(f"{fig.label(key)}, {year}: among the top {k}", v, result, table, key, g, year))
    return parts


def missing_share(claim, fig: Figures) -> list[Part]:
    """The typical (median) share of missing answers in the 2015 group cells of the tables where the printed
    counts reveal them, against 'around x or lower'."""
    if claim.word != "around":
        raise ValueError(f"claim {claim.claim_id}: missing_share reads 'around x or lower', not {claim.word!r}")
    c = fig.res["cell_denominators"]
    c = c[c.table_id.isin(listed(claim.tables)) & c.derived_reconciles.fillna(False).astype(bool)]
    shares = [cmp.Interval(Fraction(100 * int(r.derived_missing_min), int(r.group_n)),
                           Fraction(100 * int(r.derived_missing_max), int(r.group_n))) for r in c.itertuples()]
    median = cmp.median_interval(shares)
    x = cmp.amount(claim.amount)
    over = sum(s.lo > x for s in shares), sum(s.hi > x for s in shares)
    pooled = cmp.Interval(Fraction(100 * int(c.derived_missing_min.sum()), int(c.group_n.sum())),
                          Fraction(100 * int(c.derived_missing_max.sum()), int(c.group_n.sum())))
    return [Part(f"median share of missing answers at most {float(x + cmp.AROUND_POINTS):.3g}%",
                 cmp.at_most(median, x + cmp.AROUND_POINTS),
                 f"{len(shares)} group cells of {', '.join(listed(claim.tables))}: median {median.text()}, pooled "
                 f"{pooled.text()}; {over[0]} to {over[1]} cells above {float(x):g}%")]


def bases(claim, fig: Figures) -> list[Part]:
    """Per table: are its percentages over those who answered? The implied missing answers of its group
    cells (cell_denominators) and the base that reproduces its overall column (tables.derived_overall_base)."""
    c = fig.res["cell_denominators"]
    base = table_bases(fig.res["overall_bases"])
    parts = []
    for t in listed(claim.tables):
        missing = int((c[c.table_id == t].derived_missing_min.fillna(0) > 0).sum())
        b = base[t]
        if b == "all_respondents":
            v, note = cmp.FAILS, "its overall column is over all 472 respondents, those who did not answer included"
        elif missing:
            v, note = cmp.HOLDS, ("its overall column is over those who answered" if b == "answered" else
                                  "either base reproduces its overall column")
        else:
            v, note = cmp.UNDECIDABLE, "no missing answer shows in its counts and either base reproduces it"
        parts.append(Part(f"Table {t[1:]}: over those who answered", v,
                          f"{missing} group cells imply missing answers; {note}", t))
    return parts


def back_calculation(claim, fig: Figures) -> list[Part]:
    """A share of all respondents the text gives (with clinical commitments) against what the table's
    group rows allow: each row's counts must round to its printed percentages over one denominator, the
    denominators summing to the table's n."""
    table, key, figure_id = listed(claim.tables)[0], listed(claim.items)[0], listed(claim.figures)[0]
    rp = fig.res["role_profile"]
    rp = rp[rp.table_id == table]
    table_n = int(rp.table_n.iloc[0])
    slack = int(sum(fig.sizes[g] for g in fig.four)) - table_n
    reach: dict[int, set[int]] = {0: {0}}  # sum of the groups' denominators -> the possible sums of the others
    for g in fig.four:
        row = rp[rp.role_group == g]
        cats, n = list(row.category_id), int(fig.sizes[g])
        pairs = {(d, d - counts[cats.index(key)]) for d, counts in
                 cmp.distributions(list(row.percent.astype(int)), n - slack, n)}
        step: dict[int, set[int]] = {}
        for total, sums in reach.items():
            for d, x in pairs:
                if total + d <= table_n:
                    step.setdefault(total + d, set()).update(w + x for w in sums)
        reach = step
    shares = sorted(reach.get(table_n, set()))
    if not shares:
        return [Part("the group rows allow the table's n", cmp.FAILS, f"no rows reproduce n={table_n}", table)]
    printed = int(fig.figures[figure_id]["derived_value"])
    reachable = sorted({int(round_half_up(w, table_n)) for w in shares})
    lo, hi = Fraction(100 * shares[0], table_n), Fraction(100 * shares[-1], table_n)
    return [Part(f"the text's {printed}% from the group rows of Table {table[1:]}",
                 cmp.HOLDS if printed in reachable else cmp.FAILS,
                 f"the rows allow {cmp.Interval(lo, hi).text()} of n={table_n}, printed as "
                 f"{', '.join(f'{r}%' for r in reachable)}", table),
            Part(f"{printed}%: {cmp.reading_text('majority')}", cmp.reads("majority", cmp.rounded(printed)),
                 f"{cmp.rounded(printed).text()}", table)]


def response_rate(claim, fig: Figures) -> list[Part]:
    """An overall response rate the text gives against the group rates it gives: the recipients each group's
    rate allows (derived.recipients), summed, with every respondent over them; the online recipients alone
    beside it, for the reader."""
    rate_id, online_id = listed(claim.figures)
    lo, hi = (int(x.sum()) for x in recipients(fig.res["role_groups"]))
    total = int(fig.sizes[OVERALL])
    v = cmp.counted(total, lo, hi)
    printed, prints = int(fig.figures[rate_id]["derived_value"]), sorted(cmp.roundings(v))
    rates = fig.res["role_groups"].set_index("role_group").loc[fig.four, "response_rate_percent"]
    online = int(fig.figures[online_id]["derived_value"])
    return [Part(f"the text's {printed}% from the group rates", cmp.HOLDS if printed in prints else cmp.FAILS,
                 f"the group rates ({', '.join(f'{fig.abbr[g]} {int(r)}%' for g, r in rates.items())}) allow "
                 f"{lo:,}–{hi:,} recipients, and {total} of them is {v.text()}, printed as "
                 f"{' or '.join(f'{p}%' for p in prints)}; {total} of the {online:,} online recipients alone is "
                 f"{percent_1dp(total, online):g}%")]


def nonresponse(claim, fig: Figures) -> list[Part]:
    """Respondents who skipped a question: each item's group denominators must fit in those who answered."""
    table = listed(claim.tables)[0]
    skipped = int(fig.figures[listed(claim.figures)[0]]["derived_value"])
    answered = int(fig.sizes[OVERALL]) - skipped
    parts = []
    for _, key in fig.keys([table], []):
        lo = sum(fig.counts(key, g)[1].start for g in fig.four)
        hi = sum(fig.counts(key, g)[1].stop - 1 for g in fig.four)
        parts.append(Part(f"{fig.label(key)}: group denominators fit in {answered} who answered",
                          cmp.HOLDS if lo <= answered else cmp.FAILS, f"they sum to {lo}–{hi}", table, key))
    base = table_bases(fig.res["overall_bases"])[table]
    parts.append(Part("the overall column over all respondents", cmp.HOLDS if base == "all_respondents" else cmp.FAILS,
                      f"the overall percentages reproduce over: {base.replace('_', ' ')}", table))
    return parts


QUALIFIER_WORDS = {"over": "over", "at_least": "at_least", "less_than": "under", "around": "around"}


def figures_sum(claim, fig: Figures) -> list[Part]:
    """A share the text states in words against the sum of the parts it gives."""
    whole, *parts_ids = listed(claim.figures)
    total = sum((fig.figure(f) for f in parts_ids[1:]), fig.figure(parts_ids[0]))
    w = fig.figures[whole]
    word = QUALIFIER_WORDS[w["derived_qualifier"]]
    x = cmp.fraction(float(w["derived_value"]))
    return [Part(f"'{w['value_text']}' from {', '.join(parts_ids)}", cmp.reads(word, total, x),
                 " + ".join(fig.figure(f).text() for f in parts_ids) + f" = {total.text()}; read as "
                 + cmp.reading_text(word, x))]


def figure_threshold(claim, fig: Figures) -> list[Part]:
    f = listed(claim.figures)[0]
    v = fig.figure(f)
    return [Part(f"{fig.figures[f]['value_text']}: {cmp.reading_text(claim.word, cmp.amount(claim.amount))}",
                 cmp.reads(claim.word, v, cmp.amount(claim.amount)), v.text())]


def _apart(vals: dict[str, cmp.Interval], g: str) -> str:
    """g at least 10 points below, or above, every other group."""
    others = [o for o in vals if o != g]
    below = cmp.all_of(cmp.greater(vals[o], vals[g], cmp.MUCH_POINTS) for o in others)
    above = cmp.all_of(cmp.greater(vals[g], vals[o], cmp.MUCH_POINTS) for o in others)
    return cmp.HOLDS if cmp.HOLDS in (below, above) else cmp.FAILS if below == above == cmp.FAILS else cmp.DEPENDS


def homogeneity(claim, fig: Figures) -> list[Part]:
    """One theme where a group does not stand markedly apart and the groups are much more alike than elsewhere.
    The group is not 10 points apart from every other group on any item of it, but is on some item of each other
    table (the negation of 'on no item'); the groups are alike on each of the theme's items (the test across the
    four groups not significant for every feasible denominator, as across_groups reads alike); and the share of
    the theme's items on which they are alike is at least 10 points above each other table's."""
    alike, *others = listed(claim.tables)
    g = listed(claim.role_groups)[0]

    def rows(t):
        return {k: {h: fig.value(t, k, h, 2015) for h in fig.four} for _, k in fig.keys([t], [])}

    def share(t):
        found = [cmp.significance(*across_p(fig, k, t)[:2], significant=False) for _, k in fig.keys([t], [])]
        sure, maybe = found.count(cmp.HOLDS), found.count(cmp.DEPENDS)
        v = cmp.Interval(Fraction(100 * sure, len(found)), Fraction(100 * (sure + maybe), len(found)))
        return v, f"{sure}" + (f"–{sure + maybe}" if maybe else "") + f" of {len(found)} items alike ({v.text()})"

    parts = [Part(f"{fig.label(k)}: {fig.abbr[g]} not 10 points apart from every other group",
                  cmp.negation(_apart(vals, g)), fig.values_text(vals), alike, k, g, 2015)
             for k, vals in rows(alike).items()]
    for _, k in fig.keys([alike], []):  # alike item by item, as across_groups reads it
        p_min, p_max, note = across_p(fig, k, alike)
        parts.append(Part(f"{fig.label(k)}: groups alike", cmp.significance(p_min, p_max, significant=False),
                          note + cmp.p_text(p_min, p_max), alike, k, OVERALL, 2015))
    share_alike, text_alike = share(alike)
    for t in others:
        apart = [_apart(vals, g) for vals in rows(t).values()]
        v = cmp.HOLDS if cmp.HOLDS in apart else cmp.DEPENDS if cmp.DEPENDS in apart else cmp.FAILS
        parts.append(Part(f"Table {t[1:]}: {fig.abbr[g]} 10 points apart from every other group on some item", v,
                          f"{apart.count(cmp.HOLDS)} of {len(apart)} items", t, None, g, 2015))
        share_t, text_t = share(t)
        parts.append(Part(f"Table {t[1:]}: share of items where the groups are alike 10 points or more below "
                          f"Table {alike[1:]}'s", cmp.greater(share_alike, share_t, cmp.MUCH_POINTS),
                          f"Table {alike[1:]} {text_alike}; Table {t[1:]} {text_t}", t, None, OVERALL, 2015))
    return parts


def shortfall(claim, fig: Figures) -> list[Part]:
    """The named items are those on which the group falls furthest below the lowest other group."""
    table, g = listed(claim.tables)[0], listed(claim.role_groups)[0]
    gaps = {}
    for _, k in fig.keys([table], []):
        vals = {h: fig.value(table, k, h, 2015) for h in fig.four}
        lowest = [v for h, v in vals.items() if h != g]
        low = cmp.Interval(min(v.lo for v in lowest), min(v.hi for v in lowest))
        gaps[k] = low - vals[g]
    named = listed(claim.items)
    return [Part(f"{fig.label(k)}: {fig.abbr[g]}'s gap below the next group larger than on every other item",
                 cmp.all_of(cmp.greater(gaps[k], gaps[o]) for o in gaps if o not in named),
                 f"gap {gaps[k].text(' points')}; largest elsewhere "
                 f"{max(float(gaps[o].hi) for o in gaps if o not in named):.1f} points", table, k, g, 2015)
            for k in named]


def distribution(claim, fig: Figures) -> list[Part]:
    """Rows of shares that cover everyone (a role group's row of Tables 1.1 and 1.2): a total other than 100 is
    rounding when whole counts over one denominator reproduce every share of the row."""
    rp = fig.res["role_profile"]
    parts = []
    for t in listed(claim.tables):
        rows = rp[rp.table_id == t]
        slack = int(sum(fig.sizes[g] for g in fig.four)) - int(rows.table_n.iloc[0])
        for g in fig.four:
            row = rows[rows.role_group == g]
            n = int(fig.sizes[g])
            found = cmp.distributions(list(row.percent.astype(int)), n - slack, n)
            ds = sorted({d for d, _ in found})
            parts.append(Part(f"Table {t[1:]}: {fig.abbr[g]}'s {len(row)} shares, summing to {int(row.percent.sum())}%, "
                              "from whole counts", cmp.HOLDS if found else cmp.FAILS,
                              f"reproduced over {ds[0]}–{ds[-1]} respondents" if found else
                              f"no whole counts over {n - slack}–{n} respondents reproduce them", t, None, g, 2015))
    return parts


def undecidable(claim, fig: Figures) -> list[Part]:
    # the reason without its full stop: the verdict in words follows it in the claim's result
    return [Part("the printed figures", cmp.UNDECIDABLE, str(claim.reason).rstrip("."))]


COMPARISONS: dict[str, Callable] = {f.__name__: f for f in (
    extreme, ordering, threshold, items_ordering, change, pairwise, across_groups, rank, rank_bound, missing_share,
    bases, back_calculation, response_rate, nonresponse, figures_sum, figure_threshold, homogeneity, shortfall,
    distribution, undecidable)}

SHOWN_PARTS = 6  # a claim's result lists at most this many parts that do not hold; claim_parts has them all


def part_text(p: Part) -> str:
    """A part as claim_parts gives it (its part, then its result), with its verdict in words unless it holds."""
    return f"{p.label}: {p.result}" + ("" if p.verdict == cmp.HOLDS else f" ({cmp.VERDICT_WORDS[p.verdict]})")


def summary(parts: list[Part]) -> str:
    """The numbers that decided a claim, in one sentence of parts between semicolons: every part where there
    are a few, else how many hold and the parts that do not (claim_parts has every part)."""
    if len(parts) <= SHOWN_PARTS // 2:
        return "; ".join(part_text(p) for p in parts)
    held = sum(p.verdict == cmp.HOLDS for p in parts)
    rest = [p for p in parts if p.verdict != cmp.HOLDS]
    text = f"{held} of {len(parts)} parts hold"
    if rest:
        lead = ": " if not held else "; the other: " if len(rest) == 1 else f"; the other {len(rest)}: "
        more = (f"; and {len(rest) - SHOWN_PARTS} more (claim_parts lists every part)"
                if len(rest) > SHOWN_PARTS else "")
        text += lead + "; ".join(part_text(p) for p in rest[:SHOWN_PARTS]) + more
    return text


def _odd_cells(claim, fig: Figures) -> list[tuple]:
    """The 2015 group cells of a claim's rows whose count reproduces no percentage (none where the claim's
    own columns do not name rows)."""
    try:
        keys = [k for _, k in fig.keys(listed(claim.tables), listed(claim.items) + listed(claim.other_items))
                if k in fig.items]
    except (KeyError, StopIteration):
        return []
    return fig.odd([c for k in keys for c in cells(k, [2015], fig.four)])


def on_both_bases(claim, fig: Figures) -> bool:
    """Whether a claim reads the overall column of a table printed over all respondents (Table 2.11), whose
    share over those who answered is as feasible a value of what the claim is about."""
    return OVERALL in listed(claim.role_groups) and bool(set(listed(claim.tables)) & fig.all_respondents_tables)


def both_bases(printed: Part, answered: Part, n: int) -> Part:
    """A part decided over both bases: its verdict where they agree, else it depends (on the denominator)."""
    if printed.result == answered.result:
        return printed
    return replace(printed, verdict=printed.verdict if printed.verdict == answered.verdict else cmp.DEPENDS,
                   result=f"over all {n} respondents, as printed: {printed.result}; over those who answered: "
                          f"{answered.result}")


def evaluate(claims: pd.DataFrame, res: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(claims with their verdict, the parts of every claim with theirs)."""
    fig = Figures(res)
    answered = fig.over_answered()
    first = res["claim_sections"].sort_values(["claim_id", "position"]).groupby("claim_id").section.first()
    out, rows = [], []
    plain = claims.astype(object).where(claims.notna(), None)  # missing as None, not pd.NA: 'word == "much"' decides
    for claim in plain.sort_values("claim_order").itertuples(index=False):
        try:
            parts = COMPARISONS[claim.comparison](claim, fig)
            if on_both_bases(claim, fig):
                parts = [both_bases(p, q, fig.sizes[OVERALL])
                         for p, q in zip(parts, COMPARISONS[claim.comparison](claim, answered), strict=True)]
        except FiguresError as e:
            raise FiguresError(f"claim {claim.claim_id} cannot be decided: {e.problem}", e.rests_on) from None
        # A mistyped claim, or figures no comparison foresaw, is named where typed; any other exception is a
        # bug in the code and keeps its traceback.
        except (KeyError, ValueError, ArithmeticError, IndexError, StopIteration) as e:
            said = f": {e}" if isinstance(e, (KeyError, ValueError)) else " on these figures"
            raise FiguresError(f"claim {claim.claim_id} cannot be decided{said}",
                               [("claims", claim.claim_id)] + _odd_cells(claim, fig)) from e
        if not parts:
            raise FiguresError(f"claim {claim.claim_id}: no figure to decide it on", [("claims", claim.claim_id)])
        quantifier = claim.quantifier if pd.notna(claim.quantifier) else "all"
        verdicts = [p.verdict for p in parts]
        out.append({**claim._asdict(), "section": first[claim.claim_id],
                    "derived_verdict": cmp.combine(verdicts, quantifier), "derived_parts": len(parts),
                    "derived_parts_holding": verdicts.count(cmp.HOLDS), "derived_result": summary(parts)})
        rows += [{"claim_id": claim.claim_id, "part_order": i, "table_id": p.table_id, "item_id": p.item_id,
                  "role_group": p.role_group, "survey_year": p.survey_year, "part": p.label,
                  "derived_verdict": p.verdict, "derived_result": p.result} for i, p in enumerate(parts, 1)]
    whole = {"claim_order": "int64", "survey_year": "Int64", "derived_parts": "int64", "derived_parts_holding": "int64"}
    return pd.DataFrame(out).astype(whole), pd.DataFrame(rows).astype({"part_order": "int64", "survey_year": "Int64"})
