"""The unit layer's inputs (tests/unit: fast, no build/ needed; make mutation runs it on every mutant).

Everything the code under test computes is computed inside a test, never at import or in a fixture shared
across tests: make mutation forks each mutant's run from a process that has already imported these modules."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from core import frames, schemas

ROOT = Path(__file__).resolve().parent.parent.parent


def published(name: str) -> pd.DataFrame:
    """A committed resource as the typed frame the checks read."""
    return frames.read(name, ROOT / schemas.resource(name)["path"])


def published_all() -> dict[str, pd.DataFrame]:
    return frames.load_all(ROOT)


def committed_bytes(name: str) -> bytes:
    return (ROOT / schemas.resource(name)["path"]).read_bytes()


def transcription():
    """The hand-typed inputs as pipeline.transcription reads them (its own checks included, Frictionless not)."""
    from pipeline import transcription as t

    return t.read(ROOT / t.FOLDER)

