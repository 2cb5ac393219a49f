"""One map from Table Schema types to every engine the package writes to or reads with."""
from __future__ import annotations

# type: (pandas dtype, DuckDB column type, SQLite affinity for sqlite-utils, CSVW datatype base)
ENGINES = ("pandas", "duckdb", "sqlite", "csvw")
TYPES = {
    "string": ("string", "VARCHAR", str, "string"),
    "integer": ("Int64", "BIGINT", int, "integer"),
    "number": ("Float64", "DOUBLE", float, "number"),
    "boolean": ("boolean", "BOOLEAN", int, "boolean"),  # SQLite keeps true/false as 1/0
    "date": ("string", "DATE", str, "date"),  # ISO text in frames and SQLite
}


def engine_type(table_schema_type: str, engine: str):
    return TYPES[table_schema_type][ENGINES.index(engine)]
