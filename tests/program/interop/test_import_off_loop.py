"""Imported files are parsed in a worker thread: the event loop serves other requests
while a large schedule is read and validated."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx
import pytest

from conference.program.interop import service as interop
from conference.program.interop.plan import ProgramSpec
from tests.factories import UserFactory
from tests.program.factories import API, organizer_client

pytestmark = pytest.mark.usefixtures("demo_meeting")

DATA = Path(__file__).parents[1] / "data"
# Long enough for a parser wrongly run on the loop to be told apart from a slow machine;
# the waits end as soon as the other side is ready, so a passing run never waits this long.
PATIENCE = 20

Post = Callable[[httpx.AsyncClient], Coroutine[Any, Any, httpx.Response]]


async def post_json(client: httpx.AsyncClient) -> httpx.Response:
    content = (DATA / "pretalx-schedule.json").read_bytes()
    return await client.post(
        f"{API}/import",
        params={"dry_run": "true"},
        content=content,
        headers={"Content-Type": "application/json"},
    )


async def post_csv(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post(
        f"{API}/import/csv",
        params={"dry_run": "true"},
        content=(DATA / "sessions.csv").read_bytes(),
        headers={"Content-Type": "text/csv"},
    )


async def post_console(client: httpx.AsyncClient) -> httpx.Response:
    content = (DATA / "sessions.csv").read_bytes()
    return await client.post(
        "/console/import",
        data={"action": "preview"},
        files={"file": ("sessions.csv", content, "text/csv")},
    )


@pytest.mark.parametrize("post", [post_json, post_csv, post_console])
async def test_the_loop_answers_while_an_import_is_parsed(
    post: Post,
    client: httpx.AsyncClient,
    users: UserFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    organizer = await organizer_client(client, users)
    loop_thread = threading.get_ident()
    parsing, release = threading.Event(), threading.Event()
    parsed_in: list[int] = []
    parse = interop.parse_program

    def held_parse(content: bytes, *, kind: interop.ImportKind, source: str) -> ProgramSpec:
        parsed_in.append(threading.get_ident())
        parsing.set()
        # Released by the test only after the loop answered another request meanwhile; a
        # parser on the loop would hold it here and this wait would run out.
        if not release.wait(PATIENCE):
            raise TimeoutError("the event loop did not run while the file was parsed")
        return parse(content, kind=kind, source=source)

    monkeypatch.setattr(interop, "parse_program", held_parse)
    importing = asyncio.create_task(post(organizer))
    assert await asyncio.to_thread(parsing.wait, PATIENCE)

    health = await organizer.get("/healthz")
    assert health.status_code == 200
    assert not importing.done()
    release.set()
    response = await importing
    assert response.status_code == 200, response.text
    assert len(parsed_in) == 1
    assert parsed_in[0] != loop_thread
