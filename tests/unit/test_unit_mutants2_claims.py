"""The claims' comparisons that read whole tables, text figures or both bases, on small synthetic figures whose
expected verdicts and results are worked by hand in the comments."""
import pandas as pd
import pytest
from test_unit_mutants_analysis import _claim, _figures, _four, _profile

from analysis import claims
from analysis.failures import FiguresError

CE = "chief_executive"
ALL = "all_respondents"


# ---- rank_bound: among the top k of a column ----

def _ranked():
    # CE 2015: A 60% (30 of 50), B 70%, C 40%; 2002: A 50%, B 50%, C 30% (rounding intervals)
    return _figures(cells={**_four("a", 60, 50, 50, 50), **_four("b", 70, 50, 50, 50), **_four("c", 40, 50, 50, 50)},
                    items={"a": ("T9.1", None), "b": ("T9.1", None), "c": ("T9.1", None)},
                    results={("a", 2002, CE): 50, ("b", 2002, CE): 50, ("c", 2002, CE): 30})


def test_rank_bound_among_the_top_k_where_every_row_is_printed():
    fig = _ranked()
    # top 1 in Table 9.1: in 2015 B (70) is certainly above A (60): one row above it, so A is not first;
    # in 2002 B's 49.5-50.5 may or may not be above A's: it depends
    parts = claims.rank_bound(_claim(tables="T9.1", items="a", role_groups=CE, amount="1"), fig)
    assert parts == [
        claims.Part("A, 2015: among the top 1", "does_not_hold", "CE 60%; 1 rows certainly above it", "T9.1", "a", CE,
                    2015),
        claims.Part("A, 2002: among the top 1", "depends", "CE 49.5–50.5%; 0 rows certainly above it", "T9.1", "a", CE,
                    2002)]
    # top 2: at most one row above A in either wave
    parts = claims.rank_bound(_claim(tables="T9.1", items="a", role_groups=CE, amount="2"), fig)
    assert [p.verdict for p in parts] == ["holds", "holds"]


def test_rank_bound_by_the_column_sum_of_up_to_three_choices():
    # 2002 prints A alone (40%: 39.5 to 40.5): a column of 'choose up to three' sums to at most 300%, so A is
    # certainly among the top k only where k + 1 rows of 39.5% or more exceed 300%: top 1 needs 79%, not enough
    fig = _figures(cells={**_four("a", 40, 50, 50, 50), **_four("b", 20, 50, 50, 50)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None)}, results={("a", 2002, CE): 40})
    fig.items["a"]["question_type"] = "choose_up_to_three"
    parts = claims.rank_bound(_claim(tables="T9.1", items="a", role_groups=CE, amount="1"), fig)
    assert parts[0].verdict == "holds"  # 2015: B's 20% below A's 40%
    assert parts[1] == claims.Part(
        "A, 2002: among the top 1", "undecidable", "CE 39.5–40.5%; up to 3 choices: the column sums to at most 300%, "
        "so 1 other rows at or above 39.5% would need 79%", "T9.1", "a", CE, 2002)
    # top 7: 8 x 39.5 = 316% > 300%
    assert claims.rank_bound(_claim(tables="T9.1", items="a", role_groups=CE, amount="7"), fig)[1].verdict == "holds"


def test_rank_bound_of_the_overall_column_over_those_who_answered():
    # Table 9.1's overall column is over all respondents (its bases reproduce over all only); over those who
    # answered, A is 250 of 490-500 (50-51.0%) and B 200 of 490-500 (40-40.9%), though printed 40% and 55%
    fig = _figures(cells={**_four("a", 40, 50, 50, 50), **_four("b", 40, 50, 50, 50)},
                   items={"a": ("T9.1", None), "b": ("T9.1", None)},
                   results={("a", 2015, ALL): 40, ("b", 2015, ALL): 55, ("a", 2002, ALL): 50, ("b", 2002, ALL): 30},
                   bases={"a": ("T9.1", 250, 490, 500, False, True), "b": ("T9.1", 200, 490, 500, False, True)})
    claim = _claim(tables="T9.1", items="a", role_groups=ALL, amount="1")
    assert [p.verdict for p in claims.rank_bound(claim, fig)] == ["does_not_hold", "holds"]  # printed: 55 above 40
    answered = claims.rank_bound(claim, fig.over_answered())
    assert [(p.verdict, p.result) for p in answered] == [("holds", "all respondents 50–51.1%; 0 rows certainly above it"),
                                                         ("holds", "all respondents 49.5–50.5%; 0 rows certainly above it")]


# ---- nonresponse, response_rate, bases ----

def test_nonresponse_denominators_fit_in_those_who_answered_and_the_overall_base():
    # A's group denominators are exactly 50 + 100 + 150 + 200 = 500; Table 9.1's overall column reproduces over
    # those who answered, Table 9.2's over all respondents
    fig = _figures(cells={**_four("a", 60, 50, 50, 50), **_four("b", 60, 50, 50, 50)},
                   items={"a": ("T9.1", None), "b": ("T9.2", None)},
                   text={"skip10": (10, None, "count", "10"), "skip0": (0, None, "count", "none")},
                   bases={"a": ("T9.1", 300, 500, 500, True, False), "b": ("T9.2", 300, 500, 500, False, True)})
    parts = claims.nonresponse(_claim(tables="T9.1", figures="skip10"), fig)
    assert parts == [claims.Part("A: group denominators fit in 490 who answered", "does_not_hold",
                                 "they sum to 500–500", "T9.1", "a"),
                     claims.Part("the overall column over all respondents", "does_not_hold",
                                 "the overall percentages reproduce over: answered", "T9.1")]
    parts = claims.nonresponse(_claim(tables="T9.2", figures="skip0"), fig)
    assert [(p.label, p.verdict) for p in parts] == [("B: group denominators fit in 500 who answered", "holds"),
                                                     ("the overall column over all respondents", "holds")]
    assert parts[1].result == "the overall percentages reproduce over: all respondents"


def test_response_rate_from_the_group_rates():
    # the recipients each rate allows (respondents / r rounding half up to the rate): CE 50 at 30%: 164-169;
    # MD 100 at 40%: 247-253; DM 150 at 50%: 298-303; CD 200 at 60%: 331-336; in all 1,040-1,061, and 500 of
    # them is 47.1-48.1%, printed as 47% or 48%
    fig = _figures(text={"rate47": (47, None, "percent", "47%"), "rate49": (49, None, "percent", "49%"),
                         "online": (2000, None, "count", "2,000")})
    part, = claims.response_rate(_claim(figures="rate47;online"), fig)
    assert (part.label, part.verdict) == ("the text's 47% from the group rates", "holds")
    assert part.result == ("the group rates (CE 30%, MD 40%, DM 50%, CD 60%) allow 1,040–1,061 recipients, and 500 "
                           "of them is 47.1–48.1%, printed as 47% or 48%; 500 of the 2,000 online recipients alone "
                           "is 25%")
    assert claims.response_rate(_claim(figures="rate49;online"), fig)[0].verdict == "does_not_hold"


def test_bases_where_no_missing_answer_shows():
    fig = _figures(bases={"a": ("T9.1", 300, 500, 500, True, True), "b": ("T9.2", 300, 500, 500, True, False)})
    fig.res["cell_denominators"] = pd.DataFrame({"table_id": ["T9.1", "T9.2", "T9.2"],
                                                 "derived_missing_min": pd.array([0, 2, None], dtype="Int64")})
    parts = claims.bases(_claim(tables="T9.1;T9.2"), fig)
    # Table 9.1: either base reproduces it and no cell implies a missing answer: the printed figures cannot tell
    assert parts[0] == claims.Part("Table 9.1: over those who answered", "undecidable",
                                   "0 group cells imply missing answers; no missing answer shows in its counts and "
                                   "either base reproduces it", "T9.1")
    assert parts[1] == claims.Part("Table 9.2: over those who answered", "holds",
                                   "1 group cells imply missing answers; its overall column is over those who "
                                   "answered", "T9.2")


# ---- back_calculation: a share of all respondents from the group rows of Table 1.2 ----

def _rows(**rows):
    fig = _figures(profile=_profile(**rows), text={"f60": (60, None, "percent", "60%"),
                                                   "f59": (59, None, "percent", "59%")})
    fig.res["role_profile"]["table_n"] = 500
    return fig


def test_back_calculation_of_a_share_of_all_respondents():
    # each group's row over its whole size (the table's n is all 500): the others are CE 20 of 50 (40%), MD 50 of
    # 100, DM 90 of 150 (60%), CD 140 of 200 (70%), and no other whole counts round to these shares: 300 of 500
    fig = _rows(yes=[60, 50, 40, 30], other=[40, 50, 60, 70])
    parts = claims.back_calculation(_claim(tables="T1.2", items="yes", figures="f60"), fig)
    assert parts == [claims.Part("the text's 60% from the group rows of Table 1.2", "holds",
                                 "the rows allow 60% of n=500, printed as 60%", "T1.2"),
                     claims.Part("60%: over 50%", "holds", "59.5–60.5%", "T1.2")]
    parts = claims.back_calculation(_claim(tables="T1.2", items="yes", figures="f59"), fig)
    assert (parts[0].verdict, parts[0].result) == ("does_not_hold", "the rows allow 60% of n=500, printed as 60%")


def test_back_calculation_where_no_rows_reproduce_the_tables_n():
    # CE's 33% of 50: 16 is 32%, 17 is 34%: no whole count, so no denominators sum to n
    fig = _rows(yes=[33, 50, 40, 30], other=[67, 50, 60, 70])
    assert claims.back_calculation(_claim(tables="T1.2", items="yes", figures="f60"), fig) == [
        claims.Part("the group rows allow the table's n", "does_not_hold", "no rows reproduce n=500", "T1.2")]


# ---- missing_share ----

def test_missing_share_median_pooled_and_cells_above():
    # reconciled 2015 group cells of Table 9.1: 5 of 50 (10%), 2-4 of 40 (5-10%), 6-9 of 30 (20-30%); a cell
    # that does not reconcile and one of another table are left out. Median 10%; pooled 13-18 of 120
    # (10.83-15%); above 10%: 1 cell certainly (20-30), 1 at most (10 is not above 10)
    fig = _figures()
    fig.res["cell_denominators"] = pd.DataFrame({
        "table_id": ["T9.1", "T9.1", "T9.1", "T9.1", "T9.2"],
        "derived_reconciles": pd.array([True, True, True, False, True], dtype="boolean"),
        "derived_missing_min": pd.array([5, 2, 6, None, 40], dtype="Int64"),
        "derived_missing_max": pd.array([5, 4, 9, None, 40], dtype="Int64"),
        "group_n": pd.array([50, 40, 30, 20, 50], dtype="Int64")})
    part, = claims.missing_share(_claim(tables="T9.1", word="around", amount="10"), fig)
    assert part == claims.Part("median share of missing answers at most 12.5%", "holds",
                               "3 group cells of T9.1: median 10%, pooled 10.8–15%; 1 to 1 cells above 10%")


@pytest.mark.parametrize("word", ["under", "over", "at_least", "almost"])
def test_missing_share_refuses_a_word_other_than_around(word):
    # the claim reads 'around x or lower'; another word once gave a label like 'at most under 10%' and was
    # still decided as 'around'
    fig = _figures()
    fig.res["cell_denominators"] = pd.DataFrame({
        "table_id": ["T9.1"], "derived_reconciles": pd.array([True], dtype="boolean"),
        "derived_missing_min": pd.array([5], dtype="Int64"), "derived_missing_max": pd.array([5], dtype="Int64"),
        "group_n": pd.array([50], dtype="Int64")})
    with pytest.raises(ValueError, match=rf"^claim c1: missing_share reads 'around x or lower', not '{word}'$"):
        claims.missing_share(_claim(tables="T9.1", word=word, amount="10"), fig)


# ---- on_both_bases and evaluate ----

def _evaluable():
    # Table 9.1's overall column over all respondents, Table 9.2's over those who answered
    fig = _figures(cells={**_four("a", 60, 50, 50, 50), **_four("b", 60, 50, 50, 50)},
                   items={"a": ("T9.1", None), "b": ("T9.2", None)},
                   results={("a", 2015, ALL): 60, ("b", 2015, ALL): 60},
                   bases={"a": ("T9.1", 300, 490, 500, False, True), "b": ("T9.2", 300, 500, 500, True, False)})
    return fig


def test_on_both_bases_only_the_overall_column_of_an_all_respondents_table():
    fig = _evaluable()
    assert claims.on_both_bases(_claim(tables="T9.1", role_groups=ALL), fig)
    assert not claims.on_both_bases(_claim(tables="T9.2", role_groups=ALL), fig)
    assert not claims.on_both_bases(_claim(tables="T9.1", role_groups=CE), fig)


def _res(fig, **columns):
    res = dict(fig.res)
    res["claim_sections"] = pd.DataFrame({"claim_id": ["c1"], "position": [1], "section": ["s1"]})
    base = {"claim_id": "c1", "claim_order": 1, "comparison": "threshold", "tables": "T9.2", "items": "b",
            "other_items": None, "role_groups": CE, "other_groups": None, "direction": None, "word": "majority",
            "amount": None, "survey_year": None, "significance": None, "quantifier": None, "figures": None,
            "reason": None}
    return pd.DataFrame([{**base, **columns}]), res


def test_evaluate_a_claim_keeps_its_own_columns():
    plain, res = _res(_evaluable())
    out, parts = claims.evaluate(plain, res)
    assert list(out.columns) == list(plain.columns) + ["section", "derived_verdict", "derived_parts",
                                                       "derived_parts_holding", "derived_result"]
    assert out.iloc[0].derived_verdict == "holds" and out.iloc[0].derived_result == "B: CE over 50%: CE: 60%"
    assert list(parts.part) == ["B: CE over 50%"]


def test_evaluate_names_the_claim_it_cannot_decide(monkeypatch):
    # two directions for one group: the claim as typed is wrong, and the message says how
    plain, res = _res(_evaluable(), comparison="extreme", direction="higher;lower", survey_year=2015)
    with pytest.raises(FiguresError) as e:
        claims.evaluate(plain, res)
    assert e.value.problem == "claim c1 cannot be decided: claim c1: direction has 2 values for 1"
    assert e.value.rests_on == [("claims", "c1")]
    # no part at all
    monkeypatch.setitem(claims.COMPARISONS, "threshold", lambda claim, fig: [])
    plain, res = _res(_evaluable())
    with pytest.raises(FiguresError) as e:
        claims.evaluate(plain, res)
    assert (e.value.problem, e.value.rests_on) == ("claim c1: no figure to decide it on", [("claims", "c1")])


def test_evaluate_refuses_parts_that_differ_in_number_over_the_two_bases(monkeypatch):
    # a claim on Table 9.1's overall column is decided over both bases part by part: a comparison giving
    # another number of parts over those who answered must not be paired silently
    def uneven(claim, fig):
        return [claims.Part(f"p{i}", "holds", "60%") for i in range(1 if fig.answered_base else 2)]
    monkeypatch.setitem(claims.COMPARISONS, "threshold", uneven)
    plain, res = _res(_evaluable(), tables="T9.1", items="a", role_groups=ALL)
    with pytest.raises(FiguresError, match=r"^claim c1 cannot be decided: zip\(\) argument 2 is shorter"):
        claims.evaluate(plain, res)


# ---- homogeneity: one theme where a group does not stand apart and the groups are alike ----

def _printed_tests(fig, p):
    """The report's own test across the four groups, item -> (p min, p max)."""
    fig.res["significance_checks"] = pd.DataFrame({"item_id": list(p), "derived_p_min": [lo for lo, _ in p.values()],
                                                   "derived_p_max": [hi for _, hi in p.values()],
                                                   "printed_marker": ["*" for _ in p]})


def test_homogeneity_apart_elsewhere_and_the_share_of_items_alike():
    alike, different = (0.5, 0.6), (0.01, 0.02)
    even = [50, 50, 50, 50]
    fig = _figures(
        cells={**_four("a1", *even), **_four("a2", *even), **_four("a3", *even),
               **_four("b", 80, 50, 50, 50),  # CE 30 points above every other group
               **_four("c", 55, 50, 50, 50),  # 5 points: not apart
               **_four("d", 60, 50, 50, 50), (("d", CE)): (60, 31, 50, None, None),  # 59.5-60.5: 10 points or not
               **{k: v for i in range(1, 6) for k, v in _four(f"e{i}", *even).items()}},
        items={**{k: ("T9.1", None) for k in ("a1", "a2", "a3")}, "b": ("T9.2", None), "c": ("T9.3", None),
               "d": ("T9.4", None), **{f"e{i}": ("T9.5", None) for i in range(1, 6)}})
    _printed_tests(fig, {"a1": alike, "a2": alike, "a3": different, "b": different, "c": different, "d": different,
                         "e1": alike, "e2": alike, "e3": alike, "e4": different, "e5": different})
    parts = claims.homogeneity(_claim(tables="T9.1;T9.2;T9.3;T9.4;T9.5", role_groups=CE), fig)
    # Table 9.1: CE apart on no item; alike on 2 of 3 items (66.7%), so a table alike on 60% (Table 9.5, 3 of 5)
    # is less than 10 points below it
    assert [(p.label, p.verdict) for p in parts[:6]] == [
        ("A1: CE not 10 points apart from every other group", "holds"),
        ("A2: CE not 10 points apart from every other group", "holds"),
        ("A3: CE not 10 points apart from every other group", "holds"),
        ("A1: groups alike", "holds"), ("A2: groups alike", "holds"), ("A3: groups alike", "does_not_hold")]
    some, share = "10 points apart from every other group on some item", "share of items where the groups are alike"
    assert [(p.label, p.verdict, p.result) for p in parts[6:]] == [
        (f"Table 9.2: CE {some}", "holds", "1 of 1 items"),
        (f"Table 9.2: {share} 10 points or more below Table 9.1's", "holds",
         "Table 9.1 2 of 3 items alike (66.6–66.7%); Table 9.2 0 of 1 items alike (0%)"),
        (f"Table 9.3: CE {some}", "does_not_hold", "0 of 1 items"),
        (f"Table 9.3: {share} 10 points or more below Table 9.1's", "holds",
         "Table 9.1 2 of 3 items alike (66.6–66.7%); Table 9.3 0 of 1 items alike (0%)"),
        (f"Table 9.4: CE {some}", "depends", "0 of 1 items"),
        (f"Table 9.4: {share} 10 points or more below Table 9.1's", "holds",
         "Table 9.1 2 of 3 items alike (66.6–66.7%); Table 9.4 0 of 1 items alike (0%)"),
        (f"Table 9.5: CE {some}", "does_not_hold", "0 of 5 items"),
        (f"Table 9.5: {share} 10 points or more below Table 9.1's", "does_not_hold",
         "Table 9.1 2 of 3 items alike (66.6–66.7%); Table 9.5 3 of 5 items alike (60%)")]


def test_homogeneity_names_the_table_of_an_item_it_cannot_test():
    # 2% of each group: expected counts below 5, where the report used Fisher's exact test: refused, naming the
    # item and its table, whether in the theme's table or another
    fig = _figures(cells={**_four("a", 50, 50, 50, 50), **_four("s", 2, 2, 2, 2)},
                   items={"a": ("T9.1", None), "s": ("T9.2", None)})
    _printed_tests(fig, {"a": (0.5, 0.6)})
    with pytest.raises(FiguresError, match=r"^S \(T9\.2\): the chi-squared test across the four groups"):
        claims.homogeneity(_claim(tables="T9.1;T9.2", role_groups=CE), fig)
    with pytest.raises(FiguresError, match=r"^S \(T9\.2\): the chi-squared test across the four groups"):
        claims.homogeneity(_claim(tables="T9.2;T9.1", role_groups=CE), fig)
