"""The realtime fan-out goals (issue 4, Performance), measured on loopback against peers.

Load points: 1,000 clients at 20 messages a second, 2,000 and 5,000 clients at 5 a second
(the issue's), and 5,000 at 10 a second (the rate goal's, below), in one session
channel, ``--duration`` seconds each (default 30), the listeners spread over two client
processes (:mod:`tests.bench.fanout_load`). Three servers per load point, in the same
run on the same machine, each started fresh for each point:

- **ours**: ``python -m conference serve`` (uvicorn, uvloop, httptools) with
  ``CONFERENCE_REDIS_URL=redis://…``, one user with a signed-in session per client
  (inserted in bulk, so per-user rate limits are those of real users), the demo meeting
  seeded and published, in PostgreSQL with ``--database URL`` (a database is made beside
  the one named, and dropped after: Redis is the many-process setup, which pairs with
  PostgreSQL) or else SQLite in a temporary var directory;
- **minimal**: a ``websockets`` server whose Redis subscription feeds ``broadcast()``
  (:mod:`tests.bench.fanout_servers`): the practical limit;
- **socketio**: python-socketio with its ``AsyncRedisManager`` under uvicorn.

All three fan out a Redis feed written by this process, so what is measured is the
fan-out and not the handling of a client's input: for ours and the minimal server the
payload our app publishes for a durable chat message (``"<event id>\\n<frame>"`` on
``session:<guid>``), for python-socketio a write-only ``AsyncRedisManager.emit`` to the
clients' room. Each event carries its send time; latency is receive time minus send time.

Memory per connection: the server's VmRSS once all clients are connected and subscribed,
minus its VmRSS once the first tenth were, over the other nine tenths: what a connection
costs, leaving out what the first ones pay once (lazy imports, pools, caches; with
SQLite, the page caches of its connection threads, up to 2 MiB each). ``(all)`` is the
same from the empty server, over all clients. Goals at 5,000 clients x 5/s: our p99
within 1.5x the minimal server's, memory per connection within 2x its, no loss; and our
delivered rate at least 3x python-socketio's at the saturating point (``--rate-point``,
default 5,000 x 10: at 5 a second ours delivers all that is offered, which caps the
ratio; at 10 a second python-socketio is far past its ceiling, and while ours still
delivers all that is offered the ratio is a lower bound). ``per CPU-s`` (frames delivered
per second of server CPU) compares the servers' cost at any point. ``--check`` makes a
missed goal the exit status.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import platform
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.bench.fanout_load import BUCKET, Plan, run

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
REDIS = "redis://127.0.0.1:6379"
REDIS_DB = 13  # presence keys of our server (pub/sub channels ignore the database)
LOAD_PROCESSES = 2
SERVERS = ("minimal", "socketio", "ours")
DEFAULT_LOADS = "1000x20,2000x5,5000x5,5000x10"
# The point of the p99, memory and loss goals (issue 4).
GOAL_POINT = (5000, 5)
# The rate goal needs a point where the servers, not the offer, set the delivered rate:
# at 5,000 x 5 ours delivers all 25,000 frames a second offered, so the ratio to
# python-socketio there is capped by the offer. At 5,000 x 10 (50,000 offered)
# python-socketio is far past its ceiling and ours shows its own.
RATE_POINT = "5000x10"
P99_GOAL = 1.5  # ours / minimal
MEMORY_GOAL = 2.0  # ours / minimal
# Memory per connection is read past the first tenth of the clients: what one more
# connection costs, not what the first ones pay once (lazy imports, pools, caches).
WARM_SHARE = 0.1
RATE_GOAL = 3.0  # ours / socketio
SECRET = "bench-fanout-secret-key-" + "x" * 32
BODY = "Thank you for the talk: how does IL-6 signalling differ in the murine model?"


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass
class Result:
    server: str
    clients: int
    rate: int
    connected: int
    failed: dict[str, int]
    published: int
    seconds: float
    received: int
    p50: float
    p99: float
    memory: float  # bytes per connection, past the first WARM_SHARE of them
    memory_all: float  # bytes per connection, from the empty server
    drops: int  # closed by the server as too slow (4008)
    closes: dict[str, int]
    cpu: float  # server CPU seconds per second while publishing
    load: float  # the machine's 1-minute load average at the end of publishing

    @property
    def expected(self) -> int:
        return self.published * self.connected

    @property
    def loss(self) -> float:
        expected = self.published * self.clients
        return max(0.0, 1 - self.received / expected) if expected else 1.0

    @property
    def delivered(self) -> float:
        return self.received / self.seconds

    @property
    def per_cpu(self) -> float:
        """Frames delivered per second of server CPU: the server's cost, whatever the load."""
        return self.delivered / self.cpu if self.cpu else 0.0


# The server processes ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(
        self,
        kind: str,
        env: dict[str, str],
        log: Path,
        channel: str,
        profile: str = "",
        gc_off: bool = False,
    ) -> None:
        self.kind = kind
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [PYTHON, "-m", "tests.bench.fanout_servers", kind, "--port", str(self.port)]
        command += ["--redis", f"{REDIS}/{REDIS_DB}", "--channel", channel]
        if kind == "ours":
            command = [PYTHON, "-m", "conference", "serve", "--port", str(self.port)]
            env = {**env, "CONFERENCE_BASE_URL": self.base}
            if gc_off:  # diagnosis: is the p99 tail the cyclic garbage collector's?
                command[1:3] = [
                    "-c",
                    "import gc; gc.disable(); from conference.cli import main; main()",
                ]
            if profile:  # cProfile of our server, written when it stops
                command[1:1] = ["-m", "cProfile", "-o", f"{profile}/ours-{self.port}.prof"]
        # cProfile writes its file on KeyboardInterrupt, not when killed by SIGTERM
        self.stop_signal = signal.SIGINT if profile and kind == "ours" else signal.SIGTERM
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited with {self.process.returncode}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.kind} server did not listen within {timeout} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# Our server's data: the demo meeting and one signed-in user per client ----------------


def prepare_ours(var: Path, clients: int, database: str = "") -> tuple[dict[str, str], list[str]]:
    """Migrate, seed the demo, insert users with sessions; the env and a cookie per user.

    ``database``: a PostgreSQL database's URL (made by :func:`create_database`), else
    SQLite in ``var``.
    """
    env = {
        **os.environ,
        "CONFERENCE_VAR_DIR": str(var),
        "CONFERENCE_REDIS_URL": f"{REDIS}/{REDIS_DB}",
        "CONFERENCE_SECRET_KEY": SECRET,
        "CONFERENCE_ENV": "development",
    }
    env.pop("CONFERENCE_DATABASE_URL", None)
    if database:
        env["CONFERENCE_DATABASE_URL"] = database
    for step in ("migrate", "demo"):
        subprocess.run(
            [PYTHON, "-m", "conference", step],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    url = database or f"sqlite:///{var / 'conference.db'}"
    cookies = asyncio.run(insert_users(url, clients))
    return env, cookies


def create_database(server: str) -> str:
    """A fresh PostgreSQL database beside the one ``server`` names; its URL."""
    from tests.databases import create_postgres_database

    return asyncio.run(create_postgres_database(server, prefix="bench_fanout"))


def drop_database(server: str, url: str) -> None:
    from tests.databases import drop_postgres_database

    asyncio.run(drop_postgres_database(server, url))


async def insert_users(url: str, count: int) -> list[str]:
    from sqlalchemy import insert, select
    from sqlalchemy.ext.asyncio import create_async_engine

    from conference.accounts.models import Role, User, UserRole, UserSession
    from conference.accounts.tokens import Tokens, digest
    from conference.db.urls import normalise_database_url
    from conference.web.csrf import SESSION_COOKIE

    engine = create_async_engine(normalise_database_url(url))
    tokens = Tokens(SECRET)
    emails = [f"fanout-{index}@bench.example.org" for index in range(count)]
    secrets_ = [secrets.token_urlsafe(32) for _ in range(count)]
    now = _utcnow()
    async with engine.begin() as db:
        await db.execute(
            insert(User),
            [
                {"email": email, "name": f"Listener {i}", "time_zone": "UTC", "password_hash": "!"}
                for i, email in enumerate(emails)
            ],
        )
        ids = dict((await db.execute(select(User.email, User.id))).tuples().all())
        await db.execute(
            insert(UserRole), [{"user_id": ids[e], "role": Role.attendee.value} for e in emails]
        )
        await db.execute(
            insert(UserSession),
            [
                {
                    "id": digest(token),
                    "user_id": ids[email],
                    "created_at": now,
                    "last_seen_at": now,
                    "expires_at": now + timedelta(days=1),
                    "ip_address": "127.0.0.1",
                    "user_agent": "bench-fanout",
                }
                for email, token in zip(emails, secrets_, strict=True)
            ],
        )
    await engine.dispose()
    return [f"{SESSION_COOKIE}={tokens.sign_session(token)}" for token in secrets_]


def _utcnow() -> Any:
    from conference.db.types import utcnow

    return utcnow()


def session_channel(env: dict[str, str], log: Path) -> str:
    server = Server("ours", env, log, "")
    try:
        server.wait_ready()
        sessions = httpx.get(f"{server.base}/api/v1/program/sessions", timeout=30).json()
    finally:
        server.stop()
    items = sessions["sessions"] if isinstance(sessions, dict) else sessions
    return f"session:{items[0]['guid']}"


# Publishing -------------------------------------------------------------------------


def event_data(event_id: int) -> dict[str, Any]:
    # "ts" last: the clients read it without parsing the JSON.
    return {
        "message_id": event_id,
        "author": {"id": 1, "name": "Bench Speaker"},
        "body": BODY,
        "created_at": "2021-10-18T09:30:00Z",
        "ts": time.time(),
    }


async def publish(kind: str, channel: str, rate: int, seconds: float) -> int:
    """Publish ``rate`` events a second for ``seconds``; how many were published."""
    from conference.realtime.protocol import encode

    total = int(rate * seconds)
    started = time.monotonic()
    if kind == "socketio":
        import socketio  # type: ignore[import-untyped]

        manager = socketio.AsyncRedisManager(
            f"{REDIS}/{REDIS_DB}", channel=channel, write_only=True
        )
        for index in range(total):
            await _pace(started, index / rate)
            await manager.emit("chat", event_data(index + 1), room="session", namespace="/")
        return total
    import redis.asyncio as redis_asyncio

    client = redis_asyncio.Redis.from_url(f"{REDIS}/{REDIS_DB}")
    try:
        for index in range(total):
            await _pace(started, index / rate)
            event_id = 1_000_000 + index
            frame = encode("chat.message", channel=channel, id=event_id, data=event_data(event_id))
            await client.publish(channel, f"{event_id}\n{frame}".encode())
    finally:
        await client.aclose()
    return total


async def _pace(started: float, offset: float) -> None:
    delay = started + offset - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


# One measurement --------------------------------------------------------------------


def percentile(histogram: dict[int, int], fraction: float) -> float:
    total = sum(histogram.values())
    if not total:
        return float("nan")
    rank = fraction * total
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return (bucket + 0.5) * BUCKET
    return max(histogram) * BUCKET


def measure(
    kind: str,
    clients: int,
    rate: int,
    options: argparse.Namespace,
    env: dict[str, str],
    cookies: list[str],
    channel: str,
    log: Path,
) -> Result:
    sio_channel = f"bench-fanout-{secrets.token_hex(4)}"
    server = Server(
        kind,
        env,
        log,
        channel if kind != "socketio" else sio_channel,
        options.profile,
        options.gc_off,
    )
    context = multiprocessing.get_context("spawn")
    workers: list[tuple[Any, Any]] = []
    try:
        server.wait_ready()
        if kind == "ours":
            url = f"ws://127.0.0.1:{server.port}/ws"
            origin = server.base
            headers = [[("Cookie", cookie), ("Origin", origin)] for cookie in cookies[:clients]]
        elif kind == "socketio":
            url = f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket"
            headers = [[] for _ in range(clients)]
        else:
            url = f"ws://127.0.0.1:{server.port}/"
            headers = [[] for _ in range(clients)]
        time.sleep(1)
        empty = rss(server.process.pid)
        for share in range(LOAD_PROCESSES):
            mine, theirs = context.Pipe()
            plan = Plan(kind=kind, url=url, headers=headers[share::LOAD_PROCESSES], channel=channel)
            process = context.Process(target=run, args=(theirs, plan), daemon=True)
            process.start()
            workers.append((process, mine))

        def reach(total: int) -> tuple[int, dict[str, int], int]:
            """Open connections until ``total`` (over all workers); connected, failures, RSS."""
            for _, pipe in workers:
                pipe.send(("connect", total // LOAD_PROCESSES))
            connected, failed = 0, dict[str, int]()
            for _, pipe in workers:
                if not pipe.poll(300):
                    raise RuntimeError("the clients did not connect within 300 s")
                _, count, failures = pipe.recv()
                connected += count
                for reason, n in failures.items():
                    failed[reason] = failed.get(reason, 0) + n
            time.sleep(2)  # let the last subscriptions and presence settle
            return connected, failed, rss(server.process.pid)

        warm_connected, _, warm = reach(max(LOAD_PROCESSES, int(clients * WARM_SHARE)))
        connected, failed, after = reach(clients)
        cpu_before = cpu_seconds(server.process.pid)
        started = time.monotonic()
        published = asyncio.run(
            publish(kind, sio_channel if kind == "socketio" else channel, rate, options.duration)
        )
        # the nominal span of the feed (the first event goes out at 0, the last at
        # (published - 1) / rate): delivered per second is comparable with expected
        seconds = max(time.monotonic() - started, published / rate)
        cpu = (cpu_seconds(server.process.pid) - cpu_before) / seconds
        load = os.getloadavg()[0]
        time.sleep(options.drain)
        received, histogram, closes = 0, dict[int, int](), dict[str, int]()
        for _, pipe in workers:
            pipe.send("collect")
        for _, pipe in workers:
            if not pipe.poll(120):
                raise RuntimeError("the clients did not report within 120 s")
            got, buckets, closed = pipe.recv()
            received += got
            for bucket, n in buckets.items():
                histogram[bucket] = histogram.get(bucket, 0) + n
            for code, n in closed.items():
                closes[code] = closes.get(code, 0) + n
    finally:
        for process, _ in workers:
            process.join(30)
            if process.is_alive():
                process.kill()
        server.stop()
    return Result(
        server=kind,
        clients=clients,
        rate=rate,
        connected=connected,
        failed=failed,
        published=published,
        seconds=seconds,
        received=received,
        p50=percentile(histogram, 0.50),
        p99=percentile(histogram, 0.99),
        memory=(after - warm) / max(connected - warm_connected, 1),
        memory_all=(after - empty) / max(connected, 1),
        drops=closes.get("4008", 0),
        closes=closes,
        cpu=cpu,
        load=load,
    )


# Report -----------------------------------------------------------------------------


def table(results: list[Result]) -> None:
    say(
        f"{'server':<9} {'clients':>7} {'delivered/s':>11} {'expected/s':>10} {'loss':>7} "
        f"{'p50':>9} {'p99':>9} {'mem/conn':>9} {'(all)':>7} {'drops':>5} {'srv CPU':>7} "
        f"{'per CPU-s':>9} {'load':>5}"
    )
    for r in results:
        say(
            f"{r.server:<9} {r.connected:>7} {r.delivered:>11,.0f} {r.clients * r.rate:>10,} "
            f"{r.loss:>7.2%} {r.p50 * 1000:>6.1f} ms {r.p99 * 1000:>6.1f} ms "
            f"{r.memory / 1024:>6.1f} kB {r.memory_all / 1024:>4.1f} kB {r.drops:>5} "
            f"{r.cpu:>6.0%} {r.per_cpu:>9,.0f} {r.load:>5.1f}"
        )
        if r.failed:
            say(f"          connect failures: {r.failed}")
        other = {code: n for code, n in r.closes.items() if code != "4008"}
        if other:
            say(f"          other closes during the run: {other}")


def goals(results: list[Result], rate_point: tuple[int, int]) -> bool:
    at = {r.server: r for r in results if (r.clients, r.rate) == GOAL_POINT}
    saturated = {r.server: r for r in results if (r.clients, r.rate) == rate_point}
    if not {"ours", "minimal", "socketio"} <= set(at) or not {"ours", "socketio"} <= set(saturated):
        say(
            f"goals: need the three servers at {GOAL_POINT[0]}x{GOAL_POINT[1]} and ours and "
            f"socketio at {rate_point[0]}x{rate_point[1]}; not checked"
        )
        return True
    ours, minimal, sio = at["ours"], at["minimal"], at["socketio"]
    fast, slow = saturated["ours"], saturated["socketio"]
    checks = (
        (
            f"p99 {ours.p99 * 1000:.1f} ms vs minimal {minimal.p99 * 1000:.1f} ms",
            ours.p99 / minimal.p99,
            f"<= {P99_GOAL}x",
            ours.p99 <= P99_GOAL * minimal.p99,
        ),
        (
            f"memory/conn {ours.memory / 1024:.1f} kB vs minimal {minimal.memory / 1024:.1f} kB",
            ours.memory / minimal.memory,
            f"<= {MEMORY_GOAL}x",
            ours.memory <= MEMORY_GOAL * minimal.memory,
        ),
        (
            f"delivered at {rate_point[0]}x{rate_point[1]}: {fast.delivered:,.0f}/s vs "
            f"socketio {slow.delivered:,.0f}/s",
            fast.delivered / max(slow.delivered, 1e-9),
            f">= {RATE_GOAL}x",
            fast.delivered >= RATE_GOAL * slow.delivered,
        ),
        (
            f"loss {ours.loss:.3%}, drops {ours.drops}",
            ours.loss,
            "= 0",
            ours.received >= ours.published * ours.clients and not ours.drops,
        ),
    )
    say(
        f"goals at {GOAL_POINT[0]:,} clients x {GOAL_POINT[1]}/s "
        "(the rate: at the saturating point):"
    )
    met = True
    for label, ratio, goal, ok in checks:
        met = met and ok
        say(f"  {label:<64} {ratio:>7.2f}  {goal:<8} {'PASS' if ok else 'MISS'}")
    say(
        f"  for reference, frames per server CPU-second at {GOAL_POINT[0]}x{GOAL_POINT[1]}: "
        f"ours {ours.per_cpu:,.0f}, socketio {sio.per_cpu:,.0f} "
        f"({ours.per_cpu / max(sio.per_cpu, 1e-9):.2f}x), minimal {minimal.per_cpu:,.0f}"
    )
    return met


@contextlib.contextmanager
def _dropping(options: argparse.Namespace, database: str) -> Iterator[None]:
    try:
        yield
    finally:
        if database:
            drop_database(options.database, database)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_fanout")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per point")
    parser.add_argument("--drain", type=float, default=5.0, help="seconds after publishing")
    parser.add_argument("--loads", default=DEFAULT_LOADS, help="CLIENTSxRATE,… points")
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--rate-point", default=RATE_POINT, help="CLIENTSxRATE of the rate goal")
    parser.add_argument(
        "--database",
        default="",
        help="a PostgreSQL server URL for ours (a database is made and dropped); "
        "default SQLite in a temporary directory",
    )
    parser.add_argument("--gc-off", action="store_true", help="ours without cyclic GC")
    parser.add_argument("--profile", default="", help="directory for a cProfile of ours")
    options, _ = parser.parse_known_args(argv)  # other benchmarks' options pass through
    return options


def main(argv: list[str]) -> int:
    options = parse(argv)
    loads = [tuple(int(x) for x in point.split("x")) for point in options.loads.split(",")]
    servers = [s for s in SERVERS if s in options.servers.split(",")]
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    say("== Realtime fan-out benchmark (issue 4: Performance) ==")
    say(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; loopback, Redis {REDIS}; "
        f"{LOAD_PROCESSES} client processes; {options.duration:.0f} s per point"
    )
    needed = max(clients for clients, _ in loads)
    database = create_database(options.database) if options.database else ""
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp, _dropping(options, database):
        log = Path(tmp) / "servers.log"
        started = time.perf_counter()
        env, cookies = prepare_ours(Path(tmp) / "var", needed, database)
        env = {**env, "PYTHONPATH": str(ROOT)}
        channel = session_channel(env, log)
        say(
            f"prepared in {time.perf_counter() - started:.1f} s: demo meeting, {needed:,} "
            f"users with sessions in {'PostgreSQL' if database else 'SQLite'}; "
            f"channel {channel}\n"
        )
        results: list[Result] = []
        try:
            for clients, rate in loads:
                say(f"-- {clients:,} clients x {rate} messages/s, one channel --")
                point = []
                for kind in servers:
                    result = measure(kind, clients, rate, options, env, cookies, channel, log)
                    point.append(result)
                table(point)
                say()
                results += point
        except Exception:
            say(f"server log tail:\n{log.read_text(errors='replace')[-3000:]}")
            raise
    clients_, rate_ = (int(x) for x in options.rate_point.split("x"))
    met = goals(results, (clients_, rate_))
    return 1 if options.check and not met else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
