"""The listeners of the fan-out benchmark: one process holding many websocket clients.

The benchmark starts two of these (``multiprocessing``, spawn) and talks to each over a
pipe: ``("connect", n)`` → it opens its next connections until ``n`` are open (or failed)
and answers how many are ready (the benchmark reads the server's memory after a first,
small share and again after all: see :mod:`tests.bench.bench_fanout`); ``collect`` → it
answers what was received since, then closes everything.

Every client uses the same library (``websockets``, on uvloop) whichever server it talks
to, so the client's cost is the same for the three servers: our ``/ws`` (cookie, Origin,
``subscribe``), the minimal server (nothing to say) and python-socketio through its
websocket transport alone (Engine.IO v4 framing spoken directly: ``40`` to join the
namespace, ``3`` answering the server's ``2`` pings).

Each event carries its send time as the last field of its data (``"ts":<epoch seconds>}``),
read without parsing the JSON so the clients stay cheap: latency is receive time minus
send time on the same machine's clock, kept as a histogram of 0.1 ms buckets.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

BUCKET = 1e-4  # seconds per latency bucket
CONNECT_CONCURRENCY = 64


@dataclass
class Plan:
    kind: str  # "ours", "minimal" or "socketio"
    url: str
    headers: list[list[tuple[str, str]]]  # one list of headers per client
    channel: str = ""


@dataclass
class Tally:
    received: int = 0
    latency: Counter[int] = field(default_factory=Counter)
    closes: Counter[str] = field(default_factory=Counter)
    connected: int = 0
    failed: Counter[str] = field(default_factory=Counter)


MARK = '"ts":'


def _record(tally: Tally, text: str) -> None:
    at = text.rfind(MARK)
    if at < 0:
        return
    end = text.find("}", at)
    latency = time.time() - float(text[at + len(MARK) : end])
    tally.received += 1
    tally.latency[int(latency / BUCKET)] += 1


async def _open(plan: Plan, index: int, tally: Tally) -> Any:
    from websockets.asyncio.client import connect

    websocket = await connect(
        plan.url,
        additional_headers=plan.headers[index] if plan.headers else None,
        ping_interval=None,  # the servers ping; the clients answer
        max_size=2**20,
        open_timeout=60,
        close_timeout=2,
        compression=None,
    )
    if plan.kind == "ours":
        await websocket.recv()  # welcome
        await websocket.send(f'{{"type":"subscribe","channel":"{plan.channel}"}}')
        while True:
            reply = str(await websocket.recv())
            if '"subscribed"' in reply:
                break
            if '"error"' in reply:
                raise RuntimeError(reply[:200])
    elif plan.kind == "socketio":
        opened = str(await websocket.recv())
        if not opened.startswith("0"):
            raise RuntimeError(opened[:200])
        await websocket.send("40")
        joined = str(await websocket.recv())
        if not joined.startswith("40"):
            raise RuntimeError(joined[:200])
    return websocket


async def _listen(plan: Plan, websocket: Any, tally: Tally) -> None:
    from websockets.exceptions import ConnectionClosed

    socketio = plan.kind == "socketio"
    try:
        async for message in websocket:
            if socketio and message == "2":
                await websocket.send("3")
                continue
            _record(tally, message)
    except ConnectionClosed:
        pass
    received = websocket.close_rcvd
    tally.closes[str(received.code) if received is not None else "no close frame"] += 1


async def _serve(pipe: Connection, plan: Plan) -> None:
    loop = asyncio.get_running_loop()
    tally = Tally()
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    sockets: list[Any] = []
    listeners: list[asyncio.Task[None]] = []

    async def one(index: int) -> None:
        async with gate:
            try:
                websocket = await _open(plan, index, tally)
            except Exception as exc:
                tally.failed[type(exc).__name__ + ": " + str(exc)[:80]] += 1
                return
        sockets.append(websocket)
        tally.connected += 1
        listeners.append(asyncio.create_task(_listen(plan, websocket, tally)))

    opened = 0
    while True:
        command = await loop.run_in_executor(None, pipe.recv)
        if command == "collect":
            break
        _, wanted = command
        wanted = min(wanted, len(plan.headers))
        await asyncio.gather(*(one(index) for index in range(opened, wanted)))
        opened = max(opened, wanted)
        pipe.send(("connected", tally.connected, dict(tally.failed)))
    report = (tally.received, dict(tally.latency), dict(tally.closes))
    for websocket in sockets:
        with contextlib.suppress(Exception):
            websocket.transport.abort()
    for task in listeners:
        task.cancel()
    await asyncio.gather(*listeners, return_exceptions=True)
    pipe.send(report)


def run(pipe: Connection, plan: Plan) -> None:
    """The process's entry point (``multiprocessing.Process(target=run, ...)``)."""
    import resource

    import uvloop

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    uvloop.run(_serve(pipe, plan))
