"""Production mode: the nginx configuration of docs/PRODUCTION.md checks media tokens as
the app does, and ``conference media-secret`` gives it the secret."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from typer.testing import CliRunner

from conference import cli
from streaming import tokens
from tests.nginx import fetch, production_config, start_nginx
from tests.servers import free_port
from tests.streaming.recording_setup import SEGMENT, write_hls


def test_media_secret_command_prints_what_nginx_needs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONFERENCE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CONFERENCE_SECRET_KEY", "s" * 40)
    result = CliRunner().invoke(cli.app, ["media-secret"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret == tokens.media_secret("s" * 40)
    assert "s" * 40 not in result.output
    token = tokens.issue(secret, "vod/1", ttl_seconds=60)
    assert tokens.verify(tokens.media_secret("s" * 40), "vod/1", token)


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    """A temporary folder nginx's unprivileged workers can read (pytest's are private)."""
    folder = Path(tempfile.mkdtemp(prefix="media-nginx-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_production_nginx_config_checks_tokens_as_the_app_does(world_readable_dir: Path) -> None:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("nginx is required (make test installs it with apt-get as root)")
        pytest.skip("needs nginx (apt-get install nginx)")
    media = world_readable_dir / "media"
    write_hls(media / "streams" / "main-stage", download=False, poster=False)
    write_hls(media / "recordings" / "7")
    (media / "recordings" / "7" / "captions").mkdir()
    (media / "recordings" / "7" / "captions" / "en.vtt").write_text("WEBVTT\n")
    (media / "recordings" / "7" / ".partial.m3u8").write_text("#EXTM3U\n")
    secret = tokens.media_secret("k" * 40)
    port = free_port()
    config = production_config(port=port, app_port=free_port(), media=media, secret=secret)
    nginx = start_nginx(world_readable_dir / "nginx", config, port)
    live = tokens.issue(secret, tokens.stage_scope("main-stage"), ttl_seconds=60)
    vod = tokens.issue(secret, tokens.recording_scope(7), ttl_seconds=60)
    old = tokens.issue(secret, tokens.recording_scope(7), ttl_seconds=60, now=time.time() - 600)
    immutable = "private, max-age=31536000, immutable"
    cases = [
        ("/streams/main-stage/master.m3u8", {}, 403, None, None),
        ("/streams/main-stage/master.m3u8?token=" + vod, {}, 403, None, None),
        ("/vod/7/master.m3u8?token=" + old, {}, 403, None, None),
        ("/vod/8/master.m3u8?token=" + vod, {}, 403, None, None),
        ("/streams/main-stage/master.m3u8?token=" + live, {}, 200,
         "application/vnd.apple.mpegurl", "private, max-age=1"),
        ("/streams/main-stage/360p/seg_00001.m4s", {"Cookie": f"media_token={live}"}, 200,
         "video/iso.segment", immutable),
        ("/streams/main-stage/360p/init.mp4?token=" + live, {}, 200, "video/mp4", immutable),
        ("/vod/7/360p/init.mp4?token=" + vod, {}, 200, "video/mp4", immutable),
        ("/vod/7/master.m3u8?token=" + vod, {}, 200,
         "application/vnd.apple.mpegurl", "private, max-age=60"),
        ("/vod/7/360p/seg_00001.m4s?token=" + vod, {}, 200, "video/iso.segment", immutable),
        ("/vod/7/captions/en.vtt?token=" + vod, {}, 200,
         "text/vtt; charset=utf-8", "private, max-age=60"),
        ("/vod/7/poster.jpg?token=" + vod, {}, 200, "image/jpeg", "private, max-age=60"),
        ("/vod/7/.partial.m3u8?token=" + vod, {}, 404, None, None),
        ("/vod/7/360p/missing.m4s?token=" + vod, {}, 404, None, None),
        ("/vod/7/notes.txt?token=" + vod, {}, 404, None, None),
        ("/vod/7/360p/seg_00001.m4s?token=" + vod, {"Range": "bytes=100-199"}, 206,
         "video/iso.segment", immutable),
    ]  # fmt: skip
    try:
        for path, headers, status, content_type, cache in cases:
            got, answer, body = fetch(f"http://127.0.0.1:{port}{path}", headers)
            assert got == status, path
            if status == 206:
                assert body == SEGMENT[100:200]
            if content_type is not None:
                assert answer["content-type"] == content_type, path
                assert answer["cache-control"] == cache, path
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


CAPTIONS_PLAYLIST = "#EXTM3U\n#EXT-X-TARGETDURATION:3600\n#EXTINF:3600.0,\nen.vtt\n#EXT-X-ENDLIST\n"
SUBTITLES = (
    '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",'
    'URI="captions/en.m3u8"\n'
)


def test_production_nginx_carries_a_query_token_into_playlists_as_the_app_does(
    world_readable_dir: Path,
) -> None:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("nginx is required (make test installs it with apt-get as root)")
        pytest.skip("needs nginx (apt-get install nginx)")
    media = world_readable_dir / "media"
    write_hls(media / "streams" / "main-stage", download=False, poster=False)
    recording = media / "recordings" / "7"
    write_hls(recording)
    (recording / "captions").mkdir()
    (recording / "captions" / "en.vtt").write_text("WEBVTT\n")
    (recording / "captions" / "en.m3u8").write_text(CAPTIONS_PLAYLIST)
    master = (recording / "master.m3u8").read_text().removeprefix("#EXTM3U\n")
    (recording / "master.m3u8").write_text("#EXTM3U\n" + SUBTITLES + master)
    secret = tokens.media_secret("k" * 40)
    port = free_port()
    config = production_config(port=port, app_port=free_port(), media=media, secret=secret)
    nginx = start_nginx(world_readable_dir / "nginx", config, port)
    base = f"http://127.0.0.1:{port}"
    scopes = {"streams/main-stage": media / "streams" / "main-stage", "vod/7": recording}
    try:
        for scope, folder in scopes.items():
            token = tokens.issue(secret, scope, ttl_seconds=60)
            # Every playlist, as a player without cookies meets it from the master down:
            # nginx lists the URIs with the token exactly as the app would, and each opens.
            queue, seen = [f"/{scope}/master.m3u8?token={token}"], []
            while queue:
                url = queue.pop(0)
                status, answer, body = fetch(base + url)
                assert status == 200, url
                path = url.partition("?")[0]
                seen.append(path.removeprefix(f"/{scope}/"))
                if not path.endswith(".m3u8"):
                    continue
                assert answer["content-type"] == "application/vnd.apple.mpegurl", url
                cache = (
                    "private, max-age=1" if scope.startswith("streams/") else "private, max-age=60"
                )
                assert answer["cache-control"] == cache, url
                text = (folder / path.removeprefix(f"/{scope}/")).read_text()
                assert body.decode() == tokens.carry(text, token), url
                for line in tokens.carry(text, token).splitlines():
                    found = re.search(r'URI="([^"]+)"', line)
                    uri = found.group(1) if found else None if line.startswith("#") else line
                    if uri:
                        queue.append(urljoin(url, uri))
                # With the cookie the playlist is the file as it is.
                cookie = {"Cookie": f"media_token={token}"}
                assert fetch(base + path, cookie)[2] == (folder / seen[-1]).read_bytes()
            expected = ["master.m3u8", "360p/index.m3u8", "360p/init.mp4", "360p/seg_00001.m4s"]
            if scope.startswith("vod/"):
                expected[1:1] = ["captions/en.m3u8"]
                expected.append("captions/en.vtt")
            assert sorted(seen) == sorted(expected), scope
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
