"""The poster gallery's performance goals (issue 11), on 1,000 generated posters.

Goals: search p95 <= 30 ms server time; gallery page p50 <= 40 ms; a poster's page p50 <=
30 ms; a bounded number of SQL statements per page (tests/posters/gallery/test_query_count.py
asserts the bound for 10 and 1,000 posters).

How: as tests/bench/bench_program.py. A fresh database (a SQLite file; and a PostgreSQL
database beside CONFERENCE_TEST_DATABASE_URL's when it is set, dropped at the end) is
migrated, seeded with the demo meeting and filled by tests/posters/bulk.py: 1,000
published posters with ~250-word abstracts, two authors and three keywords each. The app
runs in this process through its lifespan; requests go through httpx's ASGI transport and
server time is taken around the ASGI app, so it covers routing, middleware, dependencies,
the database and rendering. The peer, measured in the same run: ``/healthz`` through the
same stack. Searches cycle through several queries (whole words, prefixes, several words,
hyphenated cytokine names), so no one query's cache flatters the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from conference.accounts import service as accounts
from conference.accounts.models import Role
from conference.db import migrate
from conference.db.urls import normalise_database_url
from conference.main import create_app
from conference.program.demo.meeting import seed_meeting
from conference.program.service import current_meeting
from tests import databases
from tests.app_settings import app_settings
from tests.bench.measure import ServerTimer, Timing, counting, ms
from tests.factories import PASSWORD, sign_in
from tests.posters.bulk import insert_posters

SEARCH_GOAL_P95 = 0.030
GALLERY_GOAL_P50 = 0.040
POSTER_GOAL_P50 = 0.030
VIEWER = "bench-attendee@example.org"
QUERIES = [
    "interleukin",
    "stat",
    "IL-6",
    "macrophage cyto",
    "jak2",
    "cytokine storm therapy",
    "TNF-α",
    "single cell seq",
    "inflamm",
    "ifn-γ signalling",
]


@dataclass(frozen=True)
class Page:
    name: str
    paths: list[str]  # cycled through; may name {poster}
    goal: float | None = None
    percentile: str = "p50"


PAGES = (
    Page("peer: /healthz", ["/healthz"]),
    Page("gallery page", ["/posters"], GALLERY_GOAL_P50),
    Page(
        "gallery page, filtered and sorted",
        ["/posters?topic=JAK-STAT&sort=votes&page=2", "/posters?keyword=stat3&sort=title"],
        GALLERY_GOAL_P50,
    ),
    Page("gallery page, search", [f"/posters?q={quote(q)}" for q in QUERIES], GALLERY_GOAL_P50),
    Page(
        "search (JSON API)",
        [f"/api/v1/posters?q={quote(q)}" for q in QUERIES],
        SEARCH_GOAL_P95,
        "p95",
    ),
    Page("gallery (JSON API)", ["/api/v1/posters"]),
    Page("poster page", ["/posters/{poster}"], POSTER_GOAL_P50),
)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def build(app: FastAPI, *, count: int, words: int) -> int:
    """Seed the meeting, the viewer and the posters; a poster in the middle of the boards."""
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        await seed_meeting(db)
        meeting = await current_meeting(db)
        assert meeting is not None
        await accounts.ensure_user(
            db,
            email=VIEWER,
            name="Bench User",
            password=PASSWORD,
            roles=(Role.attendee,),
            passwords=ctx.passwords,
            time_zone="Asia/Tokyo",
        )
        await db.commit()
        ids = await insert_posters(db, meeting_id=meeting.id, count=count, words=words)
        # Statistics for the planner, as autovacuum would gather after a bulk import.
        await db.execute(text("ANALYZE"))
        await db.commit()
    return ids[len(ids) // 2]


async def measure(app: FastAPI, url_db: str, options: argparse.Namespace) -> bool:
    started = time.perf_counter()
    poster = await build(app, count=options.posters, words=options.words)
    say(
        f"{options.posters} posters of ~{options.words} words built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    timer = ServerTimer(app)
    transport = httpx.ASGITransport(app=timer)
    engine = app.state.ctx.db.engine
    all_met = True
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await sign_in(client, VIEWER)
        # One bookmark, so the pages read a non-empty set.
        await client.put(f"/api/v1/posters/{poster}/bookmark")
        say(f"{'page':34} {'server p50':>11} {'p95':>11} {'queries':>7} {'x peer':>7}  goal")
        peer: Timing | None = None
        for page in PAGES:
            urls = [path.format(poster=poster) for path in page.paths]
            for url in urls:
                for _ in range(options.warmup):
                    response = await client.get(url)
                    if response.status_code != 200:
                        raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")
            samples = []
            for url in itertools.islice(itertools.cycle(urls), options.requests):
                await client.get(url)
                samples.append(timer.last)
            server = Timing.of(samples)
            with counting(engine) as statements:
                await client.get(urls[0])
            peer = peer or server
            verdict = ""
            if page.goal is not None:
                value = server.p95 if page.percentile == "p95" else server.p50
                met = value <= page.goal
                all_met = all_met and met
                verdict = f"{page.percentile} <= {page.goal * 1000:.0f} ms: "
                verdict += "PASS" if met else "FAIL"
            say(
                f"{page.name:34} {ms(server.p50):>11} {ms(server.p95):>11} "
                f"{len(statements):>7} {server.p50 / peer.p50:>6.1f}x  {verdict}"
            )
    return all_met


async def run_on(url: str, var: Path, options: argparse.Namespace) -> bool:
    await migrate.upgrade(url)
    app = create_app(app_settings(url, var))
    async with app.router.lifespan_context(app):
        return await measure(app, url, options)


async def run(options: argparse.Namespace) -> bool:
    say("== Poster gallery benchmark (issue 11: Performance) ==")
    say(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, in-process ASGI; "
        f"{options.requests} requests per page after {options.warmup} warm-up per address"
    )
    met = True
    with tempfile.TemporaryDirectory(prefix="bench-posters-") as tmp:
        say("\n-- SQLite (WAL, FTS5) --")
        url = normalise_database_url(f"sqlite:///{Path(tmp) / 'conference.db'}")
        met = await run_on(url, Path(tmp) / "var-sqlite", options) and met
        base = os.environ.get("CONFERENCE_TEST_DATABASE_URL")
        if base:
            say("\n-- PostgreSQL (stored to_tsvector('simple', search_text) with a GIN index) --")
            pg_url = await databases.create_postgres_database(base, prefix="bench_posters")
            try:
                met = await run_on(pg_url, Path(tmp) / "var-pg", options) and met
            finally:
                await databases.drop_postgres_database(base, pg_url)
        else:
            say("\n(PostgreSQL skipped: set CONFERENCE_TEST_DATABASE_URL to measure it too)")
    say(f"\nall goals met: {'yes' if met else 'NO'}")
    return met


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--posters", type=int, default=1000)
    parser.add_argument("--words", type=int, default=250, help="per abstract")
    parser.add_argument("--requests", type=int, default=200, help="per page, after warm-up")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    options, _ = parser.parse_known_args(argv)
    met = asyncio.run(run(options))
    return 1 if options.check and not met else 0
