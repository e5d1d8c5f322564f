"""The program's performance goals (issue 3), measured on a generated 400-session meeting.

Goals: program page server time p50 <= 30 ms; schedule.json export <= 200 ms; a bounded
number of SQL statements per page (tests/program/published/test_query_count.py asserts the bound).

How: a fresh SQLite file in a temporary directory (migrated, seeded with the demo meeting,
filled by :mod:`tests.bench.synthetic`, published), the app run in this process through
its lifespan, and requests sent through httpx's ASGI transport. Server time is taken around
the ASGI app (:class:`~tests.bench.measure.ServerTimer`), so it covers routing, middleware,
dependencies, the database and rendering, and leaves out the client. Each page is compared
with a peer measured in the same run on the same machine, so a reader can tell a slow page
from a slow machine: ``/healthz`` through the same stack for the pages, and plain
``json.dumps`` of the published snapshot for the export.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from conference.accounts import service as accounts
from conference.accounts.models import Role
from conference.db import migrate
from conference.db.urls import normalise_database_url
from conference.main import create_app
from conference.program.demo.meeting import DEMO_SLUG, seed_meeting
from conference.program.draft import publishing
from conference.program.models import Meeting, ProgramVersion
from conference.program.schemas import PublishIn
from tests.app_settings import app_settings
from tests.bench.measure import ServerTimer, Timing, counting, ms
from tests.bench.synthetic import generate_program
from tests.factories import PASSWORD, sign_in

PROGRAM_PAGE_GOAL = 0.030
EXPORT_GOAL = 0.200
COLD_RUNS = 3
VIEWER = "bench-attendee@example.org"
ORGANIZER = "bench-organizer@example.org"


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may name {session} and {speaker}
    goal: float | None = None
    heavy: bool = False  # fewer requests: a large response
    organizer: bool = False  # asked by an organizer rather than the attendee


PAGES = (
    Page("peer: /healthz", "/healthz"),
    Page("program page, grid (one day)", "/program", PROGRAM_PAGE_GOAL),
    Page("program page, list (one day, the default)", "/program?view=list", PROGRAM_PAGE_GOAL),
    Page("program page, list (all days)", "/program?view=list&day=all", None),
    Page("program page, search", "/program?view=list&q=tanaka", PROGRAM_PAGE_GOAL),
    Page("session page", "/program/sessions/{session}"),
    Page("speaker page", "/program/speakers/{speaker}"),
    Page("public sessions JSON", "/api/v1/program/sessions", heavy=True),
    Page("schedule.json export", "/api/v1/program/schedule.json", EXPORT_GOAL, heavy=True),
    Page("draft sessions (organizer API)", "/api/v1/program/draft/sessions", None, True, True),
    Page("draft warnings (organizer API)", "/api/v1/program/draft/warnings", None, True, True),
)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def build(app: FastAPI, *, sessions: int, talks: int) -> tuple[dict[str, str], bytes]:
    """Seed, generate and publish; a sample session and speaker, and the snapshot's JSON."""
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        await seed_meeting(db)
        meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
        assert meeting is not None
        generated = await generate_program(db, meeting=meeting, sessions=sessions, talks=talks)
        for email, role, zone in (
            (VIEWER, Role.attendee, "Asia/Tokyo"),
            (ORGANIZER, Role.organizer, "Europe/London"),
        ):
            await accounts.ensure_user(
                db,
                email=email,
                name="Bench User",
                password=PASSWORD,
                roles=(role,),
                passwords=ctx.passwords,
                time_zone=zone,
            )
        version = await db.scalar(
            select(ProgramVersion).where(ProgramVersion.meeting_id == meeting.id)
        )
        assert version is not None
    say(
        f"generated {generated.sessions} sessions, {generated.talks} talks, "
        f"{generated.people} people on {generated.stages} stages; published version "
        f"{generated.version}"
    )
    middle = version.snapshot["sessions"][len(version.snapshot["sessions"]) // 2]
    sample = {"session": middle["guid"], "speaker": middle["talks"][0]["speakers"][0]}
    return sample, json.dumps(version.snapshot).encode()


async def time_requests(
    client: httpx.AsyncClient, timer: ServerTimer, url: str, *, n: int, warmup: int
) -> tuple[Timing, Timing, int]:
    """Server and client time over ``n`` requests after ``warmup``; the response size."""
    size = 0
    for _ in range(warmup):
        response = await client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:200]}")
        size = len(response.content)
    server, seen = [], []
    for _ in range(n):
        started = time.perf_counter()
        response = await client.get(url)
        seen.append(time.perf_counter() - started)
        server.append(timer.last)
    return Timing.of(server), Timing.of(seen), size


def time_call(call: Callable[[], object], *, n: int) -> Timing:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return Timing.of(samples)


async def run(options: argparse.Namespace) -> bool:
    """Build, measure, print; True when every goal was met."""
    say("== Program benchmark (issue 3: Performance) ==")
    say(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, SQLite (WAL), in-process ASGI"
    )
    with tempfile.TemporaryDirectory(prefix="bench-program-") as tmp:
        url = normalise_database_url(f"sqlite:///{Path(tmp) / 'conference.db'}")
        started = time.perf_counter()
        await migrate.upgrade(url)
        settings = app_settings(url, Path(tmp) / "var")
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            sample, snapshot_json = await build(app, sessions=options.sessions, talks=options.talks)
            say(
                f"built in {time.perf_counter() - started:.1f} s (migrate, seed, generate, publish)"
            )
            timer = ServerTimer(app)
            transport = httpx.ASGITransport(app=timer)
            async with (
                httpx.AsyncClient(transport=transport, base_url="http://testserver") as viewer,
                httpx.AsyncClient(transport=transport, base_url="http://testserver") as organizer,
            ):
                await sign_in(viewer, VIEWER)
                await sign_in(organizer, ORGANIZER)
                clients = {False: viewer, True: organizer}
                return await measure_pages(app, clients, timer, sample, snapshot_json, options)


async def measure_pages(
    app: FastAPI,
    clients: dict[bool, httpx.AsyncClient],
    timer: ServerTimer,
    sample: dict[str, str],
    snapshot_json: bytes,
    options: argparse.Namespace,
) -> bool:
    """Warm figures per page, then the first request after a publication; True if met."""
    engine = app.state.ctx.db.engine
    say(
        f"viewer: a signed-in attendee in Asia/Tokyo (organizer API: an organizer); "
        f"{options.requests} requests per page"
    )
    say(f"({options.heavy_requests} for large JSON) after {options.warmup} warm-up requests\n")
    say(
        f"{'warm (cached view)':34} {'server p50':>11} {'p95':>11} {'client p50':>11} "
        f"{'queries':>7} {'x peer':>7} {'size':>8}  goal"
    )
    peer = None
    all_met = True
    for page in PAGES:
        url = page.path.format(**sample)
        client = clients[page.organizer]
        n = options.heavy_requests if page.heavy else options.requests
        server, seen, size = await time_requests(client, timer, url, n=n, warmup=options.warmup)
        with counting(engine) as statements:
            await client.get(url)
        peer = peer or server
        verdict = ""
        if page.goal is not None:
            met = server.p50 <= page.goal
            all_met = all_met and met
            verdict = f"p50 <= {page.goal * 1000:.0f} ms: {'PASS' if met else 'FAIL'}"
        say(
            f"{page.name:34} {ms(server.p50):>11} {ms(server.p95):>11} {ms(seen.p50):>11} "
            f"{len(statements):>7} {server.p50 / peer.p50:>6.1f}x {size / 1024:>6.0f}kB  {verdict}"
        )

    snapshot = json.loads(snapshot_json)
    dumps = time_call(lambda: json.dumps(snapshot, ensure_ascii=False), n=options.heavy_requests)
    say(
        f"\npeer for the export: json.dumps of the published snapshot "
        f"({len(snapshot_json) / 1024:.0f} kB): p50 {ms(dumps.p50)}, p95 {ms(dumps.p95)}"
    )

    # The first request after a publication builds the process's view of the new version
    # (and, for the export, encodes it): once per version and process, so it is not what
    # a p50 describes; the export's goal, which names no percentile, is held to it too.
    say(f"\n{'first request after publishing':34} {'median':>11} {'max':>11}  (of {COLD_RUNS})")
    for page in PAGES:
        if page.goal is None:
            continue
        url = page.path.format(**sample)
        client = clients[page.organizer]
        runs = [await first_after_publishing(app, client, timer, url) for _ in range(COLD_RUNS)]
        verdict = ""
        if page.goal == EXPORT_GOAL:
            met = max(runs) <= page.goal
            all_met = all_met and met
            verdict = f"max <= {page.goal * 1000:.0f} ms: {'PASS' if met else 'FAIL'}; "
            verdict += f"{statistics.median(runs) / dumps.p50:.1f}x the json.dumps peer"
        say(f"{page.name:34} {ms(statistics.median(runs)):>11} {ms(max(runs)):>11}  {verdict}")
    say(f"\nall goals met: {'yes' if all_met else 'NO'}")
    return all_met


async def first_after_publishing(
    app: FastAPI, client: httpx.AsyncClient, timer: ServerTimer, url: str
) -> float:
    """Publish the draft again (a new version), then time the first request for ``url``."""
    async with app.state.ctx.db.session() as db:
        meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
        assert meeting is not None
        await publishing.publish(
            db, meeting=meeting, user=None, request=PublishIn(confirm_warnings=True)
        )
    response = await client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return timer.last


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--sessions", type=int, default=400)
    parser.add_argument("--talks", type=int, default=1500)
    parser.add_argument("--requests", type=int, default=200, help="per page, after warm-up")
    parser.add_argument("--heavy-requests", type=int, default=40, help="for large JSON")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    options, _ = parser.parse_known_args(argv)
    met = asyncio.run(run(options))
    return 1 if options.check and not met else 0
