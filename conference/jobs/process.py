"""The worker's side of a job's child process: start it, read its reports, beat, end it.

The child runs alone (``python -m ...``), so a decoder crash, a segfault or the OOM killer
ends it, never the process holding the queue. While it runs, ``beat`` is called about once
a second with the last reported progress; when ``beat`` answers False the job was taken
over by another worker (we were presumed dead), so the child is killed rather than left to
duplicate the work.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

STDERR_TAIL_BYTES = 2000

# Called with the progress so far; False: the job is no longer ours.
Beat = Callable[[float], Awaitable[bool]]


@dataclass
class ChildOutcome:
    """How a child ended: its exit status (negative: the signal), result and stderr tail."""

    returncode: int
    result: dict[str, Any] | None
    stderr_tail: str
    lost: bool = False  # another worker took the job over


@dataclass
class _Reports:
    progress: float = 0.0
    result: dict[str, Any] | None = None
    hung: str = ""
    lost: bool = False


async def run_child(
    command: list[str],
    *,
    program: str,
    beat: Beat,
    beat_seconds: float,
    stall_seconds: float,
    started: Callable[[int | None], None],
) -> ChildOutcome:
    """Run ``command`` to its end (or kill it when it hangs or the job is lost); ``program``
    names it in error texts, ``started`` learns its pid (None once it has ended)."""
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    started(process.pid)
    assert process.stdout is not None
    assert process.stderr is not None
    reports = _Reports()
    stderr_task = asyncio.create_task(process.stderr.read())
    beat_task = asyncio.create_task(_beat(beat, beat_seconds, reports, process))
    try:
        while True:
            line = await asyncio.wait_for(process.stdout.readline(), stall_seconds)
            if not line:
                break
            read_report(line, reports)
        await process.wait()
    except TimeoutError:
        reports.hung = f"The {program} reported nothing for {stall_seconds:.0f} s."
    finally:
        beat_task.cancel()
        with contextlib.suppress(BaseException):
            await beat_task
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
        stderr = await stderr_task
        started(None)
    tail = stderr[-STDERR_TAIL_BYTES:].decode(errors="replace").strip()
    returncode = process.returncode if process.returncode is not None else -9
    if reports.hung:  # hung and killed: a failure even if the kill raced an exit
        return ChildOutcome(-9, None, f"{reports.hung} {tail}".strip(), lost=reports.lost)
    return ChildOutcome(returncode, reports.result, tail, lost=reports.lost)


async def _beat(
    beat: Beat, seconds: float, reports: _Reports, process: asyncio.subprocess.Process
) -> None:
    while True:
        await asyncio.sleep(seconds)
        if not await beat(reports.progress):
            reports.lost = True
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            return


def read_report(line: bytes, reports: _Reports) -> None:
    """Take a progress or result line from the child (other output is ignored)."""
    try:
        report = json.loads(line)
    except ValueError:
        return
    if not isinstance(report, dict):
        return
    if "progress" in report:
        with contextlib.suppress(TypeError, ValueError):
            reports.progress = max(0.0, min(100.0, float(report["progress"])))
    if isinstance(report.get("result"), dict):
        reports.result = report["result"]
