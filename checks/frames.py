"""Resources as typed DataFrames, and pandera models generated from their Table Schemas."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline import schemas

DTYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string", "date": "string"}


def read(name: str, source) -> pd.DataFrame:
    """A resource's CSV (a path or bytes) as a DataFrame typed by its schema."""
    buf = io.BytesIO(source) if isinstance(source, bytes) else source
    types = {f["name"]: f["type"] for f in schemas.fields(name)}
    bools = [n for n, t in types.items() if t == "boolean"]
    df = pd.read_csv(buf, dtype={n: ("string" if t in ("boolean", "date") else DTYPES[t]) for n, t in types.items()},
                     keep_default_na=False, na_values=[""])
    for n in bools:
        df[n] = df[n].map({"true": True, "false": False}).astype("boolean")
    return df


def load_all(root: Path) -> dict[str, pd.DataFrame]:
    return {n: read(n, root / schemas.resource(n)["path"]) for n in schemas.resource_names()}


def pandera_schema(name: str) -> pa.DataFrameSchema:
    """The pandera model that schemas/<name>.json implies: columns, types, required, enum, range, keys."""
    columns = {}
    for f in schemas.fields(name):
        c = f.get("constraints", {})
        checks = []
        if "enum" in c:
            checks.append(pa.Check.isin(c["enum"]))
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"]))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"]))
        if "pattern" in c:
            checks.append(pa.Check.str_matches(f"^(?:{c['pattern']})$"))
        columns[f["name"]] = pa.Column(DTYPES[f["type"]], checks=checks, nullable=not c.get("required", False),
                                       unique=c.get("unique", False), title=f.get("title"),
                                       description=f.get("description"))
    sch = schemas.schema(name)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=sch.get("primaryKey"), name=name,
                              description=sch.get("description"))
