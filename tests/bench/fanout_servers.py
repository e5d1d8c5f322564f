"""The two peer servers of the fan-out benchmark, each run as its own process.

``python -m tests.bench.fanout_servers minimal --port P --redis URL --channel C``
    the practical limit: a websockets server whose one Redis subscription hands each
    payload to ``websockets.broadcast()`` (no queues, no authentication, no protocol).
``python -m tests.bench.fanout_servers socketio --port P --redis URL --channel C``
    python-socketio's ``AsyncServer`` with its ``AsyncRedisManager`` under uvicorn (uvloop,
    httptools), every client entering one room on connect.

Both fan out the same kind of Redis feed as our hub does (the publisher is the benchmark):
the minimal server reads our hub's payloads (``"<event id>\\n<frame>"``) from our session
channel; python-socketio reads its own manager's messages, written by a write-only
``AsyncRedisManager`` (see :mod:`tests.bench.bench_fanout`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any

ROOM = "session"


async def minimal(port: int, redis_url: str, channel: str) -> None:
    import redis.asyncio as redis_asyncio
    from websockets.asyncio.server import ServerConnection, broadcast, serve

    clients: set[ServerConnection] = set()

    async def handler(websocket: ServerConnection) -> None:
        clients.add(websocket)
        try:
            await websocket.wait_closed()
        finally:
            clients.discard(websocket)

    async def feed() -> None:
        client = redis_asyncio.Redis.from_url(redis_url)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(channel)
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            _, _, frame = message["data"].partition(b"\n")
            broadcast(clients, frame, text=True)

    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    # The same keepalive as our server (uvicorn's ws_ping_interval=20).
    async with serve(handler, "127.0.0.1", port, ping_interval=20, ping_timeout=20, backlog=4096):
        task = asyncio.create_task(feed())
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        await stop
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def socketio_app(redis_url: str, channel: str) -> Any:
    import socketio  # type: ignore[import-untyped]

    manager = socketio.AsyncRedisManager(redis_url, channel=channel)
    sio = socketio.AsyncServer(async_mode="asgi", client_manager=manager, cors_allowed_origins="*")

    @sio.event  # type: ignore[untyped-decorator]
    async def connect(sid: str, environ: dict[str, Any]) -> None:
        await sio.enter_room(sid, ROOM)

    return socketio.ASGIApp(sio)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("minimal", "socketio"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--channel", required=True)
    options = parser.parse_args(argv)
    if options.kind == "minimal":
        import uvloop

        uvloop.run(minimal(options.port, options.redis, options.channel))
        return
    import uvicorn

    uvicorn.run(
        socketio_app(options.redis, options.channel),
        host="127.0.0.1",
        port=options.port,
        loop="uvloop",
        http="httptools",
        backlog=4096,
        log_level="warning",
    )


if __name__ == "__main__":
    main(sys.argv[1:])
