"""The arithmetic rules, each a pandera check over one frame of subjects (cells, items or figures).

Every rule builds its frame with vectorised pandas/numpy and decides pass or fail with one
vectorised pandera Check; `findings` returns the subjects that fail, keyed as in the register.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis import arithmetic as ar
from analysis import comparisons as cmp
from analysis.derived import OVERALL, group_cells, groups, recipients
from analysis.feasible import Figures

KEYS = ["table_id", "item_id", "figure_id", "claim_id", "role_group", "survey_year"]
CHOOSE_UP_TO = {"choose_up_to_three": 3}


def s(x) -> pd.Series:
    """Any column as text for messages."""
    return pd.Series(x).astype("string")


def keyed(df: pd.DataFrame, **values) -> pd.DataFrame:
    df = df.reset_index(drop=True).copy()
    for k in KEYS:
        if k in values:
            df[k] = values[k]
        elif k not in df:
            df[k] = pd.NA
    df["survey_year"] = df["survey_year"].astype("Int64")
    for k in KEYS[:-1]:
        df[k] = df[k].astype("string")
    return df


def figure(res, figure_id: str) -> float:
    tf = res["text_figures"]
    return float(tf.loc[tf.figure_id == figure_id, "derived_value"].iloc[0])


# --- the frames -------------------------------------------------------------------------------

def count_frame(res):
    d = res["cell_denominators"].copy()
    d["printed"] = s(d.percent) + "% (" + s(d["count"]) + ") of n=" + s(d.group_n)
    # Where no denominator up to n reproduces the printed percentage, say so (not "none–none").
    implied = ("implied denominators " + s(d.derived_denominator_min) + "–" + s(d.derived_denominator_max)).fillna(
        "no denominator from the count to n reproduces " + s(d.percent) + "%")
    d["recomputed"] = (s(d["count"]) + "/" + s(d.group_n) + " = " + s(ar.percent_1dp(d["count"], d.group_n))
                       + "%; " + implied + "; count at n " + s(d.derived_count_at_n))
    return keyed(d, survey_year=2015)


# The largest share of missing answers that the report's own cells imply: 27 of 132 directorate managers
# (20.5%), in four items of Table 2.11 (tests/test_plausibility.py finds it from the printed cells). The text
# puts missing answers at "typically around 5% or lower" (the claim missing_answers_typically_5_or_lower),
# and most cells imply none to a few. A cell that implies more missing answers than any cell of the report
# is likelier mistyped than true (92% (80) of n=131 for 62% (80) implies 44 missing, a third), so it is
# refused unless the register explains it.
MOST_MISSING = (27, 132)


def missing_frame(res):
    d = res["cell_denominators"]
    d = d[d.derived_missing_min.notna()]
    low, high, n = d.derived_missing_min, d.derived_missing_max, d.group_n
    most, of = MOST_MISSING
    d["printed"] = s(d.percent) + "% (" + s(d["count"]) + ") of n=" + s(n)
    d["recomputed"] = ("it implies " + s(low).where(low == high, s(low) + " to " + s(high)) + " of " + s(n)
                       + " answers missing (" + s(ar.percent_1dp(low, n)) + "%); the largest the report's own "
                       f"cells imply is {most} of {of} ({ar.percent_1dp(most, of)}%)")
    return keyed(d, survey_year=2015)


def overall_frame(res):
    d = res["overall_bases"].copy()
    d["overall_n"] = int(res["role_groups"].set_index("role_group").loc[OVERALL, "respondents"])
    d["printed"] = "overall " + s(d.percent) + "%"
    d["recomputed"] = (s(d.derived_count_sum) + " over " + s(d.derived_denominator_sum_min) + "–"
                       + s(d.derived_denominator_sum_max) + " who answered = " + s(d.derived_percent_over_answered_min)
                       + "–" + s(d.derived_percent_over_answered_max) + "%; over " + s(d.overall_n) + " = "
                       + s(d.derived_percent_over_all) + "%")
    return keyed(d, role_group=OVERALL, survey_year=2015)


def printed_cells(res) -> pd.DataFrame:
    """The cells the tables print (survey_results also holds figures only the text gives)."""
    r = res["survey_results"]
    return r[r.printed_in == "table"]


def range_frame(res):
    r = printed_cells(res)
    by_item = r[r.role_group != OVERALL].groupby(["table_id", "item_id", "survey_year"], sort=False)["percent"]
    d = by_item.agg(low="min", high="max").reset_index()
    overall = r[r.role_group == OVERALL][["item_id", "survey_year", "percent"]]
    d = d.merge(overall, on=["item_id", "survey_year"], validate="1:1")
    d["printed"] = "overall " + s(d.percent) + "%; groups " + s(d.low) + "–" + s(d.high) + "%"
    d["recomputed"] = "an average of the groups lies within " + s(d.low - 1) + "–" + s(d.high + 1) + "% after rounding"
    return keyed(d, role_group=OVERALL)


def distribution_frame(res):
    p = res["role_profile"]
    d = p.groupby(["table_id", "role_group"], sort=False)["percent"].agg(total="sum", k="count").reset_index()
    d["printed"] = s(d.k) + " categories summing to " + s(d.total) + "%"
    d["recomputed"] = "rounding allows " + s(100 - (d.k - 1) // 2) + "–" + s(100 + d.k // 2) + "%"
    return keyed(d, survey_year=2015)


def group_n_frame(res):
    r = group_cells(res["survey_results"])
    d = r.groupby(["table_id", "role_group"], sort=False)["group_n"].agg(low="min", high="max").reset_index()
    d = d.merge(res["role_groups"][["role_group", "respondents"]], on="role_group", validate="m:1")
    d["printed"] = "column n=" + s(d.low) + "; respondents in the text " + s(d.respondents)
    d["recomputed"] = "equal"
    return keyed(d, survey_year=2015)


def share_frame(res):
    rg = res["role_groups"]
    total = int(rg.set_index("role_group").loc[OVERALL, "respondents"])
    d = rg[rg.role_group != OVERALL][["role_group", "respondents", "share_of_respondents_percent"]]
    d = d.rename(columns={"respondents": "part", "share_of_respondents_percent": "share"})
    nonresponse = pd.DataFrame({"figure_id": ["in_nonresponse_share"], "role_group": [OVERALL],
                                "table_id": ["T2.11"], "part": [int(figure(res, "in_nonresponse_count"))],
                                "share": [int(figure(res, "in_nonresponse_share"))]})
    d = pd.concat([d, nonresponse], ignore_index=True)
    d["whole"] = total
    d["printed"] = s(d.part) + " of " + s(d.whole) + " printed as " + s(d.share) + "%"
    d["recomputed"] = s(ar.percent_1dp(d.part, d.whole)) + "%"
    return keyed(d, survey_year=2015)


def respondents_frame(res):
    four = groups(res["role_groups"])
    rg = res["role_groups"].set_index("role_group")
    d = pd.DataFrame({"parts": [int(rg.loc[four, "respondents"].sum())],
                      "whole": [int(rg.loc[OVERALL, "respondents"])]})
    d["printed"] = "groups " + ", ".join(str(int(v)) for v in rg.loc[four, "respondents"]) + "; overall " + s(d.whole)
    d["recomputed"] = "groups sum to " + s(d.parts)
    return keyed(d, role_group=OVERALL, survey_year=2015)


def response_rate_frame(res):
    four = groups(res["role_groups"])
    rg = res["role_groups"].set_index("role_group")
    rate = rg.loc[four, "response_rate_percent"]
    lo, hi = recipients(res["role_groups"])
    total, overall_rate = int(rg.loc[OVERALL, "respondents"]), int(rg.loc[OVERALL, "response_rate_percent"])
    online, postal = int(figure(res, "online_recipients")), int(figure(res, "postal_recipients"))
    d = pd.DataFrame({"respondents": [total], "rate": [overall_rate], "recipients_min": [int(lo.sum())],
                      "recipients_max": [int(hi.sum())], "online_recipients": [online], "postal_recipients": [postal]})
    d["printed"] = (f"overall {overall_rate}%; groups " + ", ".join(f"{r}%" for r in rate)
                    + f"; recipients {online:,} online and {postal:,} postal")
    d["recomputed"] = (f"group rates imply {int(lo.sum()):,}–{int(hi.sum()):,} recipients, giving "
                       f"{ar.percent_1dp(total, hi.sum())}–{ar.percent_1dp(total, lo.sum())}% overall; "
                       f"{total} of {online:,} = {ar.percent_1dp(total, online)}%; "
                       f"{total} of {online + postal:,} = {ar.percent_1dp(total, online + postal)}%")
    return keyed(d, role_group=OVERALL, survey_year=2015)


QUALIFIER_WORDS = {"around": "around", "over": "over", "less_than": "under", "at_least": "at_least"}


def _text_verdict(fig: Figures, r) -> tuple[str, set[int], set[int], str]:
    """A text figure against every value its table's figures allow: (verdict, the whole percentages they
    print as, the same over all the group's respondents for a row of shares, the feasible values in words).

    An exact figure holds when the table's feasible values print as it (a share of Table 1.2 with clinical
    commitments from every cell of the row, not from its complement alone); a figure with a qualifier
    ('around two thirds', 'at least a quarter') is read as comparisons.WORDS reads it."""
    complement = r.compares_as == "complement"
    if pd.notna(r.category_id):
        rp = fig.res["role_profile"]
        row = rp[(rp.table_id == r.table_id) & (rp.role_group == r.role_group)]
        cats, n = list(row.category_id), int(fig.sizes[r.role_group])
        slack = int(sum(fig.sizes[g] for g in fig.four)) - int(row.table_n.max())  # the table's n, on every row
        i = cats.index(r.category_id)
        shares = [(d, d - c[i] if complement else c[i]) for d, c in
                  cmp.distributions(list(row.percent.astype(int)), n - slack, n)]
        printed = {int(ar.round_half_up(x, d)) for d, x in shares}
        over_all = {int(ar.round_half_up(x, n)) for _, x in shares}
        lo, hi = min(Fraction(x, d) for d, x in shares), max(Fraction(x, d) for d, x in shares)
        values = cmp.Interval(100 * lo, 100 * hi)
    else:
        values = fig.value(r.table_id, r.item_id, r.role_group, int(r.survey_year))
        values = values.complement() if complement else values
        printed, over_all = cmp.roundings(values), set()
    v = cmp.fraction(float(r.derived_value))
    if r.derived_qualifier == "exact":
        verdict = cmp.HOLDS if int(v) in printed else cmp.FAILS
    else:
        verdict = cmp.reads(QUALIFIER_WORDS[r.derived_qualifier], values, v)
    return verdict, printed, over_all, values.text()


def text_frame(res):
    tf = res["text_figures"]
    tf = tf[tf.compares_as.notna() & (tf.unit == "percent")]
    items = tf[tf.item_id.notna()].merge(printed_cells(res)[["item_id", "survey_year", "role_group", "percent"]],
                                         on=["item_id", "survey_year", "role_group"], validate="m:1")
    cats = tf[tf.category_id.notna()].merge(res["role_profile"][["table_id", "category_id", "role_group", "percent"]],
                                            on=["table_id", "category_id", "role_group"], validate="m:1")
    d = pd.concat([items, cats], ignore_index=True)
    fig = Figures(res)
    found = [_text_verdict(fig, r) for r in d.itertuples()]
    d["verdict"] = [f[0] for f in found]
    d["prints_as"] = [",".join(map(str, sorted(f[1]))) for f in found]
    d["prints_over_group"] = [",".join(map(str, sorted(f[2]))) for f in found]
    d["printed"] = "text '" + d.value_text + "' (" + d.subject + "); table " + s(d.percent) + "%"
    d["recomputed"] = (np.where(d.compares_as == "complement", "100 − table: ", "table: ") + [f[3] for f in found]
                       + ", printed as " + d.prints_as.str.replace(",", " or ") + "%")
    return keyed(d)


def text_results_frame(res):
    """The text's figures for an item, wave and role group that no table prints, against their rows
    in survey_results (printed_in = 'text'), matched by figure_id."""
    tf = res["text_figures"]
    keys = ["item_id", "survey_year", "role_group"]
    cells = printed_cells(res)[keys].assign(in_table=True)
    tf = tf[tf.item_id.notna() & tf.role_group.notna() & (tf.unit == "percent") & (tf.derived_qualifier == "exact")]
    tf = tf.merge(cells, on=keys, how="left")
    tf = tf[tf.in_table.isna()]
    rows = res["survey_results"]
    rows = rows[rows.printed_in == "text"]
    d = tf[["figure_id", *keys, "derived_value", "compares_as"]].merge(
        rows[["figure_id", "table_id", *keys, "percent", "compares_as"]], on="figure_id", how="outer",
        suffixes=("", "_row"), indicator=True)
    for k in keys:  # a row with no figure keeps its own key, for the message
        d[k] = d[k].fillna(d[f"{k}_row"])
    d["table_id"] = d.table_id.fillna(d.item_id.map(res["items"].set_index("item_id")["table_id"]))
    d["printed"] = "text figure " + d.figure_id + " (" + d.item_id + ") = " + s(d.derived_value).fillna("none")
    d["recomputed"] = ("survey_results row: " + s(d.item_id_row).fillna("none") + ", " + s(d.role_group_row).fillna("")
                       + ", " + s(d.survey_year_row).fillna("") + ", " + s(d.percent).fillna("") + "%")
    return keyed(d)


def paper_frame(res):
    """The 2002 figures the 2003 paper prints, against the 2016 report's and against their own counts."""
    r = res["survey_results"]
    d = r[r.paper_2003_percent.notna()].copy()
    n = res["wave_2002"]
    sizes = n[n.fact == "respondents"].set_index("role_group")["value"]
    d["n_2002"] = d.role_group.map(sizes).round().astype("Int64")
    has = d.paper_2003_count.notna() & d.paper_2003_denominator.notna()  # the rest print no count: NA
    d["from_count"] = pd.Series(ar.round_half_up(d.paper_2003_count[has], d.paper_2003_denominator[has]),
                                index=d.index[has], dtype="Int64")
    d["printed"] = ("2016 report " + d.cell_text.where(d.printed_in != "2003 paper", "none") + "; 2003 paper '"
                    + d.paper_2003_text + "'")
    d["recomputed"] = ("paper count/denominator rounds to " + s(d.from_count).fillna("(none printed)")
                       + "%; 2002 respondents in the group " + s(d.n_2002).fillna("unknown"))
    return keyed(d)


def claims_frame(res):
    """The claims the printed figures can decide (an undecidable one is no discrepancy: claims gives why)."""
    d = res["claims"]
    d = d[d.derived_verdict != "undecidable"].copy()
    d["printed"] = "claim: " + d.claim
    d["recomputed"] = d.derived_verdict.str.replace("_", " ") + ": " + d.derived_result
    d["table_id"] = d.tables.str.split(";").str[0]  # the first it names; none for a claim that names none
    d["role_group"] = pd.NA
    return keyed(d)


def participants_frame(res):
    ip = res["interview_participants"]
    d = pd.DataFrame({"total": [int(ip.participants.sum())], "title_n": [int(ip.table_n.max())],  # on every row
                      "people": [int(figure(res, "interviewees") + figure(res, "focus_group_members"))]})
    d["printed"] = "Table 1.3 rows " + ", ".join(s(ip.participants)) + "; n=" + s(d.title_n)
    d["recomputed"] = "rows sum to " + s(d.total) + "; interviewees and focus group members " + s(d.people)
    return keyed(d, table_id="T1.3", survey_year=2015)


def choices_frame(res):
    items = res["items"]
    limits = items.assign(limit=items.question_type.map(CHOOSE_UP_TO)).dropna(subset=["limit"])
    r = group_cells(res["survey_results"]).merge(limits[["item_id", "limit"]], on="item_id")
    d = (r.groupby(["table_id", "role_group"], sort=False)
         .agg(chosen=("count", "sum"), n=("group_n", "first"), limit=("limit", "first")).reset_index())
    d["printed"] = s(d.chosen) + " choices by n=" + s(d.n)
    d["recomputed"] = "at most " + s((d.limit * d.n).astype("Int64"))
    return keyed(d, survey_year=2015)


def significance_frame(res):
    d = res["significance_checks"].copy()
    d["printed"] = "marker " + d.printed_marker + " (" + d.test + ")"
    d["recomputed"] = ("p " + d.derived_p_min.map("{:.2g}".format) + " to " + d.derived_p_max.map("{:.2g}".format)
                       + " over " + s(d.derived_tables_tested) + " feasible tables: " + d.derived_markers)
    return keyed(d, role_group=OVERALL, survey_year=2015)


def complete_frame(res):
    r = printed_cells(res)
    per = (r.groupby(["item_id", "survey_year"], sort=False)["role_group"].agg(groups="nunique", rows="size")
           .reset_index())
    d = res["items"][["item_id", "table_id"]].merge(per, on="item_id", how="outer")
    years = r.groupby("item_id")["survey_year"].agg(lambda y: 2015 in set(y)).rename("has_2015")
    d = d.merge(years, left_on="item_id", right_index=True, how="left")
    d["expected"] = len(res["role_groups"])  # the role groups and the overall column
    # An item without cells has none of either; whole numbers, though the outer join made them floats
    d[["groups", "rows"]] = d[["groups", "rows"]].fillna(0).astype("int64")
    d["printed"] = s(d.rows) + " cells for " + s(d.groups) + " role groups"
    d["recomputed"] = "one cell for each of the " + s(d.expected) + " role groups, 2015 included"
    return keyed(d)


# --- the checks -------------------------------------------------------------------------------

# --- what each subject rests on: the printed figures, by the keys of pipeline.transcription.sources ---

def _order(res) -> list[str]:
    return res["role_groups"].sort_values("sort_order").role_group.tolist()


def _cells(res, item_id, year, groups=None) -> list[tuple]:
    return [("survey_results", item_id, int(year), g) for g in (groups or _order(res))]


def _one_cell(row, res) -> list[tuple]:
    return _cells(res, row.item_id, row.survey_year, [row.role_group])


def _item_cells(row, res) -> list[tuple]:
    return [] if pd.isna(row.item_id) or pd.isna(row.survey_year) else _cells(res, row.item_id, row.survey_year)


def _profile_cells(row, res) -> list[tuple]:
    p = res["role_profile"]
    cats = p[(p.table_id == row.table_id) & (p.role_group == row.role_group)].category_id
    return [("role_profile", row.table_id, c, row.role_group) for c in cats]


def _text_cells(row, res) -> list[tuple]:
    own = [("text_figures", row.figure_id)]
    if pd.notna(row.get("item_id")):
        return own + _one_cell(row, res)
    if pd.notna(row.get("category_id")):
        return own + [("role_profile", row.table_id, row.category_id, row.role_group)]
    return own


# Comparisons whose parts rank or order several items: a part rests on every item it ranks.
ACROSS_ITEMS = ("rank", "rank_bound", "items_ordering")


def _claim_cells(row, res) -> list[tuple]:
    """The claim's own row, and the cells of every part of it that does not hold (claim_parts): the part's
    item (every item it ranks, for a ranking) in the part's wave, or in both for a change."""
    own = [("claims", row.claim_id)]
    parts = res.get("claim_parts")
    if parts is None:
        return own
    parts = parts[(parts.claim_id == row.claim_id) & (parts.derived_verdict != "holds") & parts.table_id.notna()]
    named_items = row.get("items")
    listed = [i for i in named_items.split(";") if i] if isinstance(named_items, str) else []
    out = own
    for p in parts.itertuples():
        if row.get("comparison") in ACROSS_ITEMS:
            items = listed or res["items"][res["items"].table_id == p.table_id].item_id.tolist()
            named = [p.role_group] if pd.notna(p.role_group) else None
        elif pd.notna(p.item_id):
            items, named = [p.item_id], None
        else:
            continue
        for y in [int(p.survey_year)] if pd.notna(p.survey_year) else [2015, 2002]:
            out = out + [k for i in items for k in _cells(res, i, y, named)]
    return out


def _nothing(row, res) -> list[tuple]:
    return []


class RuleError(ValueError):
    """A rule whose check cannot decide: it raised, or did not answer one true/false per subject."""


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    frame: Callable[[dict], pd.DataFrame]
    passes: Callable[[pd.DataFrame], pd.Series]
    # The printed figures a subject rests on (keys of pipeline.transcription.sources), for messages.
    rests_on: Callable[[pd.Series, dict], list[tuple]] = _nothing

    def outcome(self, frame: pd.DataFrame) -> pd.Series:
        """The check's answer, refused unless it is one true or false for every subject.

        pandera records a check that raises or answers NA as a failure without a row, which would
        leave no subject failing: a broken rule would read as passing."""
        try:
            answer = self.passes(frame)
        except Exception as e:
            raise RuleError(f"rule {self.name}: its check raised {type(e).__name__}: {e}") from e
        if not isinstance(answer, pd.Series):
            raise RuleError(f"rule {self.name}: its check answered a {type(answer).__name__}, not a Series")
        if len(answer) != len(frame) or not answer.index.equals(frame.index):
            raise RuleError(f"rule {self.name}: its check answered {len(answer)} values for {len(frame)} subjects")
        if answer.isna().any():
            missing = frame.loc[answer.isna().to_numpy(), "discrepancy_id"].head(3).tolist()
            raise RuleError(f"rule {self.name}: its check answered NA for {int(answer.isna().sum())} of "
                            f"{len(frame)} subjects, first {missing}")
        if not (pd.api.types.is_bool_dtype(answer.dtype)):
            raise RuleError(f"rule {self.name}: its check answered {answer.dtype} values, not true/false")
        return answer.astype(bool)

    def model(self, outcome: pd.Series) -> pa.DataFrameSchema:
        """pandera reports the failing subjects of an outcome already checked to be complete."""
        return pa.DataFrameSchema(checks=[pa.Check(lambda d: outcome, name=self.name, error=self.description)],
                                  name=self.name)


RULES = [
    Rule("cells_complete", "Each item of Tables 2.1 to 2.11 has one cell per role group in 2015, and in 2002 "
         "where printed; no item without cells, no cells without an item.", complete_frame,
         lambda d: (d.groups == d.expected) & (d.rows == d.expected) & d.has_2015.fillna(False).astype(bool)
         & d.table_id.notna(), _item_cells),
    Rule("count_reconciles", "Each 2015 group cell: some denominator d, count <= d <= n, makes count/d round to the "
         "printed percentage.", count_frame, lambda d: d.derived_reconciles.fillna(False), _one_cell),
    Rule("missing_answers_plausible", "Each 2015 group cell implies no larger a share of missing answers than the "
         f"report's own cells do at most ({MOST_MISSING[0]} of {MOST_MISSING[1]}): the fewest missing answers any "
         "denominator that reproduces it allows.", missing_frame,
         lambda d: d.derived_missing_min * MOST_MISSING[1] <= MOST_MISSING[0] * d.group_n, _one_cell),
    Rule("overall_reconciles", "Each overall percentage of Tables 2.1 to 2.11: the group counts over those who "
         "answered, or over all 472 respondents, round to it.", overall_frame, lambda d: d.derived_base != "neither",
         _item_cells),
    Rule("overall_within_group_range", "Each overall percentage (2015 and 2002) lies within the range of the "
         "group percentages, one point either side for rounding.", range_frame,
         lambda d: (d.percent >= d.low - 1) & (d.percent <= d.high + 1), _item_cells),
    Rule("distribution_sums_to_100", "Each role group's categories in Tables 1.1 and 1.2 sum to 100 within what "
         "rounding of k categories allows.", distribution_frame,
         lambda d: (2 * (d.total - 100) > -d.k) & (2 * (d.total - 100) <= d.k), _profile_cells),
    Rule("group_n_matches_respondents", "Each column n of Tables 2.1 to 2.11 equals the group's respondents in "
         "the text.", group_n_frame, lambda d: (d.low == d.respondents) & (d.high == d.respondents),
         lambda row, res: [("group_n", row.table_id, row.role_group)]),
    Rule("share_reproduces", "Each printed share of respondents (role groups; non-response to Table 2.11's "
         "question) is its count over all 472 respondents.", share_frame,
         lambda d: pd.Series(ar.round_half_up(d.part, d.whole) == d.share.to_numpy("int64"), index=d.index)),
    Rule("respondents_add_up", "The four groups' respondents add up to all respondents.", respondents_frame,
         lambda d: d.parts == d.whole),
    Rule("response_rates_agree", "The overall response rate agrees with the four group rates: some number of "
         "recipients the group rates allow gives the overall rate.", response_rate_frame,
         lambda d: pd.Series(ar.reproduces_over_range(d.respondents, d.rate, d.recipients_min, d.recipients_max),
                             index=d.index)),
    Rule("text_matches_table", "Each percentage the text or a box states for a table's figure agrees with every "
         "value the table's printed figures allow (directly, or as 100 minus them; a share of a row from all its "
         "cells), with 'around', 'over', 'at least' and 'less than' read as docs/validation.md reads them.",
         text_frame, lambda d: d.verdict == "holds", _text_cells),
    Rule("text_figures_in_results", "Each 2002 or 2015 percentage the text gives for an item and role group "
         "that no table prints is one row of survey_results, with the same item, wave, role group and figure; "
         "and each such row is a figure of the text.", text_results_frame,
         lambda d: (d["_merge"] == "both") & (d.item_id == d.item_id_row).fillna(False)
         & (d.role_group == d.role_group_row).fillna(False) & (d.survey_year == d.survey_year_row).fillna(False)
         & (d.derived_value == d.percent).fillna(False) & (d.compares_as == d.compares_as_row).fillna(False),
         lambda row, res: [("text_figures", row.figure_id)] if pd.notna(row.figure_id) else []),
    Rule("paper_2002_agrees", "Each 2002 figure the 2003 paper prints agrees with the 2016 report's figure for the "
         "same item and role group, and the paper's count over its denominator (at most the group's 2002 "
         "respondents) rounds to the paper's own percentage.", paper_frame,
         lambda d: ((d.printed_in == "2003 paper") | (d.percent == d.paper_2003_percent)).fillna(False)
         & (d.from_count.isna() | ((d.from_count == d.paper_2003_percent)
                                   & (d.paper_2003_denominator <= d.n_2002)
                                   & (d.paper_2003_count <= d.paper_2003_denominator)).fillna(False)),
         lambda row, res: _cells(res, row.item_id, 2002, [row.role_group])
         + [("paper_2002_figures", row.item_id, row.role_group)]),
    Rule("claims_hold", "Each quantitative claim of the report's text that the printed figures can decide (claims) "
         "holds for every feasible value of the figures it uses, decided by the comparison it names.", claims_frame,
         lambda d: d.derived_verdict == "holds", _claim_cells),
    Rule("participants_add_up", "Table 1.3's rows add up to its n, and to the interviewees and focus group "
         "members the text gives.", participants_frame,
         lambda d: (d.total == d.title_n) & (d.people == d.title_n),
         lambda row, res: [("interview_participants", g) for g in _order(res)]),
    Rule("significance_reproduces", "Each printed significance marker of Tables 2.1 to 2.7 is among the markers "
         "the named test gives on the recovered 2 x 4 tables, over every feasible denominator.",
         significance_frame, lambda d: d.derived_agrees.fillna(False), _item_cells),
    Rule("choices_within_limit", "In the choose-up-to-three tables, each group's choices add up to at most "
         "three per respondent.", choices_frame, lambda d: d.chosen <= d.limit * d.n),
]


# What kind of finding a failing rule makes, so that a reader tells figures that do not add up from the
# text's words or claims: every other rule compares printed figures with each other.
FINDINGS = {"text_matches_table": "text_differs_from_table", "text_figures_in_results": "text_differs_from_table",
            "significance_reproduces": "marker_not_reproduced", "claims_hold": "claim_not_supported"}


def finding(rule: str) -> str:
    return FINDINGS.get(rule, "figures_do_not_reconcile")


def discrepancy_ids(d: pd.DataFrame, rule: str) -> pd.Series:
    subject = d.claim_id.fillna(d.figure_id).fillna(d.item_id).fillna("")
    return (rule + ":" + d.table_id.fillna("") + ":" + subject + ":" + d.role_group.fillna("") + ":"
            + d.survey_year.astype("string").fillna(""))


def run(rule: Rule, res: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every subject checked, the failing ones), with discrepancy ids. Raises RuleError when the
    rule cannot decide for every subject."""
    frame = rule.frame(res)
    frame["discrepancy_id"] = discrepancy_ids(frame, rule.name)
    frame["rule"] = rule.name
    outcome = rule.outcome(frame)
    try:
        rule.model(outcome).validate(frame, lazy=True)
        failing = frame.iloc[:0]
    except SchemaErrors as e:  # a frame-wide check: each failing row once per column, by its index
        failing = frame.loc[e.failure_cases["index"].unique()]
    if len(failing) != int((~outcome).sum()):
        raise RuleError(f"rule {rule.name}: pandera reported {len(failing)} failing subjects, "
                        f"the check {int((~outcome).sum())}")
    return frame, failing


def findings(res: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary per rule, all failing subjects)."""
    summary, failing = [], []
    for rule in RULES:
        frame, fail = run(rule, res)
        summary.append({"rule": rule.name, "description": rule.description, "checked": len(frame),
                        "failing": len(fail)})
        failing.append(fail)
    return pd.DataFrame(summary), pd.concat(failing, ignore_index=True)
