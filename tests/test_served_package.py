"""The package as published, over HTTP from a real `python -m web.serve` process: Frictionless validates
the served descriptor with every resource it points to, pandas reads a CSV from its URL, content types and
CORS are right for notebooks and pages on other origins, and HEAD and OPTIONS behave as documented."""
import http.client
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from expected import COLUMNS

from web import serve

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture(scope="module")
def base():
    proc, port = serve.start()
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def request(base, path, method="GET", headers=None):
    conn = http.client.HTTPConnection(base.split("//")[1], timeout=20)
    conn.request(method, path, headers=headers or {})
    r = conn.getresponse()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()


def test_frictionless_validates_the_package_at_its_served_address(base):
    out = subprocess.run([str(FRICTIONLESS), "validate", "--json", f"{base}/package/datapackage.json"],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(out.stdout)
    assert out.returncode == 0 and report["valid"], out.stdout[-2000:]
    # every one of the 23 resources, in the order published (tests/expected.py), not as many as the
    # descriptor the same build wrote happens to list
    assert [t["name"] for t in report["tasks"]] == list(COLUMNS)


def test_pandas_reads_the_served_csv_with_its_defaults(base):
    served = pd.read_csv(f"{base}/package/tables/survey_results.csv")
    local = pd.read_csv(serve.ROOT / "tables" / "survey_results.csv")
    pd.testing.assert_frame_equal(served, local)
    # beside the file it serves, figures known by hand: 68 items x 5 columns of 2015 and the 41 of 2002 (Table
    # 2.1's 5 items x 5 columns, and 16 the text states), in 21 columns; Table 2.1's first cell, chief executives' positive rating, 72% (42)
    assert served.shape == (68 * 5 + 41, 21)
    assert served.iloc[0][["table_id", "item_id", "role_group", "cell_text"]].tolist() == [
        "T2.1", "positive_rating_local_relationships", "chief_executive", "72% (42)"]


@pytest.mark.parametrize("path, content_type", [
    ("/package/datapackage.json", "application/json"),
    ("/package/csv-metadata.json", "application/json"),
    ("/package/schemas/survey_results.json", "application/json"),
    ("/package/tables/survey_results.csv", "text/csv; charset=utf-8"),
    ("/csv/survey_results.csv", "text/csv; charset=utf-8"),
    ("/parquet/survey_results.parquet", "application/vnd.apache.parquet"),
    ("/managing_doctors/survey_results.json", "application/json; charset=utf-8"),
])
def test_content_types_and_cors_on_data_and_static_files(base, path, content_type):
    status, headers, body = request(base, path, headers={"Origin": "http://notebook.example"})
    assert status == 200 and body
    assert headers["content-type"] == content_type
    assert headers["access-control-allow-origin"] == "*"
    if path.endswith(".parquet"):
        assert headers["content-disposition"] == 'attachment; filename="survey_results.parquet"'


@pytest.mark.parametrize("path", ["/", "/managing_doctors/items", "/managing_doctors/items.json",
                                  "/package/datapackage.json", "/about"])
def test_head_answers_like_get_without_a_body_and_options_lists_the_methods(base, path):
    get_status, get_headers, _ = request(base, path)
    status, headers, body = request(base, path, "HEAD")
    assert (status, body) == (get_status, b"") and status == 200
    assert headers["content-type"] == get_headers["content-type"]
    status, headers, body = request(base, path, "OPTIONS", {"Origin": "http://notebook.example",
                                                            "Access-Control-Request-Method": "GET"})
    assert status == 204 and headers["allow"] == "GET, HEAD, OPTIONS"
    assert headers["access-control-allow-origin"] == "*"
    assert request(base, path, "DELETE")[0] == 405
