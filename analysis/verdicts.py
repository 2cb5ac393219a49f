"""The verdicts a claim or a part of one can get, and how they read in words (the view claims_checked, the
workbook and the about page say them so)."""
HOLDS, FAILS, DEPENDS, IN_PART, UNDECIDABLE = "holds", "does_not_hold", "depends", "holds_in_part", "undecidable"
VERDICT_WORDS = {HOLDS: "holds", FAILS: "does not hold", DEPENDS: "depends on rounding or denominators",
                 IN_PART: "holds in part", UNDECIDABLE: "cannot be decided from the printed figures"}


def counts(verdicts) -> dict[str, int]:
    """How many claims got each verdict, every verdict listed (zero included), and the total."""
    verdicts = list(verdicts)
    return {"total": len(verdicts), **{v: verdicts.count(v) for v in VERDICT_WORDS}}


def summary(c: dict[str, int]) -> str:
    """The counts in a sentence, as the README and docs/validation.md give them."""
    return (f"Of the {c['total']} distinct quantitative or comparative claims the report's text makes beyond single "
            f"restated percentages, {c[HOLDS]} hold on the printed figures, {c[FAILS]} do not, {c[DEPENDS]} depend "
            f"on rounding or denominators, {c[IN_PART]} hold in part and {c[UNDECIDABLE]} cannot be decided from "
            f"the printed figures.")
