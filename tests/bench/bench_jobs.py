"""The job queue (issue 10): what the database queue costs, and how a job library compares.

Measured on SQLite (the embedded default, a fresh migrated file) and, when
``CONFERENCE_TEST_DATABASE_URL`` is set, PostgreSQL (a database made for the run):

- enqueue: one job added and committed in its own session, as an upload request does;
- claim: one runner taking the queued jobs one by one (select, conditional update, commit);
- race: two runners on two engines (two worker processes) draining the same jobs at once,
  counting jobs claimed twice (must be none);
- run: enqueue and run one job of a trivial kind to the end, its child process included
  (``python -c`` printing a result): what the child-process rule costs per job.

Then huey, the one maintained library with storage for both SQLite and Redis (and
PostgreSQL through psycopg): enqueue and dequeue on its SqliteHuey and, when
``CONFERENCE_TEST_REDIS_URL`` is set, RedisHuey; and what happens to a task whose consumer
is killed after taking it. huey is no dependency of the project: the comparison runs when
it is importable (``pip install --target /tmp/huey-lib huey==3.5.4`` and
``PYTHONPATH=/tmp/huey-lib``), and is skipped otherwise. ``--jobs N`` sets the count.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from conference.db import migrate
from conference.db.engine import Database
from conference.jobs import service
from conference.jobs.kinds import ClaimedJob, JobKind, JobKinds
from conference.jobs.models import Job
from conference.jobs.runner import JobRunner
from tests import databases
from tests.bench.measure import Timing, ms

TRIVIAL_CHILD = 'import json; print(json.dumps({"result": {}}))'


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def trivial_kinds() -> JobKinds:
    kinds = JobKinds()
    kinds.register(
        JobKind(
            name="bench",
            label="Benchmark",
            command=lambda _job: [sys.executable, "-c", TRIVIAL_CHILD],
        )
    )
    return kinds


async def timed(n: int, step: Callable[[], Awaitable[object]]) -> tuple[Timing, float]:
    """Per-step timing and steps per second over ``n`` sequential steps."""
    samples = []
    started = time.perf_counter()
    for _ in range(n):
        begin = time.perf_counter()
        await step()
        samples.append(time.perf_counter() - begin)
    return Timing.of(samples), n / (time.perf_counter() - started)


def line(name: str, timing: Timing, rate: float) -> None:
    say(f"  {name:34} p50 {ms(timing.p50)}  p95 {ms(timing.p95)}  {rate:8.0f} /s")


async def measure_queue(label: str, url: str, jobs: int) -> None:
    """Enqueue, claim, race and run on the database at ``url`` (migrated, empty)."""
    say(f"\n{label}")
    kinds = trivial_kinds()
    kind = kinds.get("bench")
    database, other = Database(url), Database(url)
    try:

        async def enqueue() -> None:
            async with database.session() as db:
                await service.enqueue(db, kind=kind, payload={"n": 1}, subject="bench")
                await db.commit()

        timing, rate = await timed(jobs, enqueue)
        line("enqueue (own session, commit)", timing, rate)

        runner = JobRunner(kinds)

        async def claim() -> ClaimedJob | None:
            async with database.session() as db:
                return await runner.claim(db)

        timing, rate = await timed(jobs, claim)
        line("claim (one runner)", timing, rate)

        async with database.session() as db:
            await db.execute(delete(Job))
            await db.commit()
        for _ in range(jobs):
            await enqueue()
        first, second = JobRunner(kinds), JobRunner(kinds)
        taken: list[int] = []

        async def drain(who: JobRunner, engine: Database) -> int:
            count = 0
            while True:
                async with engine.session() as db:
                    job = await who.claim(db)
                if job is None:
                    return count
                taken.append(job.id)
                count += 1

        started = time.perf_counter()
        split = await asyncio.gather(drain(first, database), drain(second, other))
        elapsed = time.perf_counter() - started
        twice = len(taken) - len(set(taken))
        say(
            f"  {'race (two runners, two engines)':34} {len(taken)} claims in "
            f"{elapsed * 1000:.0f} ms ({len(taken) / elapsed:.0f} /s), split {split[0]}+"
            f"{split[1]}, claimed twice: {twice}"
        )

        async def run() -> None:
            await enqueue()
            assert await runner.run_once(database)

        timing, rate = await timed(min(jobs, 30), run)
        line("enqueue + run (trivial child)", timing, rate)
    finally:
        await database.dispose()
        await other.dispose()


def _add(a: int, b: int) -> int:
    return a + b


def measure_huey(jobs: int, tmp: Path) -> None:
    try:
        # Not a dependency (nor typed): imported by name when it is there.
        huey: Any = importlib.import_module("huey")
    except ImportError:
        say("\nhuey: not importable, comparison skipped (see the module docstring)")
        return
    say(f"\nhuey {huey.__version__} (storage only: what its consumer does per task)")
    stores: list[tuple[str, Callable[[], Any], str]] = [
        (
            "SqliteHuey",
            lambda: huey.SqliteHuey("bench", filename=str(tmp / "huey.db")),
            f"import huey; h = huey.SqliteHuey('bench', filename={str(tmp / 'huey.db')!r})",
        )
    ]
    redis_url = os.environ.get("CONFERENCE_TEST_REDIS_URL", "")
    if redis_url:
        stores.append(
            (
                "RedisHuey",
                lambda: huey.RedisHuey("bench", url=redis_url),
                f"import huey; h = huey.RedisHuey('bench', url={redis_url!r})",
            )
        )
    for name, make, child_setup in stores:
        queue = make()
        queue.flush()

        add = queue.task()(_add)

        samples = []
        started = time.perf_counter()
        for _ in range(jobs):
            begin = time.perf_counter()
            add(1, 2)
            samples.append(time.perf_counter() - begin)
        line(f"{name} enqueue", Timing.of(samples), jobs / (time.perf_counter() - started))
        samples = []
        started = time.perf_counter()
        for _ in range(jobs):
            begin = time.perf_counter()
            assert queue.storage.dequeue() is not None
            samples.append(time.perf_counter() - begin)
        line(f"{name} dequeue", Timing.of(samples), jobs / (time.perf_counter() - started))

        # A consumer killed (OOM, SIGKILL) right after taking a task, before finishing it.
        add(1, 2)
        before = queue.pending_count()
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"{child_setup}; h.storage.dequeue(); import os, signal; "
                "os.kill(os.getpid(), signal.SIGKILL)",
            ],
            check=False,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        after = queue.pending_count()
        say(
            f"  {name} consumer killed mid-task: pending {before} before, {after} after: "
            f"{'the task is lost' if after == 0 else 'the task is still queued'}"
        )
        queue.flush()


async def measure(options: argparse.Namespace) -> None:
    say("== Job queue benchmark (issue 10: one job system) ==")
    say(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {options.jobs} jobs per step"
    )
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp:
        url = databases.sqlite_url(Path(tmp) / "conference.db")
        await migrate.upgrade(url)
        await measure_queue("database queue, SQLite (WAL)", url, options.jobs)
        base = os.environ.get("CONFERENCE_TEST_DATABASE_URL", "")
        if base:
            pg = await databases.create_postgres_database(base, prefix="bench_jobs")
            try:
                await migrate.upgrade(pg)
                await measure_queue("database queue, PostgreSQL", pg, options.jobs)
            finally:
                await databases.drop_postgres_database(base, pg)
        else:
            say("\nPostgreSQL: CONFERENCE_TEST_DATABASE_URL unset, skipped")
        measure_huey(options.jobs, Path(tmp))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_jobs")
    parser.add_argument("--jobs", type=int, default=300)
    options, _ = parser.parse_known_args(argv)
    asyncio.run(measure(options))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
