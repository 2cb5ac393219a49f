"""Arithmetic, derived figures, statistics and the rules with their explanations: pure functions of
typed frames. Imports core only."""
