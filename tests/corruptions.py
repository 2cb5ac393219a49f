"""Fault injection's shared parts: the published tables, an oracle independent of the checks, and what counts
as detected. tests/test_fault_injection_cells.py corrupts one cell of survey_results at a time and
tests/test_fault_injection_rows.py one row, to show that the checks catch every corruption that breaks
arithmetic consistency. (Two files, so that the two halves run on both test workers.)

The oracle is a brute-force loop, independent of the vectorised checks: a 2015 group cell is consistent
when some whole denominator d, count <= d <= n, makes 100*count/d round (half up) to the percentage.

What arithmetic cannot detect, and why:
- a percent or count moved to another pair that some denominator still reproduces (for example a count
  moved by one where several missing answers are possible): the printed numbers stay mutually
  consistent, so only the original print could tell;
- counts swapped between two role groups whose n and percentages happen to allow both counts;
- the 2002 rows print no counts and no n, so a moved 2002 percentage is caught only if it leaves the
  range of the groups (overall_within_group_range).
Cells already in the register are not corrupted here: their printed numbers are inconsistent to begin with.
Dropped, duplicated and renamed rows break structure, not just arithmetic, and must always be caught.
"""
from fractions import Fraction
from math import floor

from conftest import ROOT
from expected import RULES
from hypothesis import HealthCheck, settings

from analysis import derived, labels
from checks import validate
from core import frames

RES = frames.load_all(ROOT)
REGISTER = validate.read_register()
NEEDED = ["survey_results", "items", "role_groups", "text_figures", "role_profile", "interview_participants",
          "wave_2002", "claims"]
SR = RES["survey_results"]
REGISTERED_CELLS = {tuple(k.split(":")[2:4]) for k in REGISTER if k.startswith("count_reconciles:")}
GROUP_CELLS = [i for i, r in SR.iterrows() if r.survey_year == 2015 and r.role_group != "all_respondents"
               and (r.item_id, r.role_group) not in REGISTERED_CELLS]
# Every rule but the significance tests, which rest on the same counts and take seconds to rerun.
ARITHMETIC = [r for r in RULES if r != "significance_reproduces"]
ROLES = ["chief_executive", "medical_director", "directorate_manager", "clinical_director"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def consistent(count, percent, n) -> bool:
    if not (0 <= percent <= 100 and 0 <= count <= n):
        return False
    return any(floor(Fraction(100 * count, d) + Fraction(1, 2)) == percent for d in range(max(count, 1), n + 1))


def detected(results, item_id: str, row: int | None = None) -> bool:
    """Caught only when validation names the corrupted item (or, for a row-level corruption, its row of
    tables/survey_results.csv): a crash or an unrelated complaint does not count."""
    res = {k: RES[k] for k in NEEDED}
    res["survey_results"] = results.reset_index(drop=True)
    try:
        cells = derived.cell_denominators(res["survey_results"])
        bases = derived.overall_bases(res["survey_results"], cells, 472)
        # labelled as the build labels them, so that only the corruption can fail the schema checks
        res["cell_denominators"] = labels.attach("cell_denominators", cells, RES)
        res["overall_bases"] = labels.attach("overall_bases", bases, RES)
    except Exception as e:
        problems = [f"{type(e).__name__}: {e}"]
    else:
        problems, _ = validate.check(res, REGISTER, only=ARITHMETIC)
    where = [item_id] + ([f"row {row}, "] if row is not None else [])
    return any(w in p for p in problems for w in where)
