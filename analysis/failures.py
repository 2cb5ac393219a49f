"""A derived figure that cannot be computed from the printed figures it rests on.

The error names those figures by the keys of pipeline.transcription.sources (a table's cell as
("survey_results", item_id, survey_year, role_group), a claim as ("claims", claim_id)), so that the build
can say where each was typed (file, row, column, cell) rather than which function failed.
"""
from __future__ import annotations


class FiguresError(ValueError):
    """problem: what cannot be computed, in words for people; rests_on: the printed figures, most likely
    mistyped first."""

    def __init__(self, problem: str, rests_on=()):
        super().__init__(problem)
        self.problem = problem
        self.rests_on = list(dict.fromkeys(rests_on))


def cells(item_id: str, years, groups) -> list[tuple]:
    """The keys of an item's printed cells, for these waves and role groups."""
    return [("survey_results", item_id, int(y), g) for y in years for g in groups]
