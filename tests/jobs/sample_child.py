"""The program of the tests' sample job kind (run as ``python -m tests.jobs.sample_child``).

Arguments: the attempt number and the job's payload as JSON. It adds up
``payload["numbers"]``, unless told otherwise: ``bad`` exits with the bad-input status,
``crash_attempts: N`` kills itself (SIGKILL, as the OOM killer would) on attempts up to N,
and ``hold: PATH`` reports 50 % and then waits until PATH exists, so a test can look at a
job while it runs.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

from conference.jobs.child import EXIT_BAD_INPUT, report_progress, report_result


def main(argv: list[str]) -> int:
    attempt, payload = int(argv[0]), json.loads(argv[1])
    if payload.get("bad"):
        print("These are not numbers.", file=sys.stderr)  # noqa: T201
        return EXIT_BAD_INPUT
    if attempt <= int(payload.get("crash_attempts", 0)):
        os.kill(os.getpid(), signal.SIGKILL)
    report_progress(50.0)
    hold = payload.get("hold")
    if hold:
        # The test creates the file once it has seen the job running.
        while not Path(hold).exists():
            time.sleep(0.01)
    report_result({"sum": sum(payload["numbers"])})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
