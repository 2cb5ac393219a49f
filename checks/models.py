"""pandera models generated from the Table Schemas: columns, types, required, enum, range, pattern, keys."""
from __future__ import annotations

import pandera.pandas as pa

from core import schemas
from core.types import engine_type


def pandera_schema(name: str, res: dict | None = None) -> pa.DataFrameSchema:
    """The pandera model that schemas/<name>.json implies: columns, types, required, enum, range, keys;
    with the resources `res`, a foreign key's values among the referenced resource's keys."""
    sch = schemas.schema(name)
    references = {fk["fields"][0]: fk["reference"] for fk in sch.get("foreignKeys", [])
                  if len(fk["fields"]) == 1 and fk["reference"]["resource"] != name}
    columns = {}
    for f in schemas.fields(name):
        c = f.get("constraints", {})
        checks = []
        if "enum" in c:
            checks.append(pa.Check.isin(c["enum"]))
        elif res is not None and f["name"] in references and references[f["name"]]["resource"] in res:
            ref = references[f["name"]]
            # named as a failure's check: the referenced keys' whole list would say less, at length
            checks.append(pa.Check.isin(res[ref["resource"]][ref["fields"][0]].dropna().tolist(),
                                        error=f"foreign key to {ref['resource']}"))
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"]))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"]))
        if "pattern" in c:
            checks.append(pa.Check.str_matches(f"^(?:{c['pattern']})$"))
        columns[f["name"]] = pa.Column(engine_type(f["type"], "pandas"), checks=checks,
                                       nullable=not c.get("required", False), unique=c.get("unique", False),
                                       title=f.get("title"), description=f.get("description"))
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=sch.get("primaryKey"), name=name,
                              description=sch.get("description"))
