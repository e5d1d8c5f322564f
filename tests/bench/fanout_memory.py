"""Where a websocket connection's memory goes: idle connections, one server layer at a time.

``python -m tests.bench.fanout_memory [--clients 2000] [--variants a,b,...]``

Each variant is a server started fresh in its own process; one client process (the
``websockets`` client on uvloop) opens ``--warm`` connections, then the rest up to
``--clients``, and holds them idle. The figure is the slope between those two points,
(memory at ``--clients`` - memory at ``--warm``) / (``--clients`` - ``--warm``), read from
``/proc/<pid>/smaps_rollup``: Rss, Pss, and Private_Dirty (the heap and stacks the
connections made, which is what a connection really costs). The slope leaves out what
the first connections pay once (lazy imports, caches, pools, the allocator's first
arenas), as the fan-out benchmark's ``mem/conn`` does; ``from 0`` is the figure from the
empty server over all clients (the benchmark's ``(all)``).

Variants (``NAME[+SUFFIX...]``; suffixes: ``malloc2``, ``MALLOC_ARENA_MAX=2``;
``sysmalloc``, ``PYTHONMALLOC=malloc``; ``wsproto``, ours with
``CONFERENCE_WS_PROTOCOL=wsproto``):

- ``websockets``: the ``websockets`` library's server alone (the fan-out benchmark's
  minimal server without its Redis feed);
- ``asgi-<loop>-<http>-<ws>``: uvicorn with a raw ASGI app (accept, then receive until
  the peer leaves): the server layer alone, e.g. ``asgi-uvloop-httptools-wssansio``,
  ``asgi-asyncio-h11-websockets``, ``asgi-uvloop-httptools-wsproto``;
- ``starlette``: a Starlette ``WebSocketRoute`` endpoint (``receive_text`` in a loop)
  under our uvicorn options; ``fastapi``: the same as a FastAPI router websocket;
- ``ours``: ``python -m conference serve`` (SQLite, or PostgreSQL with ``--database``;
  one signed-in user per client), each client subscribed to a session channel, as in the
  fan-out benchmark.

After the measurement, each server is told (SIGUSR1) to run ``gc.collect()`` and glibc's
``malloc_trim(0)`` and measured again (``trim``): what remains is held, not merely cached
by the allocator. With ``--tracemalloc`` the servers also trace Python allocations and
report their growth per connection by source line (SIGUSR2), which separates what Python
objects cost from what native code (the event loop, parsers, the allocator) costs; with
``--regions`` the Rss is also split by kind of mapping (glibc heap, per-thread arenas,
stacks, other anonymous memory). docs/PERFORMANCE.md has the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DEFAULT_VARIANTS = (
    "websockets,asgi-uvloop-httptools-wssansio,asgi-uvloop-httptools-websockets,"
    "asgi-asyncio-h11-wssansio,asgi-uvloop-h11-wssansio,asgi-uvloop-httptools-wsproto,"
    "starlette,fastapi,ours,ours+wsproto"
)
FIELDS = ("Rss", "Pss", "Private_Dirty", "Anonymous")
WS = {"wssansio": "websockets-sansio", "websockets": "websockets", "wsproto": "wsproto"}


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def smaps(pid: int) -> dict[str, int]:
    """Bytes per field of ``/proc/<pid>/smaps_rollup``."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[-1] == "kB":
            values[name] = int(parts[0]) * 1024
    return values


def regions(pid: int) -> dict[str, int]:
    """Rss by kind of mapping: the glibc heap (brk), pymalloc's 1 MiB arenas, glibc's
    per-thread arenas (64 MiB-aligned), thread stacks (8 MiB), other anonymous, files."""
    totals: dict[str, int] = {}
    kind = "files"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and not head[0].endswith(":"):
            start, end = (int(x, 16) for x in head[0].split("-"))
            size = end - start
            name = head[5] if len(head) > 5 else ""
            if name == "[heap]":
                kind = "heap"
            elif name.startswith("[stack"):
                kind = "stacks"
            elif name:
                kind = "files"
            elif size == 1 << 20:
                kind = "pymalloc"
            elif start % (64 << 20) == 0 and size <= 64 << 20:
                kind = "thread arenas"
            elif size in (8 << 20, (8 << 20) + 4096):
                kind = "stacks"
            else:
                kind = "other anon"
        elif line.startswith("Rss:"):
            totals[kind] = totals.get(kind, 0) + int(head[1]) * 1024
    totals["threads"] = len(list(Path(f"/proc/{pid}/task").iterdir()))
    return totals


# The servers (run in their own process: ``python -m tests.bench.fanout_memory serve``) --


def _install_probes(report: Path) -> None:
    """SIGUSR1: collect and trim; SIGUSR2: write tracemalloc's statistics to ``report``."""
    libc = ctypes.CDLL("libc.so.6")

    def trim(_signum: int, _frame: Any) -> None:
        gc.collect()
        libc.malloc_trim(0)

    def trace(_signum: int, _frame: Any) -> None:
        if not tracemalloc.is_tracing():
            return
        snapshot = tracemalloc.take_snapshot().filter_traces(
            (tracemalloc.Filter(False, tracemalloc.__file__),)
        )
        stats = [(str(s.traceback), s.size, s.count) for s in snapshot.statistics("lineno")]
        partial = report.with_suffix(".part")
        partial.write_text(json.dumps({"lines": stats}))
        partial.rename(report)

    signal.signal(signal.SIGUSR1, trim)
    signal.signal(signal.SIGUSR2, trace)


async def _raw_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while (await receive())["type"] != "websocket.disconnect":
        pass


def _starlette_app() -> Any:
    from starlette.applications import Starlette
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    async def endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()

    return Starlette(routes=[WebSocketRoute("/ws", endpoint)])


def _fastapi_app() -> Any:
    from fastapi import APIRouter, FastAPI, WebSocket, WebSocketDisconnect

    router = APIRouter()

    async def endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()

    # FastAPI reads the annotation to inject the socket; postponed ones would be strings.
    endpoint.__annotations__ = {"websocket": WebSocket, "return": None}
    router.add_api_websocket_route("/ws", endpoint)
    app = FastAPI()
    app.include_router(router)
    return app


async def _websockets_server(port: int) -> None:
    from websockets.asyncio.server import ServerConnection, serve

    async def handler(websocket: ServerConnection) -> None:
        await websocket.wait_closed()

    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with serve(handler, "127.0.0.1", port, ping_interval=20, ping_timeout=20, backlog=4096):
        await stop


def serve(variant: str, port: int, report: Path, trace: bool) -> None:
    _install_probes(report)
    if trace:
        tracemalloc.start()
    if variant == "websockets":
        import uvloop

        uvloop.run(_websockets_server(port))
        return
    if variant == "ours":
        from conference.cli import app

        app(["serve", "--port", str(port)])
        return
    import uvicorn

    loop, http, ws = "uvloop", "httptools", "wssansio"
    if variant.startswith("asgi-"):
        loop, http, ws = variant.split("-")[1:]
        application: Any = _raw_app
    elif variant == "starlette":
        application = _starlette_app()
    elif variant == "fastapi":
        application = _fastapi_app()
    else:
        raise SystemExit(f"unknown variant {variant}")
    # Our serve command's websocket options (conference/cli.py).
    uvicorn.run(
        application,
        host="127.0.0.1",
        port=port,
        loop=loop,
        http=http,
        ws=WS[ws],
        ws_per_message_deflate=False,
        ws_max_size=65_536,
        ws_ping_interval=20,
        ws_ping_timeout=20,
        backlog=4096,
        log_level="warning",
    )


# The clients -------------------------------------------------------------------------


async def _hold(url: str, headers: list[list[tuple[str, str]]], channel: str, pipe: Any) -> None:
    from websockets.asyncio.client import connect

    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(64)
    sockets: list[Any] = []

    async def one(index: int) -> None:
        async with gate:
            websocket = await connect(
                url,
                additional_headers=headers[index] if headers else None,
                ping_interval=None,
                open_timeout=60,
                compression=None,
            )
            if channel:
                await websocket.recv()  # welcome
                await websocket.send(f'{{"type":"subscribe","channel":"{channel}"}}')
                while '"subscribed"' not in str(await websocket.recv()):
                    pass
        sockets.append(websocket)

    start = 0
    while True:
        command = await loop.run_in_executor(None, pipe.recv)
        if command == "close":
            break
        await asyncio.gather(*(one(index) for index in range(start, command)))
        start = command
        pipe.send(len(sockets))
    for websocket in sockets:
        with contextlib.suppress(Exception):
            websocket.transport.abort()
    pipe.send(0)


def hold(url: str, headers: list[list[tuple[str, str]]], channel: str, pipe: Any) -> None:
    import uvloop

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    uvloop.run(_hold(url, headers, channel, pipe))


# One measurement ---------------------------------------------------------------------


@dataclass
class Figures:
    variant: str
    clients: int
    per_connection: dict[str, float]  # slope between --warm and --clients, bytes
    bench: float  # Rss at --clients minus the empty server's, over the clients
    trimmed: dict[str, float]  # slope after gc.collect() + malloc_trim(0)
    python: float  # tracemalloc growth per connection (0 unless --tracemalloc)
    top: list[tuple[str, float]]  # tracemalloc lines per connection


def measure(variant: str, options: argparse.Namespace, ours: dict[str, Any]) -> Figures:
    import multiprocessing

    from tests.bench.bench_fanout import free_port

    name, _, suffix = variant.partition("+")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if "malloc2" in suffix:
        env["MALLOC_ARENA_MAX"] = "2"
    if "sysmalloc" in suffix:
        env["PYTHONMALLOC"] = "malloc"
    if "wsproto" in suffix:
        env["CONFERENCE_WS_PROTOCOL"] = "wsproto"
    port = free_port()
    headers: list[list[tuple[str, str]]] = []
    channel = ""
    path = "/" if name == "websockets" else "/ws"
    if name == "ours":
        env.update(ours["env"], CONFERENCE_BASE_URL=f"http://127.0.0.1:{port}")
        origin = f"http://127.0.0.1:{port}"
        headers = [[("Cookie", c), ("Origin", origin)] for c in ours["cookies"]]
        channel = ours["channel"]
    with tempfile.TemporaryDirectory(prefix="fanout-memory-") as tmp:
        report = Path(tmp) / "trace.json"
        command = [PYTHON, "-m", "tests.bench.fanout_memory", "serve", name, "--port", str(port)]
        command += ["--report", str(report)] + (["--tracemalloc"] if options.tracemalloc else [])
        log = (Path(tmp) / "server.log").open("wb")
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        context = multiprocessing.get_context("spawn")
        mine, theirs = context.Pipe()
        url = f"ws://127.0.0.1:{port}{path}"
        client = context.Process(target=hold, args=(url, headers, channel, theirs), daemon=True)
        try:
            _wait_listening(server, port)
            time.sleep(1)
            empty = smaps(server.pid)
            client.start()

            def reach(count: int) -> tuple[dict[str, int], dict[str, int]]:
                mine.send(count)
                deadline = time.monotonic() + 600
                while not mine.poll(1):
                    if not client.is_alive() or time.monotonic() > deadline:
                        raise RuntimeError(f"{variant}: the clients did not connect")
                connected = int(mine.recv())
                if connected != count:
                    raise RuntimeError(f"{variant}: {connected} of {count} connected")
                time.sleep(options.settle)
                if options.regions:
                    kinds.append(regions(server.pid))
                return smaps(server.pid), (
                    _python(server.pid, report) if options.tracemalloc else {}
                )

            kinds: list[dict[str, int]] = []
            warm, python_warm = reach(options.warm)
            full, python_full = reach(options.clients)
            server.send_signal(signal.SIGUSR1)
            time.sleep(1)
            trimmed_full = smaps(server.pid)
            span = options.clients - options.warm
            per = {f: (full[f] - warm[f]) / span for f in FIELDS}
            trimmed = {f: (trimmed_full[f] - warm[f]) / span for f in FIELDS}
            top: list[tuple[str, float]] = []
            if options.tracemalloc:
                top = _growth(python_warm, python_full, span, options.top)
            if options.regions:
                threads = [k.get("threads", 0) for k in kinds]
                say(f"  {variant} Rss by mapping, kB per connection (slope); threads {threads}:")
                for key in sorted((set(kinds[0]) | set(kinds[1])) - {"threads"}):
                    slope = (kinds[1].get(key, 0) - kinds[0].get(key, 0)) / span / 1024
                    say(f"    {key:<14} {slope:>6.2f}")
            mine.send("close")
            mine.poll(60)
        finally:
            with contextlib.suppress(Exception):
                client.join(5)
            if client.is_alive():
                client.kill()
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
            if server.returncode not in (0, -signal.SIGTERM):
                say((Path(tmp) / "server.log").read_text(errors="replace")[-2000:])
    return Figures(
        variant=variant,
        clients=options.clients,
        per_connection=per,
        bench=(full["Rss"] - empty["Rss"]) / options.clients,
        trimmed=trimmed,
        python=(sum(python_full.values()) - sum(python_warm.values())) / span,
        top=top,
    )


def _python(pid: int, report: Path) -> dict[str, int]:
    """Ask the server for tracemalloc's figures: traced bytes by source line."""
    with contextlib.suppress(FileNotFoundError):
        report.unlink()
    os.kill(pid, signal.SIGUSR2)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if report.exists():
            data = json.loads(report.read_text())
            return {line: size for line, size, _ in data["lines"]}
        time.sleep(0.2)
    raise RuntimeError("no tracemalloc report within 300 s")


def _growth(
    warm: dict[str, int], full: dict[str, int], span: int, count: int
) -> list[tuple[str, float]]:
    """The source lines whose allocations grew most, in bytes per connection."""
    growth = [(line, (size - warm.get(line, 0)) / span) for line, size in full.items()]
    return sorted(growth, key=lambda item: -item[1])[:count]


def _wait_listening(server: subprocess.Popen[bytes], port: int, timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
            return
        time.sleep(0.1)
    raise RuntimeError("server did not listen")


def prepare_ours(clients: int, tmp: Path, database: str) -> dict[str, Any]:
    from tests.bench.bench_fanout import prepare_ours as prepare
    from tests.bench.bench_fanout import session_channel

    env, cookies = prepare(tmp / "var", clients, database)
    env = {**env, "PYTHONPATH": str(ROOT)}
    channel = session_channel(env, tmp / "server.log")
    keys: tuple[str, ...] = ("CONFERENCE_VAR_DIR", "CONFERENCE_REDIS_URL", "CONFERENCE_SECRET_KEY")
    if database:
        keys += ("CONFERENCE_DATABASE_URL",)
    return {
        "env": {key: env[key] for key in (*keys, "CONFERENCE_ENV")},
        "cookies": cookies,
        "channel": channel,
    }


def main(argv: list[str]) -> int:
    if argv and argv[0] == "serve":
        parser = argparse.ArgumentParser(prog="fanout_memory serve")
        parser.add_argument("variant")
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--report", type=Path, required=True)
        parser.add_argument("--tracemalloc", action="store_true")
        args = parser.parse_args(argv[1:])
        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        serve(args.variant, args.port, args.report, args.tracemalloc)
        return 0
    parser = argparse.ArgumentParser(prog="fanout_memory")
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--settle", type=float, default=2.0, help="seconds before reading")
    parser.add_argument("--variants", default=DEFAULT_VARIANTS)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--regions", action="store_true", help="Rss by kind of mapping")
    parser.add_argument("--top", type=int, default=12, help="tracemalloc lines shown")
    parser.add_argument(
        "--database", default="", help="PostgreSQL server URL for ours (default SQLite)"
    )
    options = parser.parse_args(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    variants = options.variants.split(",")
    say(
        f"== Memory per idle websocket connection: {options.clients:,} clients, slope from "
        f"{options.warm:,} (kB per connection; smaps_rollup) =="
    )
    with tempfile.TemporaryDirectory(prefix="fanout-memory-") as tmp:
        _table(options, variants, Path(tmp))
    return 0


def _table(options: argparse.Namespace, variants: list[str], tmp: Path) -> None:
    from tests.bench.bench_fanout import create_database, drop_database

    ours: dict[str, Any] = {}
    database = ""
    try:
        if any(v.partition("+")[0] == "ours" for v in variants):
            if options.database:
                database = create_database(options.database)
            ours = prepare_ours(options.clients, tmp, database)
        say(
            f"{'variant':<36} {'Rss':>6} {'Pss':>6} {'PrivDirty':>9} {'Anon':>6} "
            f"{'trim Rss':>8} {'from 0':>6}" + (f" {'python':>6}" if options.tracemalloc else "")
        )
        for variant in variants:
            f = measure(variant, options, ours)
            p, t = f.per_connection, f.trimmed
            line = (
                f"{variant:<36} {p['Rss'] / 1024:>6.1f} {p['Pss'] / 1024:>6.1f} "
                f"{p['Private_Dirty'] / 1024:>9.1f} {p['Anonymous'] / 1024:>6.1f} "
                f"{t['Rss'] / 1024:>8.1f} {f.bench / 1024:>6.1f}"
            )
            if options.tracemalloc:
                line += f" {f.python / 1024:>6.1f}"
            say(line)
            for source, size in f.top:
                if size >= 64:
                    say(f"      {size:>7.0f} B  {source}")
    finally:
        if database:
            drop_database(options.database, database)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
