"""How a build stage's process ends."""
from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn


def exit_now(code: int | None) -> NoReturn:
    """Flush what the stage printed, then end the process without the interpreter's teardown.

    Freeing every module and object one by one takes up to 0.6 s in a process that has imported
    Great Expectations (0.2 s with pandas and scipy), on every build; the operating system reclaims
    the memory at once. Stages close their files and databases before they return."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
