"""The one reader of the package's SQL files (sql/*.sql views, sql/queries/*.sql canned queries):
an opening comment that says what the SQL answers, then one SELECT."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SqlFile:
    name: str
    description: str  # the opening comment: the question it answers and its columns
    body: str         # the SELECT, in SQL that DuckDB and SQLite both run


def read(path: Path) -> SqlFile:
    text = path.read_text(encoding="utf-8")
    comment = [line[2:].strip() for line in text.splitlines() if line.startswith("--")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--")).strip()
    # A view that must list columns may open with Jinja settings ({% set ... %}) before its SELECT.
    if not comment or not re.match(r"(?is)^(\{%.*?%\}\s*)*select\b", body):
        raise ValueError(f"{path}: an SQL file opens with a comment and holds one SELECT")
    return SqlFile(path.stem, " ".join(comment), body)


def read_all(folder: Path) -> list[SqlFile]:
    return [read(p) for p in sorted(folder.glob("*.sql"))]
