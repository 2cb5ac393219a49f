"""The site as a publication, through Datasette's own client: a page per printed table with every printed
cell, change since 2002 with its test in words, the claims and register entries that touch it; and the
schema.org Dataset JSON-LD of the home page and each table page, parsed as RDF, naming every download
with its SHA-256 checksum."""
import hashlib
import html
import json
import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT, fetch, printed, read_csv

DB = "managing_doctors"
PACKAGE = json.loads((ROOT / "schemas" / "package.json").read_text(encoding="utf-8"))
# The report's printed tables in its order, written out: 1.1 to 1.3, then 2.1 to 2.11 (the cases below).
REPORT_ORDER = [f"T1.{i}" for i in range(1, 4)] + [f"T2.{i}" for i in range(1, 12)]
TABLES = {t["table_id"]: t for t in read_csv(ROOT / "tables" / "tables.csv")}


@pytest.fixture(scope="module")
def pages():
    paths = ["/"] + [f"/tables/{t}" for t in REPORT_ORDER]
    return dict(zip(paths, fetch(*paths)))


class Text(HTMLParser):
    """A page's visible text and its JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.text, self.json_ld, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        self._in = "ld" if tag == "script" and dict(attrs).get("type") == "application/ld+json" else tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "ld":
            self.json_ld.append(data)
        elif self._in not in ("script", "style"):
            self.text.append(data)


def parse(html: str) -> Text:
    t = Text()
    t.feed(html)
    return t


def test_home_page_leads_with_the_questions_and_the_printed_tables_in_the_report_order(pages):
    home = pages["/"]
    assert home.status_code == 200
    listed = home.text.split('<ol class="table-list">', 1)[1].split("</ol>", 1)[0]
    links = re.findall(r'href="/tables/(T[\d.]+)"', listed)
    assert links == REPORT_ORDER
    text = " ".join(parse(home.text).text)
    for question in ("changed since 2002", "role groups differ", "claims hold"):
        assert question in text, question
    assert f'href="/{DB}"' in home.text, "Datasette's browsing and SQL one click away"


@pytest.mark.parametrize("table_id", REPORT_ORDER)
def test_each_printed_table_has_a_page_with_every_cell_as_printed(pages, table_id):
    table = TABLES[table_id]
    page = pages[f"/tables/{table['table_id']}"]
    assert page.status_code == 200, table["table_id"]
    text = parse(page.text)
    visible = " ".join(text.text)
    assert f"{table['table_label']}: {table['title']}" in visible
    cells = [r["cell_text"] for name in ("survey_results", "role_profile")
             for r in read_csv(ROOT / "tables" / f"{name}.csv")
             if r["table_id"] == table["table_id"] and r.get("printed_in", "table") == "table"]
    cells += [r["participants"] for r in read_csv(ROOT / "tables" / "interview_participants.csv")
              if r["table_id"] == table["table_id"]]
    assert cells, table["table_id"]
    tds = re.findall(r"<td[^>]*>([^<]*)</td>", page.text)
    missing = [c for c in cells if c not in tds]
    assert not missing, f"{table['table_id']}: printed cells not on its page: {missing[:5]}"
    # The transcription itself as the oracle too: every printed figure cell (not the row labels) of
    # transcription/printed/table_<number>.csv, 2002 rows included.
    _, *rows = printed(table["table_label"].removeprefix("Table "))
    transcribed = [c for r in rows for c in r[1:] if c]
    assert transcribed, table["table_id"]
    missing = [c for c in transcribed if c not in {html.unescape(td) for td in tds}]
    assert not missing, f"{table['table_id']}: transcribed cells not on its page: {missing[:5]}"
    assert not re.search(r"\bp = 0(\.0+)?(?![\d.])", visible), f"{table['table_id']}: a p-value shown as 0"
    tested = re.findall(r'<section id="(?:change|groups-differ)">(.*?)</section>', page.text, re.S)
    assert not re.search(r"not_significant|depends_on|chi_squared|fisher_exact", " ".join(tested)), \
        f"{table['table_id']}: codes where words belong"


def test_a_table_page_shows_change_since_2002_with_its_test_in_words(pages):
    page = " ".join(parse(pages["/tables/T2.1"].text).text)
    tests = [r for r in read_csv(ROOT / "tables" / "change_tests.csv")
             if r["table_id"] == "T2.1" and r["assumption"] == "default"]
    assert tests and "Change since 2002" in page
    tiny = [r for r in tests if float(r["derived_p_max"]) < 0.001]
    assert tiny and "p < 0.001" in page  # Table 2.1, directorate managers, positive rating: p below 0.001
    for verdict in {r["derived_verdict"] for r in tests}:
        assert verdict.replace("_", " ") in page, verdict


def test_a_table_page_lists_its_claims_and_register_entries(pages):
    page = " ".join(parse(pages["/tables/T2.10"].text).text)
    entries = [r for r in read_csv(ROOT / "tables" / "discrepancies.csv") if r["table_id"] == "T2.10"]
    assert entries and all(r["explanation"] in page for r in entries)
    claims = {c["claim_id"]: c["claim"] for c in read_csv(ROOT / "tables" / "claims.csv")}
    parts = read_csv(ROOT / "tables" / "claim_parts.csv")
    for table in ("T2.1", "T2.2"):
        page = " ".join(parse(pages[f"/tables/{table}"].text).text)
        mine = {claims[p["claim_id"]] for p in parts if p["table_id"] == table}
        assert mine and all(c in page for c in mine), table


def test_a_table_page_gives_each_claims_result_as_one_sentence(pages):
    """Table 2.1's page shows each claim's result as claims.csv has it, with no sentence that starts in lower
    case ('9 of 10 parts hold. does not hold: ...' for chief executives most and clinical directors least)."""
    page = " ".join(parse(pages["/tables/T2.1"].text).text)
    claims = {c["claim_id"]: c for c in read_csv(ROOT / "tables" / "claims.csv")}
    mine = {p["claim_id"] for p in read_csv(ROOT / "tables" / "claim_parts.csv") if p["table_id"] == "T2.1"}
    assert "op_ce_most_cd_least" in mine
    for claim_id in mine:
        result = claims[claim_id]["derived_result"]
        assert result in page, claim_id
        assert not re.search(r"\.\s+[a-z(]", result), claim_id


def test_an_unknown_table_is_a_404_that_lists_the_tables():
    [page] = fetch("/tables/T9.9")
    assert page.status_code == 404 and "T2.11" in page.text


# schema.org's context, as its published @vocab: parsed offline (the test fetches nothing).
SCHEMA_ORG = {"@vocab": "https://schema.org/"}
SDO = "https://schema.org/"


def dataset_graph(html: str):
    import rdflib

    [block] = parse(html).json_ld
    data = json.loads(block)
    assert data["@context"] in ("https://schema.org/", "https://schema.org")
    data["@context"] = SCHEMA_ORG
    g = rdflib.Graph()
    g.parse(data=json.dumps(data), format="json-ld")
    return data, g


def expected_downloads() -> dict[str, str]:
    """Site path -> SHA-256 of every file the site offers: each CSV of tables/ and each Parquet file of
    build/parquet/ (the 23 resources, listed from the folders, not from the descriptor the JSON-LD is written
    from), the descriptor, the workbook and the bundle; each hashed here from its bytes."""
    def sha256(path):
        return hashlib.sha256(path.read_bytes()).hexdigest()

    csvs = sorted((ROOT / "tables").glob("*.csv"))
    parquets = sorted((ROOT / "build" / "parquet").glob("*.parquet"))
    assert len(csvs) == len(parquets) == 23
    out = {f"/csv/{p.name}": sha256(p) for p in csvs} | {f"/parquet/{p.name}": sha256(p) for p in parquets}
    release = f"{PACKAGE['name']}-{PACKAGE['version']}"
    for p in (ROOT / "build" / f"{release}.xlsx", ROOT / "dist" / f"{release}.zip"):
        out[f"/downloads/{p.name}"] = sha256(p)
    out["/package/datapackage.json"] = sha256(ROOT / "datapackage.json")
    return out


@pytest.mark.parametrize("path", ["/"] + [f"/tables/{t}" for t in REPORT_ORDER])
def test_json_ld_is_a_schema_org_dataset_naming_every_download_with_its_checksum(pages, path):
    import rdflib
    from rdflib.namespace import RDF

    data, g = dataset_graph(pages[path].text)
    sdo = rdflib.Namespace(SDO)
    [dataset] = [s for s in g.subjects(RDF.type, sdo.Dataset) if (s, sdo.distribution, None) in g]
    for prop in ("name", "description", "creator", "license", "temporalCoverage", "spatialCoverage", "citation",
                 "distribution", "version"):
        assert (dataset, sdo[prop], None) in g, f"{path}: no {prop}"
    assert str(g.value(dataset, sdo.version)) == PACKAGE["version"]
    assert str(g.value(dataset, sdo.temporalCoverage)) == "2002-06-01/2015-10-31"  # survey_waves' fieldwork
    found = {}
    for d in g.objects(dataset, sdo.distribution):
        url = str(g.value(d, sdo.contentUrl))
        assert url.startswith("http://localhost/"), url  # absolute, on the host that answered
        assert g.value(d, sdo.encodingFormat) is not None
        found[url.removeprefix("http://localhost")] = str(g.value(d, sdo.sha256))
    assert found == expected_downloads(), path
    if path != "/":
        assert data["isPartOf"]["@type"] == "Dataset" and data["url"].endswith(path)


def test_the_register_tells_wording_from_figures_that_do_not_add_up():
    register = {r["discrepancy_id"]: r for r in read_csv(ROOT / "tables" / "discrepancies.csv")}
    # Table 1.2: the text's 9% of directorate managers with clinical commitments, where the row gives 10%.
    wording = register["text_matches_table:T1.2:clinical_commitments_dm:directorate_manager:2015"]
    assert (wording["derived_finding"], wording["derived_severity"]) == ("text_differs_from_table", "slip")
    # Table 2.8, chief executives, time demands on doctors: 41/59 = 69.49%, printed 70% (two-step rounding).
    rounding = register["count_reconciles:T2.8:barrier_time_demands_on_doctors:chief_executive:2015"]
    assert (rounding["derived_finding"], rounding["derived_severity"]) == ("figures_do_not_reconcile", "rounding")
    # Table 2.7: 'almost all' for 87% is a conclusion the figures do not bear out; Table 2.1's 'roughly trebled'
    # depends on the rounding of 8%.
    claim = register["claims_hold:T2.7:t4_almost_all_tension::2015"]
    assert (claim["derived_finding"], claim["derived_severity"]) == ("claim_not_supported", "conclusion")
    claim = register["claims_hold:T2.1:op_deteriorate_roughly_trebled::"]
    assert (claim["derived_finding"], claim["derived_severity"]) == ("claim_not_supported", "rounding")
    assert not [r for r in register.values() if "none" in r["recomputed"]], "implied denominators none–none"
    [page] = fetch("/tables/T1.2")
    text = " ".join(parse(page.text).text)
    assert "text differs from table" in text and "Severity" in text
