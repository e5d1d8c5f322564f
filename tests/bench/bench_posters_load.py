"""The poster gallery under concurrent load through uvicorn (issue 11), on 1,000 posters.

bench_posters.py times each request inside the app, one at a time; this one loads the real
server as attendees do, so a pool exhausted or a lock held shows: ``conference serve`` (one
process; SQLite, and PostgreSQL beside CONFERENCE_TEST_DATABASE_URL's database when it is
set) migrated, seeded with the demo meeting and 1,000 generated posters
(tests/posters/bulk.py), ``ANALYZE``d. The demo attendee signs in and wrk sends its cookie.
Each page runs with 1 client (latency close to the server's time, through the network
stack) and with ``--clients`` (default 50) concurrent clients; searches cycle through
bench_posters.QUERIES in one run (a Lua script picks each request's path). The peer, in
the same run and through the same stack: ``/healthz``; each page's throughput is printed
as a share of it. Needs wrk (``make bench`` installs it as root on Debian).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from conference.db.urls import normalise_database_url
from conference.program.service import current_meeting
from tests import databases
from tests.bench.bench_pages import Load, sign_in, wrk
from tests.bench.bench_posters import QUERIES
from tests.posters.bulk import insert_posters
from tests.servers import Server, free_port, run_conference, server_env, start_server
from tests.waiting import block_until

SECRET_KEY = "bench-secret-key-" + "q" * 32
PAGES = {
    "search (JSON API)": [f"/api/v1/posters?q={quote(q)}" for q in QUERIES],
    "gallery page, search": [f"/posters?q={quote(q)}" for q in QUERIES],
    "gallery page": ["/posters"],
    "poster page": ["/posters/{poster}"],
}


def path_script(folder: Path, name: str, paths: list[str]) -> Path | None:
    """A wrk Lua script cycling through ``paths`` (None for a single path)."""
    if len(paths) == 1:
        return None
    quoted = ", ".join('"' + path.replace('"', '\\"') + '"' for path in paths)
    script = folder / f"{name}.lua"
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        '  return wrk.format("GET", paths[(n % #paths) + 1])\n'
        "end\n"
    )
    return script


async def add_posters(database_url: str, count: int) -> int:
    """Insert ``count`` posters into the demo meeting; the id of one in the middle."""
    engine = create_async_engine(normalise_database_url(database_url))
    try:
        async with async_sessionmaker(engine)() as db:
            meeting = await current_meeting(db)
            assert meeting is not None
            ids = await insert_posters(db, meeting_id=meeting.id, count=count, words=250)
            await db.execute(text("ANALYZE"))
            await db.commit()
            return ids[len(ids) // 2]
    finally:
        await engine.dispose()


def drained(base: str) -> None:
    """Return once the server answers /healthz promptly again: when wrk stops, the requests
    its clients left behind are still being served, and would be timed in the next run."""

    def prompt() -> bool:
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base}/healthz", timeout=30) as answer:  # noqa: S310
            assert answer.status == 200
        return time.perf_counter() - started < 0.05

    block_until(prompt, lambda: "the server to finish the previous run's requests", within=120)


def row(name: str, single: Load, loaded: Load, peer: Load) -> str:
    errors = single.errors + loaded.errors
    return (
        f"    {name:<24} 1 client: p50 {single.p50_ms:6.1f} ms  p90 {single.p90_ms:6.1f} ms"
        f"  p99 {single.p99_ms:6.1f} ms | loaded: {loaded.requests_per_second:6.0f} req/s"
        f"  p50 {loaded.p50_ms:7.1f} ms  p99 {loaded.p99_ms:7.1f} ms"
        f"  {loaded.requests_per_second / peer.requests_per_second:6.3f} of /healthz"
        + (f"  {errors} errors" if errors else "")
        + "\n"
    )


def run_on(database_url: str, root: Path, options: argparse.Namespace) -> None:
    out = sys.stdout
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_env(
        var_dir=root / "var",
        base_url=base,
        secret_key=SECRET_KEY,
        database_url=database_url,
        redis_url="memory://",
        inline_worker="false",
    )
    run_conference(env, "migrate")
    run_conference(env, "demo")
    poster = asyncio.run(add_posters(database_url, options.posters))
    server: Server | None = None
    try:
        server = start_server(env, name="app", port=port, log=root / "app.log")
        server.wait_healthy()
        opener, cookie = sign_in(base)
        duration = options.duration
        for paths in PAGES.values():
            for path in paths:  # warm: the first visitor builds the caches
                with opener.open(base + path.format(poster=poster)) as answer:
                    assert answer.status == 200, path
        runs = {
            name: [path.format(poster=poster) for path in paths] for name, paths in PAGES.items()
        }
        scripts = {
            name: path_script(root, f"page{index}", urls)
            for index, (name, urls) in enumerate(runs.items())
        }
        # Every page alone first, then every page loaded: a loaded run leaves work behind.
        single = {
            name: wrk(
                base + urls[0], clients=1, duration=duration, cookie=cookie, script=scripts[name]
            )
            for name, urls in runs.items()
        }
        drained(base)
        peer = wrk(f"{base}/healthz", clients=options.clients, duration=duration, cookie=cookie)
        for name, urls in runs.items():
            drained(base)
            loaded = wrk(
                base + urls[0],
                clients=options.clients,
                duration=duration,
                cookie=cookie,
                script=scripts[name],
            )
            out.write(row(name, single[name], loaded, peer))
        out.write(
            f"    {'/healthz (peer)':<24} loaded: {peer.requests_per_second:6.0f} req/s"
            f"  p50 {peer.p50_ms:7.1f} ms  p99 {peer.p99_ms:7.1f} ms\n"
        )
    finally:
        if server is not None:
            server.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_posters_load", description=__doc__)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--posters", type=int, default=1000)
    options, _ = parser.parse_known_args(argv)
    out = sys.stdout
    out.write("The poster gallery under load through uvicorn, one process (issue 11)\n")
    if shutil.which("wrk") is None:
        out.write("  skipped: needs wrk (Debian: apt-get install wrk)\n")
        return 0
    out.write(
        f"  machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {options.posters} posters of ~250 words "
        f"beside the demo's; {options.duration} s per run, {options.clients} clients loaded\n"
    )
    with tempfile.TemporaryDirectory(prefix="bench-posters-load-") as tmp:
        root = Path(tmp)
        out.write("  -- SQLite --\n")
        (root / "sqlite").mkdir()
        run_on(f"sqlite:///{root / 'sqlite' / 'conference.db'}", root / "sqlite", options)
        base = os.environ.get("CONFERENCE_TEST_DATABASE_URL")
        if base:
            out.write("  -- PostgreSQL --\n")
            url = asyncio.run(databases.create_postgres_database(base, prefix="bench_load"))
            try:
                (root / "pg").mkdir()
                run_on(url, root / "pg", options)
            finally:
                asyncio.run(databases.drop_postgres_database(base, url))
        else:
            out.write("  (PostgreSQL skipped: set CONFERENCE_TEST_DATABASE_URL to measure it)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
