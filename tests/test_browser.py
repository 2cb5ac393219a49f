"""The served package in a real browser (Debian's headless Chromium driven by Playwright) and over raw
HTTP against a real `python -m web.serve` process."""
import http.client
import os
from pathlib import Path

import pytest
from conftest import ROOT

from core import schemas
from web import serve

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
# As root and offline: no sandbox, no GPU, and none of Chromium's background calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
                 "/..%2f..%2fetc/passwd", "/csv/..%2f..%2fMakefile", "/managing_doctors/items/" + "x" * 5000):
        status, location, _ = raw_get(server, path)
        assert status < 500, path
        assert not (location or "").startswith(("//example.com", "http://example.com")), path


def test_home_page_and_a_canned_query_with_a_parameter_in_chromium(server):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{server}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "/")
        assert "Managing doctors, doctors managing" in page.title()
        assert page.locator('a[href="/csv/survey_results.csv"]').count() == 1
        page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)

        page.goto(base + "/managing_doctors/role_group_results")
        page.fill('input[name="role_group"]', "clinical_director")
        page.locator('form input[type="submit"]').first.click()
        page.wait_for_selector("table.rows-and-columns tbody tr")
        rows = page.locator("table.rows-and-columns tbody tr")
        assert rows.count() == 77  # 68 items in 2015, Table 2.1's five 2002 rows and four 2002 figures of the text
        driven = page.locator("table.rows-and-columns tbody tr", has_text="driven_by_clinical_priorities")
        assert "43% (62)" in driven.inner_text()
        page.screenshot(path=str(SCREENSHOTS / "role_group_results.png"), full_page=True)

        # The validation report linked from the home page: Great Expectations' Data Docs.
        page.goto(base + "/")
        page.click('a[href="/validation/summary.html"]')
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Validation report: every expectation passed"
        # At least one expectation (its type) for every column of every served table, all passing.
        columns = sum(len(schemas.fields(n)) for n in schemas.resource_names())
        assert page.locator("tr.pass").count() > columns and page.locator("tr.fail").count() == 0
        page.screenshot(path=str(SCREENSHOTS / "validation.png"))
        browser.close()
    assert (SCREENSHOTS / "role_group_results.png").stat().st_size > 10_000
