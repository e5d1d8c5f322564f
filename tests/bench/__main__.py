"""``python -m tests.bench`` (``make bench``): run every ``tests/bench/bench_*.py``.

Each benchmark module has ``main(argv) -> int`` and ignores options it does not know, so
``python -m tests.bench --check`` reaches them all; ``-k NAME`` runs the modules whose
name contains NAME. Benchmarks print figures and never assert on time: ``--check`` makes
a missed goal the exit status, for those who want that.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def discover() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        f"tests.bench.{module.name}"
        for module in pkgutil.iter_modules([str(here)])
        if module.name.startswith("bench_")
    )


def main(argv: list[str]) -> int:
    selected = None
    if "-k" in argv:
        index = argv.index("-k")
        selected = argv[index + 1] if index + 1 < len(argv) else ""
        argv = argv[:index] + argv[index + 2 :]
    status = 0
    for name in discover():
        if selected is not None and selected not in name:
            continue
        started = time.perf_counter()
        module = importlib.import_module(name)
        status = max(status, int(module.main(argv)))
        sys.stdout.write(f"[{name}: {time.perf_counter() - started:.0f} s]\n\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
