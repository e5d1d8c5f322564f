"""The child's side of the job protocol: a job's program reports to its worker on stdout.

One JSON object a line: ``{"progress": percent, ...}`` while it works, and
``{"result": {...}}`` once at the end (handed to the kind's ``succeeded`` hook). Anything
else on stdout is ignored; stderr's tail becomes the error text of a failed attempt. Exit
status 0 is success, :data:`EXIT_BAD_INPUT` input no retry could help, anything else (a
crash, a signal) is retried. Import nothing heavy here: every job's child imports it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

# sysexits.h's EX_DATAERR: the input is wrong, trying again is pointless.
EXIT_BAD_INPUT = 65


def report(payload: dict[str, Any]) -> None:
    """Send one report line to the worker now (flushed: the worker beats with it)."""
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def report_progress(percent: float, **details: Any) -> None:
    """How far the job is, 0-100 (shown to organizers and the job's owner)."""
    report({"progress": percent, **details})


def report_result(result: dict[str, Any]) -> None:
    """The job's outcome, once, just before exiting with status 0."""
    report({"progress": 100.0, "result": result})
