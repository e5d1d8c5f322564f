"""Media files through a real HTTP server: whole versions while the packager rewrites a
playlist, and ``?token=`` carried through playlists for clients without cookies."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import threading
from pathlib import Path

import av
import httpx
import pytest
from fastapi import FastAPI

from streaming import media, tokens
from streaming.hls.ladder import parse_ladder
from tests.factories import UserFactory
from tests.streaming.hls_writing import push_media, writer_for
from tests.streaming.recording_setup import (
    SEGMENT,
    VTT,
    Program,
    add_recording,
    client_of,
    ctx_of,
    publish_program,
)
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
            response = await http.request(method, url, headers=headers)
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
            # The cookie, as browsers send it: the file as written is served (a query token
            # has its URIs rewritten: test_a_token_url_opens_every_playlist... covers that).
            cookies = {tokens.COOKIE: token}
            async with httpx.AsyncClient(
                base_url=base, limits=limits, timeout=60, cookies=cookies
            ) as http:
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


# ?token= carried through playlists --------------------------------------------------


def _uris(playlist: str) -> list[str]:
    lines = [line for line in playlist.splitlines() if line and not line.startswith("#")]
    return lines + re.findall(r'URI="([^"]+)"', playlist)


async def test_a_token_url_opens_every_playlist_segment_and_caption_without_cookies(
    app: FastAPI, program: Program
) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    folder = ctx_of(app).settings.media_root / "recordings" / str(recording_id)
    (folder / "captions").mkdir()
    (folder / "captions" / "en.vtt").write_bytes(VTT)
    (folder / "captions" / "en.m3u8").write_text(
        "#EXTM3U\n#EXT-X-TARGETDURATION:3600\n#EXTINF:3600.0,\nen.vtt\n#EXT-X-ENDLIST\n"
    )
    master = (folder / "master.m3u8").read_text()
    (folder / "master.m3u8").write_text(
        master.replace(
            "#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360",
            '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",'
            'URI="captions/en.m3u8"\n'
            '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,SUBTITLES="subs"',
        )
    )
    scope = tokens.recording_scope(recording_id)
    token = tokens.issue(app.state.streaming.media_secret, scope, ttl_seconds=600)
    fetched: dict[str, bytes] = {}
    # A client that keeps no cookies follows every URI it is given, from the master down.
    async with client_of(app) as player:
        queue = [f"/vod/{recording_id}/master.m3u8?token={token}"]
        while queue:
            url = queue.pop(0)
            response = await player.get(url)
            assert response.status_code == 200, url
            assert not player.cookies
            fetched[url.partition("?")[0]] = response.content
            if url.partition("?")[0].endswith(".m3u8"):
                for uri in _uris(response.text):
                    assert uri.endswith(f"?token={token}"), uri
                    queue.append(str(httpx.URL(url).join(uri)))
        assert sorted(fetched) == sorted(
            f"/vod/{recording_id}/{name}"
            for name in (
                "master.m3u8",
                "captions/en.m3u8",
                "captions/en.vtt",
                "360p/index.m3u8",
                "360p/init.mp4",
                "360p/seg_00001.m4s",
            )
        )
        assert fetched[f"/vod/{recording_id}/360p/seg_00001.m4s"] == SEGMENT
        # Rewritten playlists keep their headers, answer HEAD and If-None-Match.
        url = f"/vod/{recording_id}/360p/index.m3u8"
        rewritten = await player.get(url, params={"token": token})
        assert rewritten.headers["content-type"] == "application/vnd.apple.mpegurl"
        assert rewritten.headers["cache-control"] == "private, max-age=60"
        assert rewritten.headers["content-length"] == str(len(rewritten.content))
        head = await player.head(url, params={"token": token})
        assert (head.status_code, head.content) == (200, b"")
        assert head.headers["etag"] == rewritten.headers["etag"]
        etag = {"If-None-Match": rewritten.headers["etag"]}
        assert (await player.get(url, params={"token": token}, headers=etag)).status_code == 304
        # Another token: another text, another ETag.
        other = tokens.issue(app.state.streaming.media_secret, scope, ttl_seconds=300)
        again = await player.get(url, params={"token": other}, headers=etag)
        assert again.status_code == 200
        assert f"seg_00001.m4s?token={other}" in again.text
        # With the cookie (browsers) the file is served as it is, with ranges.
        player.cookies.set(tokens.COOKIE, token, path=f"/vod/{recording_id}/")
        plain = await player.get(url)
        assert plain.content == (folder / "360p" / "index.m3u8").read_bytes()
        assert (await player.get(url, headers={"Range": "bytes=0-6"})).content == b"#EXTM3U"
        # A bad token in the query is refused, whatever the cookie says.
        forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        assert (await player.get(url, params={"token": forged})).status_code == 403


def test_carry_adds_the_token_to_relative_uris_only() -> None:
    playlist = (
        "#EXTM3U\n"
        '#EXT-X-MAP:URI="init.mp4"\n'
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="s",NAME="en",URI="captions/en.m3u8"\n'
        "#EXTINF:2.0,\n"
        "seg_1.m4s\n"
        "seg_2.m4s?part=1\n"
        "https://cdn.example.org/seg_3.m4s\n"
        "//cdn.example.org/seg_4.m4s\n"
        '#EXT-X-KEY:METHOD=AES-128,URI="data:text/plain;base64,AAAA"\n'
        '# a comment naming URI="x"\n'
    )
    assert tokens.carry(playlist, "1-T") == (
        "#EXTM3U\n"
        '#EXT-X-MAP:URI="init.mp4?token=1-T"\n'
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="s",NAME="en",URI="captions/en.m3u8?token=1-T"\n'
        "#EXTINF:2.0,\n"
        "seg_1.m4s?token=1-T\n"
        "seg_2.m4s?part=1&token=1-T\n"
        "https://cdn.example.org/seg_3.m4s\n"
        "//cdn.example.org/seg_4.m4s\n"
        '#EXT-X-KEY:METHOD=AES-128,URI="data:text/plain;base64,AAAA"\n'
        '# a comment naming URI="x"\n'
    )


@pytest.fixture(scope="module")
def real_hls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two seconds of real HLS output (H.264 and AAC in fMP4) from our own packager."""
    out = tmp_path_factory.mktemp("hls") / "stage"
    writer = writer_for(out, ladder=parse_ladder("90p:160x90@150"))
    writer.start()
    push_media(writer, seconds=2, width=160, height=90)
    writer.close()
    return out


def _decode(url: str) -> tuple[int, set[tuple[int, int]]]:
    """What FFmpeg (through PyAV) decodes from ``url``: video frames and their sizes."""
    frames, sizes = 0, set()
    with av.open(url, timeout=30) as container:
        for frame in container.decode(video=0):
            frames += 1
            sizes.add((frame.width, frame.height))
    return frames, sizes


async def test_ffmpeg_given_a_token_url_plays_the_live_stream(
    app: FastAPI, program: Program, real_hls: Path
) -> None:
    shutil.copytree(real_hls, ctx_of(app).settings.media_root / "streams" / program.stage_slug)
    token = tokens.issue(
        app.state.streaming.media_secret, tokens.stage_scope(program.stage_slug), ttl_seconds=600
    )
    async with serving(app) as base:
        url = f"{base}/streams/{program.stage_slug}/master.m3u8"
        with pytest.raises(av.error.HTTPForbiddenError):
            await asyncio.to_thread(_decode, url)
        frames, sizes = await asyncio.to_thread(_decode, f"{url}?token={token}")
    assert sizes == {(160, 90)}
    assert frames >= 50


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("bytes=0-99", (0, 100)),
        ("bytes=100-", (100, 250)),
        ("bytes=-50", (200, 250)),
        ("bytes=200-999", (200, 250)),
        ("bytes=250-", None),
        ("bytes=0-9,20-29", (0, 250)),
        ("bytes=\u0661-\u0662", (0, 250)),
        ("items=0-9", (0, 250)),
        ("bytes=9-1", (0, 250)),
    ],
)
def test_a_rewritten_playlist_serves_one_range_or_the_whole(
    header: str, span: tuple[int, int] | None
) -> None:
    """Playlists rewritten for a query token answer ranges as files do (multiple or
    malformed ranges: the whole; beyond the end: 416)."""
    assert media._byte_range(header, 250) == span
