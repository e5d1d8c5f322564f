"""Media files through a real HTTP server: whole versions while the packager rewrites a
playlist, and ``?token=`` carried through playlists for clients without cookies."""

from __future__ import annotations

import asyncio
import os
import re
import threading
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from streaming import tokens
from tests.factories import UserFactory
from tests.streaming.recording_setup import Program, ctx_of, publish_program
from tests.streaming.serving import serving

REQUESTS = 400
CONCURRENCY = 16
DEADLINE = 120.0


@pytest.fixture
async def program(client: httpx.AsyncClient, users: UserFactory, demo_meeting: None) -> Program:
    return await publish_program(client, users)


def playlist_version(number: int) -> bytes:
    """Version ``number`` of a live playlist: each a different length (0-2 KiB of padding)."""
    padding = "#" + "x" * (number * 389 % 2048)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-TARGETDURATION:2",
        f"#EXT-X-MEDIA-SEQUENCE:{number}",
        padding,
        f"#EXTINF:2.000,\nb1-seg_{number:05d}.m4s",
        f"#VERSION:{number}",
    ]
    return ("\n".join(lines) + "\n").encode()


class Rewriter(threading.Thread):
    """Replaces the playlist by rename in a loop, as the HLS packager does."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.versions = 0
        self.stop = threading.Event()

    def run(self) -> None:
        temporary = self.path.with_name(".index.m3u8.tmp")
        while not self.stop.is_set():
            temporary.write_bytes(playlist_version(self.versions))
            os.replace(temporary, self.path)
            self.versions += 1


async def test_a_playlist_rewritten_by_rename_is_served_whole(
    app: FastAPI, program: Program
) -> None:
    folder = ctx_of(app).settings.media_root / "streams" / program.stage_slug / "360p"
    folder.mkdir(parents=True)
    playlist = folder / "index.m3u8"
    playlist.write_bytes(playlist_version(0))
    token = tokens.issue(
        app.state.streaming.media_secret, tokens.stage_scope(program.stage_slug), ttl_seconds=600
    )
    url = f"/streams/{program.stage_slug}/360p/index.m3u8"
    problems: list[str] = []
    seen: set[int] = set()
    rewriter = Rewriter(playlist)

    async def fetch(http: httpx.AsyncClient, number: int) -> None:
        # Mostly whole answers, as players fetch them; some ranges and HEADs too.
        method = "HEAD" if number % 10 == 9 else "GET"
        headers = {"Range": "bytes=0-99"} if number % 10 == 8 else {}
        try:
            response = await http.request(method, url, params={"token": token}, headers=headers)
        except httpx.HTTPError as exc:
            problems.append(f"{method} {headers}: {exc!r}")
            return
        length = int(response.headers["content-length"])
        if method == "HEAD":
            if response.status_code != 200 or response.content != b"":
                problems.append(f"HEAD: {response.status_code}")
            return
        if len(response.content) != length:
            problems.append(f"{len(response.content)} bytes for Content-Length {length}")
        if headers:
            total = int(response.headers["content-range"].rpartition("/")[2])
            if response.status_code != 206 or length != 100 or total < 100:
                problems.append(f"range: {response.status_code} {length} of {total}")
            return
        found = re.search(rb"#VERSION:(\d+)\n$", response.content)
        if found is None or response.content != playlist_version(int(found[1])):
            problems.append(f"not one whole version: {response.content[-40:]!r}")
            return
        seen.add(int(found[1]))

    async with serving(app) as base:
        rewriter.start()
        try:
            limits = httpx.Limits(max_connections=CONCURRENCY)
            async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
                numbers = iter(range(REQUESTS))

                async def worker() -> None:
                    for number in numbers:
                        await fetch(http, number)

                async with asyncio.timeout(DEADLINE):
                    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        finally:
            rewriter.stop.set()
            await asyncio.to_thread(rewriter.join, 10)
    assert problems == []
    # The answers really raced the rewrites.
    assert len(seen) > 10
    assert rewriter.versions > REQUESTS
