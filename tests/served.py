"""Published snapshots in a scratch folder, laid out as publish/snapshot.py lays out build/served/, for
servers the tests start, attack and rebuild underneath; and a plain HTTP client."""
from __future__ import annotations

import http.client
import os
import shutil
import sqlite3
from pathlib import Path

from publish import snapshot
from web import serve

WAVES = "/managing_doctors/survey_waves.json?_shape=array"


def publish(served: Path, respondents_2015: int | None = None) -> Path:
    """A copy of the current snapshot published in `served` (its current link swapped to it), with the 2015
    wave's respondents changed if given: a rebuild whose pages differ in one figure."""
    source = serve.snapshot()
    served.mkdir(parents=True, exist_ok=True)
    staging = served / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    if respondents_2015 is not None:
        con = sqlite3.connect(staging / serve.DATABASE.name)
        with con:
            con.execute("UPDATE survey_waves SET respondents = ? WHERE survey_year = 2015", (respondents_2015,))
        con.close()
    bid = snapshot.build_id({p.relative_to(staging).as_posix(): p for p in staging.rglob("*") if p.is_file()})
    folder = served / bid
    if folder.exists():
        shutil.rmtree(staging)
    else:
        os.rename(staging, folder)
    pointer = served / ".current-new"
    pointer.unlink(missing_ok=True)
    os.symlink(bid, pointer)
    os.replace(pointer, served / "current")
    return folder


def get(port: int, path: str, timeout: float = 20, headers: dict | None = None, method: str = "GET"):
    """(status, headers with lower-case names, body as text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
    finally:
        conn.close()
