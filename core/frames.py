"""Resources as DataFrames typed by their Table Schemas: read from CSV, or built from rows in memory."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from core import schemas
from core.types import engine_type


def read(name: str, source) -> pd.DataFrame:
    """A resource's CSV (a path or bytes) as a DataFrame typed by its schema."""
    buf = io.BytesIO(source) if isinstance(source, bytes) else source
    types = {f["name"]: f["type"] for f in schemas.fields(name)}
    bools = [n for n, t in types.items() if t == "boolean"]
    df = pd.read_csv(buf, dtype={n: ("string" if t == "boolean" else engine_type(t, "pandas")) for n, t in types.items()},
                     keep_default_na=False, na_values=[""])
    for n in bools:
        df[n] = df[n].map({"true": True, "false": False}).astype("boolean")
    return df


def load_all(root: Path) -> dict[str, pd.DataFrame]:
    return {n: read(n, root / schemas.resource(n)["path"]) for n in schemas.resource_names()}


def from_rows(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows (dicts keyed by field, None for missing) as the same typed frame read() gives."""
    fields = schemas.fields(name)
    data = {f["name"]: [r.get(f["name"]) for r in rows] for f in fields}
    return pd.DataFrame({f["name"]: pd.array(data[f["name"]], dtype=engine_type(f["type"], "pandas"))
                         for f in fields})
