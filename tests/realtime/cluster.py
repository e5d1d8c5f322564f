"""Helpers for tests that run several real app processes (``conference serve``) side by side.

A :class:`Cluster` is N server subprocesses sharing one database, one Redis and one secret
key, so a session cookie from one process is valid on every other, as behind nginx.
:class:`WsClient` is a websocket client (the ``websockets`` library) with bounded waits
that fail with what was received so far.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from conference.demo import DEMO_PASSWORD
from tests.servers import Server, free_port, run_conference, server_env, start_server

# Every wait for a frame is bounded by this; a failure names what was awaited.
RECEIVE_TIMEOUT = 10.0
SESSION_COOKIE = "cytokines_session"
SECRET_KEY = "cluster-test-secret-" + "k" * 40

Frame = dict[str, Any]


def base_env(*, var_dir: Path, database_url: str, redis_url: str, base_url: str) -> dict[str, str]:
    return server_env(
        var_dir=var_dir,
        base_url=base_url,
        database_url=database_url,
        redis_url=redis_url,
        secret_key=SECRET_KEY,
        # Pub/sub is global to a Redis server: a namespace per cluster keeps another test
        # worker's (or run's) cluster, which publishes to the same demo channels, apart.
        hub_prefix=f"cluster-{uuid.uuid4().hex[:8]}:",
    )


@dataclass
class Cluster:
    """N processes behind one public origin (``origin``), as nginx would present them."""

    origin: str
    servers: list[Server] = field(default_factory=list)

    def logs(self) -> str:
        return "\n".join(
            f"--- server {s.name} ---\n{s.log.read_text(errors='replace')}" for s in self.servers
        )


@contextmanager
def start_cluster(
    count: int, *, var_dir: Path, database_url: str, redis_url: str
) -> Iterator[Cluster]:
    """Migrate and seed the demo once, then serve it from ``count`` processes.

    Every process gets the same ``CONFERENCE_BASE_URL`` (the first port's): in production
    all of them sit behind one public origin, so each must accept that one Origin header,
    and a session cookie signed by one must be valid on all.
    """
    ports = [free_port() for _ in range(count)]
    origin = f"http://127.0.0.1:{ports[0]}"
    env = base_env(var_dir=var_dir, database_url=database_url, redis_url=redis_url, base_url=origin)
    run_conference(env, "migrate")
    run_conference(env, "demo")
    cluster = Cluster(origin=origin)
    try:
        for name, port in zip("ABCDEFGH", ports, strict=False):
            log = var_dir / f"server-{name}.log"
            cluster.servers.append(start_server(env, name=name, port=port, log=log))
        for server in cluster.servers:
            server.wait_healthy()
        yield cluster
    finally:
        for server in cluster.servers:
            server.stop()


@dataclass
class Account:
    """A signed-in user: cookies for HTTP, the session cookie for websockets."""

    email: str
    user_id: int
    cookies: httpx.Cookies
    csrf_token: str

    @property
    def cookie_header(self) -> str:
        return f"{SESSION_COOKIE}={self.cookies[SESSION_COOKIE]}"

    def http(self, server: Server) -> httpx.Client:
        """An HTTP client of ``server`` carrying this account's cookies and CSRF token."""
        return httpx.Client(
            base_url=server.url,
            cookies=self.cookies,
            headers={"X-CSRF-Token": self.csrf_token},
            timeout=RECEIVE_TIMEOUT,
        )


def sign_in(server: Server, email: str, password: str = DEMO_PASSWORD) -> Account:
    with httpx.Client(base_url=server.url, timeout=RECEIVE_TIMEOUT) as http:
        csrf = http.get("/api/v1/auth/csrf")
        assert csrf.status_code == 200, csrf.text
        token = csrf.json()["csrf_token"]
        response = http.post(
            "/api/v1/auth/login",
            json={"email": email, "password": password},
            headers={"X-CSRF-Token": token},
        )
        assert response.status_code == 200, f"sign-in of {email} failed: {response.text}"
        me = http.get("/api/v1/me")
        assert me.status_code == 200, me.text
        cookies = httpx.Cookies()
        for name in (SESSION_COOKIE, "cytokines_csrf"):
            value = http.cookies.get(name)
            assert value, f"no {name} cookie after signing in {email}"
            cookies.set(name, value)
        return Account(email=email, user_id=int(me.json()["id"]), cookies=cookies, csrf_token=token)


_refs = itertools.count(1)


class WsClient:
    """One websocket client of one server; every wait is bounded by :data:`RECEIVE_TIMEOUT`."""

    def __init__(self, name: str, socket_: ClientConnection) -> None:
        self.name = name
        self.socket = socket_
        # Every frame received, in order; and those no expect() has taken yet.
        self.seen: list[Frame] = []
        self._backlog: list[Frame] = []
        self.welcome: Frame = {}

    @classmethod
    async def open(cls, name: str, server: Server, account: Account, origin: str) -> WsClient:
        socket_ = await connect(
            server.ws_url,
            additional_headers={"Cookie": account.cookie_header},
            origin=Origin(origin),
            open_timeout=RECEIVE_TIMEOUT,
        )
        client = cls(name, socket_)
        client.welcome = await client.expect(lambda f: f["type"] == "welcome", "welcome")
        return client

    async def close(self) -> None:
        await self.socket.close()

    async def send(self, message: Frame) -> None:
        await self.socket.send(json.dumps(message))

    async def receive(self, within: float = RECEIVE_TIMEOUT) -> Frame:
        raw = await asyncio.wait_for(self.socket.recv(), within)
        frame: Frame = json.loads(raw)
        self.seen.append(frame)
        return frame

    async def expect(
        self, match: Callable[[Frame], bool], what: str, within: float = RECEIVE_TIMEOUT
    ) -> Frame:
        """The first not yet expected frame that matches, received already or within
        ``within``; frames passed over stay available to later calls."""
        return (await self.collect_until(match, what, within, keep_others=True))[-1]

    async def collect_until(
        self,
        match: Callable[[Frame], bool],
        what: str,
        within: float = RECEIVE_TIMEOUT,
        *,
        keep_others: bool = False,
    ) -> list[Frame]:
        """Every not yet expected frame up to and including the first that matches, in
        the order received (the others are consumed too, unless ``keep_others``)."""
        for index, frame in enumerate(self._backlog):
            if match(frame):
                taken = self._backlog[: index + 1]
                del self._backlog[: index + 1]
                if keep_others:
                    self._backlog[:0] = taken[:-1]
                    return [frame]
                return taken
        taken = list(self._backlog)
        self._backlog.clear()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        try:
            while True:
                left = deadline - loop.time()
                if left <= 0:
                    raise TimeoutError
                frame = await self.receive(left)
                taken.append(frame)
                if match(frame):
                    break
        except TimeoutError:
            pytest.fail(
                f"client {self.name} never received {what} within {within:.0f} s; "
                f"not yet expected: {taken}"
            )
        except ConnectionClosed as exc:
            pytest.fail(
                f"client {self.name} was closed ({exc}) while waiting for {what}; "
                f"not yet expected: {taken}"
            )
        if keep_others:
            self._backlog.extend(taken[:-1])
            return [taken[-1]]
        return taken

    async def request(
        self, type: str, channel: str | None = None, data: Frame | None = None, **extra: Any
    ) -> Frame:
        """Send an action and return its answer (``ack`` or ``error`` with the same ref)."""
        ref = f"{self.name}-{next(_refs)}"
        message: Frame = {"type": type, "ref": ref, **extra}
        if channel is not None:
            message["channel"] = channel
        if data is not None:
            message["data"] = data
        await self.send(message)
        return await self.expect(
            lambda f: f.get("ref") == ref and f["type"] in ("ack", "error", "subscribed", "pong"),
            f"the answer to {type} (ref {ref})",
        )

    async def subscribe(self, channel: str, since: int | None = None) -> Frame:
        extra: Frame = {} if since is None else {"since": since}
        answer = await self.request("subscribe", channel, **extra)
        assert answer["type"] == "subscribed", f"{self.name} could not subscribe: {answer}"
        return answer
