"""Checks of the built package: schema-derived pandera models, arithmetic rules, the register."""
