"""Checks of the built package: pandera models and the register, Great Expectations on what is
served. Never imported by the build."""
