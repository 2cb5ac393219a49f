"""Published snapshots in a scratch folder, laid out as publish/snapshot.py lays out build/served/, for
servers the tests start, attack and rebuild underneath (benchmarks/rebuild.py's publish); and a plain HTTP
client."""
from __future__ import annotations

import http.client

from benchmarks.rebuild import WAVES, publish  # noqa: F401  (used by the tests that import them from here)


def get(port: int, path: str, timeout: float = 20, headers: dict | None = None, method: str = "GET"):
    """(status, headers with lower-case names, body as text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
    finally:
        conn.close()
