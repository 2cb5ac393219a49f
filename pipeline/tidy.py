"""Turn the transcription into the tidy, long resources (rows as dicts keyed by schema field)."""
from __future__ import annotations

import calendar
import re
from datetime import date

from pipeline.transcription import TITLE_N, Transcription, TranscriptionError, printed_number, rel

NUMBER_WORDS = {"one": 1, "two": 2, "five": 5, "nine": 9, "eleven": 11,
                # missing responses 'typically around 5% or lower': the words after the qualifier, an upper bound
                "5% or lower": 5}
FRACTION_WORDS = {"one third": 33.3, "a third": 33.3, "two thirds": 66.7, "a quarter": 25, "half": 50,
                  "three quarters": 75, "three-quarters": 75}
QUALIFIERS = {"around": "around", "over": "over", "less than": "less_than", "at least": "at_least",
              # an upper bound ('or lower'): the enum has no at_most yet, less_than is the nearest
              "typically around": "less_than"}
MONTHS = {m: i for i, m in enumerate(calendar.month_name) if m}
YEAR_ORDER = (2015, 2002)  # printed order: each 2015 row, then its 2002 row


def _table_order(tid: str) -> tuple[int, int]:
    a, b = printed_number(tid).split(".")
    return int(a), int(b)


def tables(t: Transcription) -> list[dict]:
    curated = {d["table_id"]: d for d in t.curation["tables"]}
    stubs = {**{k: v.stub_header for k, v in t.results.items()}, **{k: v.stub_header for k, v in t.profiles.items()}}
    rows = []
    for cap in sorted(t.captions, key=lambda d: _table_order(d["table_id"])):
        tid, c = cap["table_id"], curated[cap["table_id"]]
        m = TITLE_N.search(cap["title"])
        rows.append({
            "table_id": tid, "table_label": f"Table {printed_number(tid)}", "table_order": len(rows) + 1,
            "title": cap["title"], "stub_header": stubs[tid] or None,
            "footnote": cap["footnote"] or None, "title_n": int(m["n"]) if m else None,
            "theme": c["theme"], "section": c["section"], "also_printed_as": c["also_printed_as"] or None,
            "percentage_base": c["percentage_base"], "significance_test": c["significance_test"] or None,
        })
    return rows


def _figure(t: Transcription, subject: str, role_group: str):
    for d in t.text_figures:
        if d["subject"] == subject and d["role_group"] == role_group:
            return d
    return None


def role_groups(t: Transcription) -> list[dict]:
    rows = []
    for d in t.curation["role_groups"]:
        g = d["role_group"]
        figs = {s: _figure(t, s, g) for s in ("respondents", "share of respondents", "response rate")}
        for s in ("respondents", "response rate"):
            if figs[s] is None:
                raise TranscriptionError(rel("curation/role_groups.csv"), d["_row"], "role_group", g,
                                         f"{rel('printed/text_figures.csv')} has no figure with subject {s!r} "
                                         "for this role group")
        rows.append({
            "role_group": g, "column_label": d["column_label"], "row_label": d["row_label"] or None,
            "respondents": int(parse_value(figs["respondents"])[0]),
            "share_of_respondents_percent": int(parse_value(figs["share of respondents"])[0]) if figs["share of respondents"] else None,
            "response_rate_percent": int(parse_value(figs["response rate"])[0]),
            "level": d["level"], "medical": {"true": True, "false": False}.get(d["medical"]),
            "sort_order": int(d["sort_order"]),
        })
    return sorted(rows, key=lambda r: r["sort_order"])


def _reverse_note(footnote: str) -> str | None:
    m = re.search(r"† ([^.]*\.)", footnote)
    return m.group(1) if m else None


def items(t: Transcription) -> list[dict]:
    curated = {(d["table_id"], d["row_label"]): d for d in t.curation["items"]}
    themes = {d["table_id"]: d["theme"] for d in t.curation["tables"]}
    notes = {d["table_id"]: _reverse_note(d["footnote"]) for d in t.captions}
    captions = {d["table_id"]: d for d in t.captions}
    rows = []
    for tid in sorted(t.results, key=_table_order):
        for it in t.results[tid].items:
            c = curated[(tid, it.row_label)]
            if it.reverse_worded and not notes[tid]:
                cap = captions[tid]
                raise TranscriptionError(rel("printed/captions.csv"), cap["_row"], "footnote",
                                         cap["footnote"], f"the row {it.row_label!r} of {t.results[tid].path} "
                                         "carries the dagger (†) but this footnote has no '† ...' note")
            rows.append({
                "item_id": c["item_id"], "item_order": len(rows) + 1, "table_id": tid, "row_number": it.row_number,
                "row_label": it.row_label, "theme": themes[tid], "question_type": c["question_type"],
                "percent_counts": c["percent_counts"], "reverse_worded": it.reverse_worded,
                "reverse_worded_note": notes[tid] if it.reverse_worded else None,
                "favourable": c["favourable"] or None, "factor_id": c["factor_id"] or None,
            })
    return rows


def _item_ids(t: Transcription) -> dict:
    return {(d["table_id"], d["row_label"]): d["item_id"] for d in t.curation["items"]}


def survey_results(t: Transcription) -> list[dict]:
    """Every percentage printed for an item and role group: the tables' cells, then the text's figures
    for an item, wave and role group that no table prints (the text's restatements of a table's cell
    stay in text_figures only)."""
    ids = _item_ids(t)
    rows = []
    for tid in sorted(t.results, key=_table_order):
        for it in t.results[tid].items:
            for year, cells in zip(YEAR_ORDER, (it.cells_2015, it.cells_2002)):
                for cell in cells:
                    rows.append({
                        "table_id": tid, "item_id": ids[(tid, it.row_label)], "survey_year": year,
                        "role_group": cell.role_group, "percent": cell.percent, "count": cell.count,
                        "group_n": cell.group_n, "cell_text": cell.text, "printed_in": "table",
                        "table_row": it.row_number, "compares_as": "same", "derived_percent_on_item_wording": cell.percent,
                    })
    printed = {(r["item_id"], r["survey_year"], r["role_group"]) for r in rows}
    tables_of = {d["item_id"]: d["table_id"] for d in t.curation["items"]}
    rows += _text_rows(t, printed, tables_of)
    return _with_paper_figures(t, rows, tables_of)


def _with_paper_figures(t: Transcription, rows: list[dict], tables_of: dict) -> list[dict]:
    """The 2003 paper's 2002 figures for an item: in the paper_2003_ columns of the report's row for the
    same figure, or a row of their own where the report prints none."""
    at = {(r["item_id"], r["survey_year"], r["role_group"]): r for r in rows}
    for d in t.curation["paper_2002_figures"]:
        if not d["item_id"]:
            continue  # a statement about several items (a p-value), not a figure of one
        paper = {"paper_2003_text": d["value_text"], "paper_2003_percent": int(d["percent"]),
                 "paper_2003_count": int(d["count"]) if d["count"] else None,
                 "paper_2003_denominator": int(d["denominator"]) if d["denominator"] else None}
        key = (d["item_id"], 2002, d["role_group"])
        if key in at:
            at[key].update(paper)
            continue
        percent = int(d["percent"])
        row = {"table_id": tables_of[d["item_id"]], "item_id": d["item_id"], "survey_year": 2002,
               "role_group": d["role_group"], "percent": percent, "count": None, "group_n": None,
               "cell_text": d["value_text"], "printed_in": "2003 paper", "compares_as": d["compares_as"] or "same",
               "derived_percent_on_item_wording": 100 - percent if d["compares_as"] == "complement" else percent,
               **paper}
        rows.append(row)
        at[key] = row
    return rows


def _text_rows(t: Transcription, printed: set, tables_of: dict) -> list[dict]:
    """The text's figures for an item, wave and role group that no table prints."""
    rows = []
    for d in t.text_figures:
        key = (d["item_id"], int(d["survey_year"]), d["role_group"])
        if not d["item_id"] or d["unit"] != "percent" or not d["role_group"] or key in printed:
            continue
        value, qualifier, _, _ = parse_value(d)
        if qualifier != "exact":  # 'around 27%' is a claim about a figure, not the figure: text_figures keeps it
            continue
        percent = int(value)
        rows.append({
            "table_id": tables_of[d["item_id"]], "item_id": d["item_id"], "survey_year": key[1],
            "role_group": d["role_group"], "percent": percent, "count": None, "group_n": None,
            "cell_text": d["value_text"], "printed_in": "text", "figure_id": d["figure_id"],
            "compares_as": d["compares_as"] or "same",
            "derived_percent_on_item_wording": 100 - percent if d["compares_as"] == "complement" else percent,
        })
        printed.add(key)
    return rows


def printed_significance(t: Transcription) -> list[dict]:
    ids = _item_ids(t)
    rows = []
    for tid in sorted(t.results, key=_table_order):
        for it in t.results[tid].items:
            for cell in it.cells_2015:
                if cell.marker:
                    rows.append({
                        "item_id": ids[(tid, it.row_label)], "table_id": tid, "marker": cell.marker,
                        "test": "fisher_exact" if cell.fisher else "chi_squared", "marker_text": cell.marker_text,
                    })
    return rows


def role_profile(t: Transcription) -> list[dict]:
    cats = {(d["table_id"], d["column_label"]): d["category_id"] for d in t.curation["categories"]}
    title_n = {r["table_id"]: r["title_n"] for r in tables(t)}
    rows = []
    for tid in sorted(t.profiles, key=_table_order):
        if (tid, t.profiles[tid].columns[0]) not in cats:
            continue
        for group, cells in t.profiles[tid].rows:
            for label, text in cells:
                rows.append({
                    "table_id": tid, "role_group": group, "category_id": cats[(tid, label)],
                    "category_label": label, "percent": int(text[:-1]), "table_n": title_n[tid], "cell_text": text,
                })
    return rows


def interview_participants(t: Transcription) -> list[dict]:
    cats = {d["table_id"] for d in t.curation["categories"]}
    title_n = {r["table_id"]: r["title_n"] for r in tables(t)}
    return [
        {"table_id": tid, "role_group": group, "participants": int(cells[0][1]), "table_n": title_n[tid]}
        for tid in sorted(t.profiles, key=_table_order) if tid not in cats
        for group, cells in t.profiles[tid].rows
    ]


def parse_value(d: dict) -> tuple[float | None, str, date | None, date | None]:
    """(value, qualifier, period start, period end) of a text figure's value_text."""
    text, unit = d["value_text"], d["unit"]
    rest = text.strip()
    qualifier = "exact"
    for word, q in QUALIFIERS.items():
        if rest.lower().startswith(word + " "):
            qualifier, rest = q, rest[len(word) + 1:]
            break
    if unit == "period":
        months = re.findall("|".join(MONTHS), rest)
        year = re.search(r"\d{4}", rest)
        if not months or not year:
            raise TranscriptionError(d["_path"], d["_row"], "value_text", text,
                                     "a period must name its month(s) and year, like 'May–June 2015'")
        y = int(year.group())
        first, last = MONTHS[months[0]], MONTHS[months[-1]]
        return None, qualifier, date(y, first, 1), date(y, last, calendar.monthrange(y, last)[1])
    low = rest.lower()
    if low in FRACTION_WORDS:
        return FRACTION_WORDS[low], qualifier, None, None
    if low in NUMBER_WORDS:
        return NUMBER_WORDS[low], qualifier, None, None
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})*|\d+)(%?)", rest)
    if not m or (unit == "percent") != (m.group(2) == "%"):
        raise TranscriptionError(d["_path"], d["_row"], "value_text", text,
                                 f"not a figure of unit {unit!r} as printed (for example '18%', '2,650', 'Around 88%')")
    return float(m.group(1).replace(",", "")), qualifier, None, None


def text_figures(t: Transcription) -> list[dict]:
    rows = []
    for d in t.text_figures:
        value, qualifier, start, end = parse_value(d)
        rows.append({
            "figure_id": d["figure_id"], "section": d["section"], "subject": d["subject"],
            "role_group": d["role_group"] or None, "survey_year": int(d["survey_year"]),
            "value_text": d["value_text"], "unit": d["unit"], "derived_value": value,
            "derived_qualifier": qualifier,
            "derived_period_start": start.isoformat() if start else None,
            "derived_period_end": end.isoformat() if end else None,
            "table_id": d["table_id"] or None, "item_id": d["item_id"] or None,
            "category_id": d["category_id"] or None, "compares_as": d["compares_as"] or None,
        })
    return rows


def typed(name: str, rows: list[dict]) -> list[dict]:
    """Curated rows with the schema's types (integers as int, empty as missing)."""
    from core import schemas

    types = {f["name"]: f["type"] for f in schemas.fields(name)}
    cast = {"integer": int, "number": float, "boolean": {"true": True, "false": False}.__getitem__}
    return [{k: (cast.get(types[k], str)(v) if v != "" else None) for k, v in d.items() if k in types} for d in rows]


def passthrough(name: str):
    return lambda t: typed(name, t.curation[name])


def survey_waves(t: Transcription) -> list[dict]:
    figures = {d["figure_id"]: d for d in t.text_figures}
    rows = []
    for d in t.curation["survey_waves"]:
        row = {k: v for k, v in d.items() if not k.startswith("_")}
        row["survey_year"] = int(d["survey_year"])
        if row["survey_year"] == 2015:  # the report states fieldwork and respondents for 2015
            row["fieldwork_start"] = parse_value(figures["online_fieldwork"])[2].isoformat()
            row["fieldwork_end"] = parse_value(figures["postal_fieldwork"])[3].isoformat()
            row["respondents"] = int(parse_value(figures["responses"])[0])
        else:  # and the 2003 paper for 2002
            facts = {d["fact_id"]: d for d in t.curation["wave_2002"]}
            row["fieldwork_start"] = facts["fieldwork_period"]["derived_period_start"]
            row["fieldwork_end"] = facts["fieldwork_period"]["derived_period_end"]
            row["respondents"] = int(facts["respondents_all"]["value"])
        rows.append(row)
    return sorted(rows, key=lambda r: -r["survey_year"])


BUILDERS = {
    "tables": tables, "role_groups": role_groups, "items": items, "survey_results": survey_results,
    "printed_significance": printed_significance, "role_profile": role_profile,
    "interview_participants": interview_participants, "text_figures": text_figures,
    "survey_waves": survey_waves, "role_group_codes": passthrough("role_group_codes"),
    "external_factors": passthrough("external_factors"),
    "external_factor_references": passthrough("external_factor_references"),
    "wave_2002": passthrough("wave_2002"),
    "claims": passthrough("claims"),  # decided in the derive step
    "claim_sections": passthrough("claim_sections"),
}
