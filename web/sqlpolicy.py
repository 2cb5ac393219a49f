"""What SQL may do on a public, anonymous, read-only server: deny by default, on every connection.

Following SQLite's own advice for untrusted SQL ("Defense Against the Dark Arts", sqlite.org/security.html):
- an authorizer that allows reading the package's own tables and views and the schema, a read-only list
  of pragmas and a vetted list of functions, and denies everything else: writes, ATTACH, virtual tables
  (fts3tokenize, whose tokenizer pointer fts3_tokenizer() could overwrite), the sqlite_stmt, dbstat and
  sqlite_dbpage views of other readers and of the file, load_extension, fts3_tokenizer;
- lower limits on the size of what a statement may build or ask for (LIMITS), each set from the largest
  value the package itself needs (measured by tests/test_sql_policy.py, stated in docs/security.md), so
  that no single SQLite operation, which no progress handler can interrupt, runs for long;
- the schema is not trusted to call functions with side effects (PRAGMA trusted_schema=OFF) and the
  connection is read-only (PRAGMA query_only), on top of Datasette's immutable mode.

No import of Datasette: the caller-SQL lane (web/lane.py) applies the same policy in its own process.
"""
from __future__ import annotations

import sqlite3

# Limit -> (value, why). The package's own largest need is measured by tests/test_sql_policy.py and
# stated beside each value in docs/security.md.
LIMITS = {
    # Any string, blob or row: the longest value the package stores is a view's definition; a caller's
    # printf('%.*c', 1e9, 'x') or randomblob() fails at once instead of allocating a gigabyte.
    "LENGTH": (1_000_000, "longest string, blob or row a statement may build"),
    # Longer than any URL the servers accept (8,192 bytes) with the SQL Datasette wraps around a _where.
    "SQL_LENGTH": (20_000, "longest statement"),
    "COLUMN": (100, "most columns in a result, table, index, ORDER BY or GROUP BY"),
    "EXPR_DEPTH": (100, "deepest expression tree (bounds the parser's and planner's recursion)"),
    "COMPOUND_SELECT": (10, "most terms of a UNION, INTERSECT or EXCEPT"),
    "VDBE_OP": (25_000, "most virtual machine instructions in one statement"),
    "FUNCTION_ARG": (32, "most arguments to a function"),
    "ATTACHED": (0, "attached databases"),
    "LIKE_PATTERN_LENGTH": (1_000, "longest LIKE or GLOB pattern"),
    "VARIABLE_NUMBER": (1_000, "highest parameter number"),
    "TRIGGER_DEPTH": (1, "trigger recursion (there are no triggers)"),
    "WORKER_THREADS": (0, "helper threads a sort may start"),
}

# Read-only pragmas Datasette and readers use to describe the schema. With an argument that sets a value
# (PRAGMA x = y) they are refused: only table_info-style pragmas take an argument, and it names a table.
PRAGMAS = frozenset({"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
                     "collation_list", "function_list", "data_version", "schema_version"})
PRAGMAS_WITH_ARGUMENT = frozenset({"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                                   "foreign_key_list"})
# Pragmas whose answer would give away the machine (the database file's path, the library's build): they
# answer nothing rather than fail, so that Datasette's own use of them still works.
SILENT_PRAGMAS = frozenset({"database_list", "compile_options"})

# Functions a reader's query may call: SQLite's core scalar, aggregate, window, date, math and JSON
# functions, full-text search's own, Datasette's escape_fts and the package's wrap_label. Not in the list,
# so refused: fts3_tokenizer, fts5 (pointer), load_extension, randomblob, zeroblob, the sqlite_* build and
# offset functions, changes() and other connection state.
FUNCTIONS = frozenset("""
    abs char coalesce format glob hex ifnull iif instr length like likelihood likely lower ltrim max min nullif
    printf quote random replace round rtrim sign soundex substr substring trim typeof unicode unlikely upper
    date time datetime julianday unixepoch strftime
    avg count group_concat string_agg sum total
    row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
    acos acosh asin asinh atan atan2 atanh ceil ceiling cos cosh degrees exp floor ln log log10 log2 mod pi pow
    power radians sin sinh sqrt tan tanh trunc
    json json_array json_array_length json_extract json_insert json_object json_patch json_quote json_remove
    json_replace json_set json_type json_valid json_group_array json_group_object -> ->>
    match bm25 highlight snippet
    sqlite_version escape_fts wrap_label
""".split())

# Eponymous virtual tables a reader may select from: JSON's, and the pragmas above as table-valued functions.
TABLE_FUNCTIONS = frozenset({"json_each", "json_tree"} | {f"pragma_{p}" for p in PRAGMAS})
SCHEMA = frozenset({"sqlite_master", "sqlite_schema"})

_OK, _DENY, _IGNORE = sqlite3.SQLITE_OK, sqlite3.SQLITE_DENY, sqlite3.SQLITE_IGNORE


def readable(conn: sqlite3.Connection) -> frozenset[str]:
    """The tables (full-text search's shadow tables among them) and views of the connection's database,
    lower case."""
    names = {name.lower() for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    return frozenset(n for n in names if not n.startswith("sqlite_")) | SCHEMA | TABLE_FUNCTIONS


def modules(conn: sqlite3.Connection) -> frozenset[str]:
    """The library's virtual table modules (dbstat, sqlite_stmt, fts3tokenize, ...), lower case: those that
    need no CREATE can be read by name alone."""
    return frozenset(name.lower() for (name,) in conn.execute("SELECT name FROM pragma_module_list"))


def authorizer(names: frozenset[str], virtual: frozenset[str] = frozenset()):
    """sqlite3 authorizer: reading `names` and the vetted functions and pragmas, nothing else. A name that is
    neither a table nor a view of the database nor one of the `virtual` modules, read with no column, is
    a common table expression's count(*): SQLite names no database for it."""
    def decide(action, arg1, arg2, database, source):
        if action == sqlite3.SQLITE_SELECT:
            return _OK
        if action == sqlite3.SQLITE_READ:
            table = (arg1 or "").lower()
            if table in names:
                return _OK if database in (None, "main") else _DENY
            if table in virtual or table.startswith(("pragma_", "sqlite_")):
                return _DENY
            return _OK if database is None else _DENY
        if action == sqlite3.SQLITE_FUNCTION:
            return _OK if arg2 and arg2.lower() in FUNCTIONS else _DENY
        if action == sqlite3.SQLITE_RECURSIVE:  # recursive CTEs: bounded by the time limit
            return _OK
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if name in SILENT_PRAGMAS and arg2 is None:
                return _IGNORE
            if name in PRAGMAS and (arg2 is None or name in PRAGMAS_WITH_ARGUMENT) and database in (None, "main"):
                return _OK
        return _DENY
    return decide


def apply_limits(conn: sqlite3.Connection) -> None:
    for name, (value, _) in LIMITS.items():
        conn.setlimit(getattr(sqlite3, f"SQLITE_LIMIT_{name}"), value)


def harden(conn: sqlite3.Connection) -> None:
    """Make a connection safe for anyone's SQL. The schema is read, and the virtual tables it declares
    (full-text search) and those a reader may select from connected, before the authorizer is set: SQLite
    authorizes those internal steps as writes to sqlite_master, which no reader's statement may make."""
    apply_limits(conn)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA query_only = ON")
    virtual = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
    for name in [*virtual, *sorted(TABLE_FUNCTIONS)]:  # the package's full-text index, json_each, pragma_*
        conn.execute(f'SELECT * FROM "{name.replace(chr(34), chr(34) * 2)}" LIMIT 0').fetchall()
    conn.set_authorizer(authorizer(readable(conn), modules(conn)))
