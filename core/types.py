"""One map from Table Schema types to every engine the package writes to or reads with."""
from __future__ import annotations

# type: (pandas dtype, DuckDB column type, SQLite affinity for sqlite-utils, CSVW datatype base,
#        the column types Great Expectations may report for it: SQLite's through SQLAlchemy, and a
#        DuckDB result's pandas dtypes, text read as pandas' "string" dtype)
ENGINES = ("pandas", "duckdb", "sqlite", "csvw", "gx_sqlite", "gx_pandas")
TYPES = {
    "string": ("string", "VARCHAR", str, "string", ["TEXT", "VARCHAR"], ["StringDtype"]),
    "integer": ("Int64", "BIGINT", int, "integer", ["INTEGER", "BIGINT"], ["int64", "Int64Dtype"]),
    "number": ("Float64", "DOUBLE", float, "number", ["REAL", "FLOAT"], ["float64", "Float64Dtype"]),
    # SQLite keeps true/false as 1/0
    "boolean": ("boolean", "BOOLEAN", int, "boolean", ["INTEGER"], ["bool", "BooleanDtype"]),
    # ISO text in frames and SQLite
    "date": ("string", "DATE", str, "date", ["TEXT"], ["datetime64[ns]", "datetime64[us]", "datetime64[s]", "object"]),
}


def engine_type(table_schema_type: str, engine: str):
    return TYPES[table_schema_type][ENGINES.index(engine)]
