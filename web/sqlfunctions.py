"""The package's own SQL functions, registered on every connection that serves the package (Datasette's,
through web/plugins/presentation.py, and the caller-SQL lane's, web/lane.py).

SQLite cannot interrupt a function while it runs, so each one's work is linear in its input and its input
is capped: a call costs microseconds whatever a query passes it.
"""
from __future__ import annotations

import textwrap

WRAP_LABEL_MAX = 1_000  # characters: the labels the charts wrap are at most a few hundred


def wrap_label(text, width=40):
    """The text broken into lines of at most `width` (at least 8) characters at spaces and hyphens, joined
    by newlines (which the charts' axes split), so that labels wrap rather than being cut. A word longer
    than a line is cut into line-long pieces first: textwrap's own handling of long words is quadratic."""
    if text is None:
        return None
    text = str(text)
    if len(text) > WRAP_LABEL_MAX:
        raise ValueError(f"wrap_label takes at most {WRAP_LABEL_MAX:,} characters")
    width = min(max(int(width), 8), WRAP_LABEL_MAX)
    words = [w[i:i + width] for w in text.split() for i in range(0, len(w), width)]
    return "\n".join(textwrap.wrap(" ".join(words), width, break_long_words=False)) or text


def register(conn) -> None:
    conn.create_function("wrap_label", 2, wrap_label, deterministic=True)
