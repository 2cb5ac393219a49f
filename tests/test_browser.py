"""The served package in a real browser (Debian's headless Chromium driven by Playwright) and over raw
HTTP against a real `python -m web.serve` process: labels where codes were, pages that fit 1400 px,
forms whose first submission works, charts in words with one colour per role group, and no request
leaving the machine from any page the home page links. Screenshots go to build/screenshots/."""
import http.client
import json
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ROOT, VIEWS
from expected import COLUMNS

from web import serve

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
# As root and offline: no sandbox, no GPU, and none of Chromium's background calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTH = 1400
DB = "managing_doctors"
MAIN_TABLES = ["survey_results", "items", "role_groups", "tables", "survey_waves", "change_since_2002",
               "percent_intervals_explained", "clinical_director_gap"]
FILES = re.compile(r"\.(csv|parquet|json|xlsx|zip)$")
# What the pages must show, typed out rather than read through web.presentation, which makes the pages:
# the role groups' column labels in the order the report prints them, and the colour each is drawn in
# (the Okabe-Ito palette in that order, the overall column grey).
GROUPS = ["Chief executives", "Medical directors", "Directorate managers", "Clinical directors", "Overall"]
COLOURS = {"Chief executives": "#0072B2", "Medical directors": "#E69F00", "Directorate managers": "#009E73",
           "Clinical directors": "#CC79A7", "Overall": "#666666"}
# The report's fourteen tables, in order.
TABLES = ["1.1", "1.2", "1.3"] + [f"2.{i}" for i in range(1, 12)]


@pytest.fixture(scope="module")
def server():
    proc, port = serve.start()
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def raw_get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, r.getheader("Location"), r.read()


def test_no_open_redirect_and_no_server_error_for_odd_paths(server):
    for path in ("//example.com/evil", "/managing_doctors/%ff%fe", "/managing_doctors/items.json?_sort_desc=%ff",
                 "/..%2f..%2fetc/passwd", "/csv/..%2f..%2fMakefile", "/managing_doctors/items/" + "x" * 5000,
                 "/managing_doctors/survey_results/x", "/managing_doctors/survey_results/x,y.json",
                 "/managing_doctors/items.json?_timelimit=abc", "/managing_doctors.json?sql=select+1&_timelimit=abc"):
        status, location, _ = raw_get(server, path)
        assert status < 500, path
        assert not (location or "").startswith(("//example.com", "http://example.com")), path


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A 1400 px wide page that lets only loopback requests through; page.external lists the others."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    external: list[str] = []

    def only_loopback(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            return route.continue_()
        external.append(route.request.url)
        return route.abort()

    context.route("**/*", only_loopback)
    pg = context.new_page()
    pg.external = external
    # What the Content-Security-Policy blocked, and scripts that failed, on any page this test opens.
    pg.blocked = []
    pg.on("console", lambda m: pg.blocked.append(m.text) if "Content Security Policy" in m.text else None)
    pg.on("pageerror", lambda e: pg.blocked.append(f"script error: {e}"))
    yield pg
    context.close()


def overflow(page) -> int:
    """How many pixels the page, or a table inside its scrolling wrapper, is wider than the window."""
    return page.evaluate("""() => Math.max(document.documentElement.scrollWidth - window.innerWidth,
        ...[...document.querySelectorAll('.table-wrapper')].map(w => w.scrollWidth - w.clientWidth), 0)""")


def test_every_page_the_home_page_links_renders_with_no_external_request(server, page):
    base = f"http://127.0.0.1:{server}"
    page.goto(base + "/")
    assert "Managing doctors, doctors managing" in page.title()
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
    hrefs = {h.split("#")[0] for h in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
             if h.startswith("/") and not h.startswith("//") and not FILES.search(h.split("?")[0])} - {"", "/"}
    assert {"/about", "/validation/summary.html", "/-/dashboards/report"} <= hrefs
    failed = []
    for href in sorted(hrefs):
        response = page.goto(base + href)
        page.wait_for_load_state("networkidle")
        text = page.locator("body").inner_text()
        if response.status >= 400 or len(text) < 200:
            failed.append((href, response.status, len(text)))
    assert not failed, failed
    assert not page.external, f"requests that left the machine: {page.external[:5]}"


def test_survey_results_shows_words_fits_1400px_and_tells_the_waves_apart(server, page):
    base = f"http://127.0.0.1:{server}"
    page.goto(f"{base}/{DB}/survey_results")
    first = page.locator("table.rows-and-columns tbody tr").first
    wording = "Positive rating for local relationships (4 or 5 on a 5- point scale)"  # Table 2.1's first row
    assert wording in first.locator("td.col-item_id").inner_text()  # the statement, not only its code
    assert "Chief executives" in first.locator("td.col-role_group").inner_text()
    assert "2015 survey" in first.locator("td.col-survey_year").inner_text()
    assert not page.locator("td.col-item_wording").first.is_visible()  # the repeated wording is hidden
    facet = page.locator(".facet-info[data-column='survey_year'] li").all_inner_texts()
    assert any("2015 survey" in f for f in facet) and any("2002 survey" in f for f in facet), facet
    page.screenshot(path=str(SCREENSHOTS / "survey_results.png"))
    widths = {}
    for table in MAIN_TABLES:
        page.goto(f"{base}/{DB}/{table}")
        widths[table] = overflow(page)
    assert widths == {t: 0 for t in MAIN_TABLES}, f"pixels wider than {WIDTH} px: {widths}"
    page.goto(f"{base}/{DB}/significance_rerun")
    assert set(page.locator("td.col-agrees").all_inner_texts()) <= {"yes", "no"}


def test_search_and_canned_queries_work_at_the_first_click(server, page):
    base = f"http://127.0.0.1:{server}"
    page.goto(f"{base}/{DB}")
    page.click(f'a[href="/{DB}/search_statements"]')
    page.wait_for_selector("table.rows-and-columns tbody tr")
    assert page.locator("table.rows-and-columns tbody tr").count() == 68  # every item: 68 statements
    page.screenshot(path=str(SCREENSHOTS / "search_statements.png"))

    page.goto(f"{base}/{DB}/role_group_results")
    options = page.locator("datalist#choices-role_group option")
    assert "clinical_director" in [options.nth(i).get_attribute("value") for i in range(options.count())]
    page.fill('input[name="role_group"]', "Clinical directors")  # by name, as a reader would type it
    page.locator('form input[type="submit"]').first.click()
    page.wait_for_selector("table.rows-and-columns tbody tr")
    assert page.locator("table.rows-and-columns tbody tr").count() == 77  # 68 items of 2015, nine of 2002
    driven = page.locator("table.rows-and-columns tbody tr", has_text="driven_by_clinical_priorities")
    assert "43% (62)" in driven.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "role_group_results.png"), full_page=True)

    page.goto(f"{base}/{DB}/role_group_results?role_group=surgeons")
    assert "is not a role group" in page.locator("body").inner_text()


def legend(page, card: str) -> dict[str, str]:
    """label -> fill colour, as rgb(r, g, b), of a chart's legend (charts render as SVG)."""
    labels = page.locator(f"#chart-{card} .role-legend-label text").all_text_contents()
    fills = page.eval_on_selector_all(f"#chart-{card} .role-legend-symbol path",
                                      "els => els.map(e => getComputedStyle(e).fill)")
    return dict(zip(labels, fills))


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_charts_speak_in_words_with_one_colour_per_role_group(server, page):
    page.goto(f"http://127.0.0.1:{server}/-/dashboards/report")
    cards = ["change-since-2002", "clinical-director-gap", "net-impact", "top-barriers"]
    for card in cards:
        page.wait_for_selector(f"#chart-{card} svg .role-axis-label text")
    page.screenshot(path=str(SCREENSHOTS / "charts.png"), full_page=True)
    axis = " ".join(page.eval_on_selector_all(  # a wrapped label is a <text> of one <tspan> per line
        "#chart-change-since-2002 svg text",
        "els => els.map(t => [...t.querySelectorAll('tspan')].map(s => s.textContent).join(' ') || t.textContent)"))
    assert "Positive rating for local relationships" in axis
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", axis), "an item id on the axis"
    colours = COLOURS
    seen = {}
    for card in cards:
        for label, fill in legend(page, card).items():
            assert label in colours, f"{card}'s legend shows {label!r}, not a role group's name"
            seen.setdefault(label, set()).add(fill)
    assert {"Chief executives", "Clinical directors", "Overall"} <= set(seen)
    # A legend names exactly the groups its chart shows: the gap chart shows clinical directors alone, and
    # Table 2.8's chart its overall column too, as the table prints it.
    assert list(legend(page, "clinical-director-gap")) == ["Clinical directors"]
    assert list(legend(page, "top-barriers")) == GROUPS
    assert all(fills == {rgb(colours[label])} for label, fills in seen.items()), seen
    notes = page.locator("#chart-notes").inner_text()
    assert "mean of the other three role groups" in notes
    assert page.locator('#chart-notes a[href="/managing_doctors/change_since_2002"]').count() == 1
    assert not page.external


def test_validation_report_and_about_page(server, page):
    base = f"http://127.0.0.1:{server}"
    page.goto(base + "/validation/summary.html")
    assert page.locator("h1").inner_text() == "Validation report: every expectation passed"
    assert page.locator("table.by-resource tr.pass").count() > 20 and page.locator("tr.fail").count() == 0
    assert page.locator('a[href="/"]').count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "validation.png"))
    page.goto(base + "/about")
    for heading in ("What was surveyed", "How the tables were made", "Quality", "Licence", "How to cite",
                    "Report a problem"):
        assert heading in page.locator("h2").all_inner_texts().__str__()
    page.screenshot(path=str(SCREENSHOTS / "about.png"), full_page=True)
    assert not page.external


PUBLICATION = (["/"] + [f"/tables/T{number}" for number in TABLES]
               + [f"/{DB}", f"/{DB}/change_since_2002", f"/{DB}/claims", f"/{DB}/discrepancies", "/about"])


def sql_header(path: Path) -> str:
    """The opening comment of an SQL file, its lines joined, up to its list of columns."""
    lines = [line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("--")]
    return " ".join(lines).split("Columns:")[0].strip()


@pytest.mark.parametrize("width", [WIDTH, 390])
def test_the_database_page_lists_the_views_first_under_their_questions_then_the_tables(server, browser, width):
    """/managing_doctors: every view of sql/ first, linked under the question its file's header asks, the rest
    of the header beside it; then every resource of the package under its title, with its description; no
    sideways scrolling at 1,400 px or 390 px."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(f"http://127.0.0.1:{server}/{DB}")
        sections = pg.eval_on_selector_all("main section[id], .content section[id], section[id]",
                                           "els => els.map(e => e.id)")
        assert sections.index("views") < sections.index("tables"), sections
        assert sections[0] == "views", sections
        views = sorted((ROOT / "sql").glob("*.sql"))
        assert [p.stem for p in views] == VIEWS  # the ten views, typed out in conftest
        for path in views:
            header = sql_header(path)
            asks, more = header.split("?", 1)
            item = pg.locator("#views li", has=pg.locator(f'a[href="/{DB}/{path.stem}"]'))
            assert item.count() == 1, path.stem
            assert " ".join(item.locator("a").inner_text().split()) == asks + "?", path.stem
            assert " ".join(more.split()) in " ".join(item.inner_text().split()), path.stem
        # The 23 resources typed out (tests/expected.py), each with the title and description its source
        # (schemas/package.json and its schema) states, not datapackage.json, which the same build writes.
        package = json.loads((ROOT / "schemas" / "package.json").read_text(encoding="utf-8"))
        titled = {r["name"]: r for r in package["resources"]}
        for resource in (titled[name] for name in COLUMNS):
            schema = json.loads((ROOT / "schemas" / f"{resource['name']}.json").read_text(encoding="utf-8"))
            item = pg.locator("#tables li", has=pg.locator(f'a[href="/{DB}/{resource["name"]}"]'))
            assert item.count() == 1, resource["name"]
            assert item.locator("a").inner_text().strip() == resource["title"], resource["name"]
            assert " ".join(schema["description"].split()) in " ".join(item.inner_text().split()), resource["name"]
        widths = pg.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        pg.screenshot(path=str(SCREENSHOTS / f"database-{width}.png"), full_page=True)
        assert widths[0] <= widths[1], f"the database page is {widths[0]} px wide in a {widths[1]} px window"
    finally:
        context.close()


@pytest.mark.parametrize("width", [WIDTH, 390])
def test_the_publication_fits_a_wide_window_and_a_phone(server, browser, width):
    """The home page, every printed table's page, change since 2002, the claims and the register: no
    sideways scrolling at 1,400 px or at a phone's 390 px."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    wide = {}
    try:
        for path in PUBLICATION:
            response = pg.goto(f"http://127.0.0.1:{server}{path}")
            assert response.status == 200, path
            if overflow(pg):
                wide[path] = overflow(pg)
            if path in ("/", "/tables/T2.1", f"/{DB}/change_since_2002"):
                name = (path.strip("/").replace("/", "_") or "home") + f"-{width}.png"
                pg.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    finally:
        context.close()
    assert not wide, f"pixels wider than {width} px: {wide}"


def test_filtered_pages_and_facets_keep_the_report_order(server, page):
    page.goto(f"http://127.0.0.1:{server}/{DB}/survey_results?item_id=positive_rating_local_relationships")
    years = page.locator("td.col-survey_year").all_inner_texts()
    groups = page.locator("td.col-role_group").all_inner_texts()
    order = GROUPS
    # Table 2.1's first row as printed: the 2015 cells left to right, then its '2002 figures' row.
    assert [y.split()[0] for y in years] == ["2015"] * 5 + ["2002"] * 5
    assert [g.split("\n")[0].strip() for g in groups] == order * 2
    facet = [li.split("\n")[0].rsplit(" ", 1)[0].strip()
             for li in page.locator(".facet-info[data-column='role_group'] li").all_inner_texts()]
    assert facet == order, facet
    page.goto(f"http://127.0.0.1:{server}/{DB}/discrepancies")
    classes = [li.rsplit(" ", 1)[0].strip() for li in
               page.locator(".facet-info[data-column='explanation_class'] li").all_inner_texts()]
    # The classes the register uses, in the order schemas/discrepancies.json lists them (typed out; of the
    # schema's twelve, inconsistent_restatement and many_missing_answers explain no finding).
    assert classes == ["two_step_rounding", "count_off_by_one", "different_base", "text_one_point_off",
                       "marker_one_level_off", "qualifier_not_met", "qualifier_depends", "claim_not_supported",
                       "claim_holds_in_part", "claim_depends"], classes


def test_no_p_value_is_shown_as_zero(server, page):
    page.goto(f"http://127.0.0.1:{server}/{DB}/change_since_2002")
    shown = page.locator("td.col-p_min, td.col-p_max").all_inner_texts()
    assert len(shown) == 2 * 41 and "< 0.001" in shown
    assert not [p for p in shown if re.fullmatch(r"0(\.0*)?", p.strip())], "a p-value shown as 0"
    verdicts = set(page.locator("td.col-verdict").all_inner_texts())
    assert verdicts <= {"significant", "not significant", "depends on denominators"}, verdicts
    assert not page.locator("td.col-item_id").first.is_visible()  # the wording is shown, not the code


def test_table_pages_chart_one_bar_per_printed_group_under_its_own_statement(server, page):
    """Table 2.8 prints an overall column: its chart has it. Each statement's bars are its own figures."""
    page.goto(f"http://127.0.0.1:{server}/tables/T2.8")
    legend = page.locator("figure.bars ul.legend li").all_inner_texts()
    assert [x.strip() for x in legend] == GROUPS
    items = page.locator("figure.bars .bar-item")
    assert items.count() == 7  # Table 2.8's seven barriers
    first = items.first
    values = [v.strip() for v in first.locator(".bar-value").all_inner_texts()]
    # The first barrier, time demands placed on doctors, left to right as printed: 70% (41), 63% (82),
    # 48% (63), 64% (96), 60%.
    assert values == ["70%", "63%", "48%", "64%", "60%"], values


def test_every_kind_of_page_runs_under_the_content_security_policy(server, page):
    """Every page type, its scripts and charts, with nothing the policy blocks and no script error: tables,
    views, rows, canned queries with their suggestion lists, the SQL editor and a query's answer, a query
    over its time limit, the charts and each chart alone, the about and validation pages, a 404."""
    from web import metadata as serve_metadata

    base = f"http://127.0.0.1:{server}"
    runaway = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    paths = ["/", f"/{DB}", f"/{DB}/survey_results", f"/{DB}/change_since_2002",
             f"/{DB}/items/positive_rating_local_relationships", f"/{DB}/role_group_results?role_group=chief_executive",
             f"/{DB}/search_statements?words=pressure", f"/{DB}?sql=select+item_id,+row_label+from+items",
             f"/{DB}?sql={runaway.replace(' ', '+')}", "/-/dashboards", "/-/dashboards/report", "/about",
             "/validation/summary.html", f"/{DB}/no_such_table"]
    # The four charts (the notes card is text), typed out rather than read from the metadata the build writes.
    charts = ["change-since-2002", "clinical-director-gap", "net-impact", "top-barriers"]
    charts_served = json.loads(serve.METADATA.read_text(encoding="utf-8"))["plugins"]["datasette-dashboards"]["report"]["charts"]
    assert [slug for slug, c in charts_served.items() if c.get("library") == "vega-lite"] == charts
    paths += [f"/-/dashboards/report/{slug}" for slug in charts]
    assert set(serve_metadata.canned_queries()) >= {"role_group_results", "search_statements"}
    headers = {}
    for path in paths:
        response = page.goto(base + path)
        page.wait_for_load_state("networkidle")
        headers[path] = response.headers.get("content-security-policy", "")
        if path.startswith("/-/dashboards/report"):
            page.wait_for_selector("svg .role-axis-label text, .dashboard-card-chart svg", timeout=20000)
    assert all("frame-ancestors 'none'" in h and "script-src 'self'" in h for h in headers.values()), headers
    assert not page.blocked, page.blocked[:10]
    assert not page.external
