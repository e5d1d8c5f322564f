"""Segments served: plain nginx, nginx in production mode, and the app (issue 5).

Goal: production mode (nginx checking the media token itself with secure_link, the
configuration of docs/nginx/conference.conf, run here as is) adds under 10 % to plain
nginx's cost of serving the same files with no check: CPU per request at most 1.10 times,
and so at least 0.9 of its requests per second. The app's own authorized path
(streaming/media.py, one uvicorn worker) is measured beside them for scale; it is the
development path.

How: 60 segments of 300 kB (random bytes: servers do not look inside) in a media folder
under a temporary directory; (a) nginx with a plain ``root``, (b) nginx with the production
configuration, (c) ``conference serve`` (one worker, SQLite) with that folder as its media
directory; one nginx worker each. Each is loaded with wrk (2 threads, 32 connections, 5 s)
cycling through the segments, every request carrying a valid ``media_token`` cookie; the
server is pinned to one CPU and wrk to the others. The server's CPU time (user + system,
from /proc) over the requests it answered gives the cost per request, which other work on
a shared machine moves far less than the rate; requests per second are printed too (best
round). (a) and (b) alternate over five rounds; other work only ever adds to a round's
cost, so the goal compares the cheapest round of each. Before the load, the
production configuration is checked for what it must refuse and allow (no token, a token of
another stage, an expired token, hidden files, a range, the MP4 download that the app
decides and nginx sends).

Needs nginx (with its secure_link module: Debian's ``nginx``) and wrk; as root on Debian it
installs them with apt-get when they are missing, otherwise it says what is missing and
skips. ``--duration SECONDS`` changes the load time; ``--check`` makes a missed goal (or a
failed check, or errors under load) the exit status.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from streaming import tokens
from tests.nginx import fetch, production_config, start_nginx
from tests.servers import free_port, run_conference, server_env, start_server

GOAL_RATIO = 0.9
# "Adds under 10 % to nginx's cost": CPU per request, production over plain.
COST_GOAL = 1.10
ROUNDS = 5
SERVER_CPU = 1
SEGMENTS = 60
SEGMENT_BYTES = 300_000
THREADS = 2
CONNECTIONS = 32
STAGE = "bench-stage"
RECORDING_ID = 1
SECRET_KEY = "bench-secret-key-" + "b" * 32

PLAIN_SERVER = """server {{
        listen 127.0.0.1:{port};
        location /streams/ {{
            root {media};
            types {{ video/iso.segment m4s; application/vnd.apple.mpegurl m3u8; }}
        }}
    }}"""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    megabytes_per_second: float
    p99_ms: float
    errors: int
    # Server CPU (user + system, all its processes) per request: unlike the rate, hardly
    # moved by other work on a shared machine.
    cpu_us_per_request: float


def family(pid: int) -> list[int]:
    """``pid`` and its children (nginx's master and workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *map(int, children)]


def pin(pid: int, cpu: int) -> None:
    """Keep a server (and its children) on one CPU and wrk on the others, so the two do
    not take turns on a core, run after run alike."""
    if (os.cpu_count() or 1) > 1:
        for process in family(pid):
            os.sched_setaffinity(process, {cpu})


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by process ``pid`` and its children (nginx's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for process in family(pid):
        fields = Path(f"/proc/{process}/stat").read_text().rpartition(")")[2].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def ensure_tools() -> str | None:
    """None when nginx and wrk are there (installed now if root on Debian), else why not."""
    missing = [name for name in ("nginx", "wrk") if shutil.which(name) is None]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        packages = ["nginx" if name == "nginx" else "wrk" for name in missing]
        sys.stdout.write(f"installing {' '.join(packages)} with apt-get\n")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", *packages], env=env, check=False)
        missing = [name for name in ("nginx", "wrk") if shutil.which(name) is None]
    if missing:
        return f"needs {' and '.join(missing)} (Debian: apt-get install nginx wrk)"
    modules = subprocess.run(["nginx", "-V"], capture_output=True, text=True, check=False).stderr
    if "http_secure_link_module" not in modules:
        return "this nginx lacks the secure_link module (Debian's nginx package has it)"
    return None


def make_media(media: Path) -> list[str]:
    """The segments (and a recording with an MP4); the URL paths of the segments."""
    folder = media / "streams" / STAGE / "720p"
    folder.mkdir(parents=True)
    paths = []
    for number in range(1, SEGMENTS + 1):
        (folder / f"seg_{number:05d}.m4s").write_bytes(os.urandom(SEGMENT_BYTES))
        paths.append(f"/streams/{STAGE}/720p/seg_{number:05d}.m4s")
    (folder / ".hidden.m4s").write_bytes(b"hidden")
    vod = media / "recordings" / str(RECORDING_ID)
    vod.mkdir(parents=True)
    (vod / "recording.mp4").write_bytes(os.urandom(100_000))
    (vod / "master.m3u8").write_text("#EXTM3U\n")
    return paths


def add_recording_row(database: Path) -> None:
    """A published, ready recording whose download is allowed (for the X-Accel check)."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO recordings (id, title, source, status, published, allow_download,"
            " media_path, has_mp4, has_thumbnail, error, created_at, updated_at)"
            " VALUES (?, 'Bench', 'upload', 'ready', 1, 1, ?, 1, 0, '', ?, ?)",
            (RECORDING_ID, f"recordings/{RECORDING_ID}", now, now),
        )


def check_production(base: str, paths: list[str], media: Path, secret: str) -> list[str]:
    """What the production configuration must refuse and allow; the failures."""
    good = tokens.issue(secret, tokens.stage_scope(STAGE), ttl_seconds=600)
    other = tokens.issue(secret, tokens.stage_scope("other"), ttl_seconds=600)
    expired = tokens.issue(secret, tokens.stage_scope(STAGE), ttl_seconds=60, now=time.time() - 600)
    vod = tokens.issue(secret, tokens.recording_scope(RECORDING_ID), ttl_seconds=600)
    segment = paths[0]
    expected_bytes = (media / segment.removeprefix("/")).read_bytes()
    cases: list[tuple[str, str, dict[str, str], int]] = [
        ("no token", segment, {}, 403),
        ("token of another stage", f"{segment}?token={other}", {}, 403),
        ("expired token", f"{segment}?token={expired}", {}, 403),
        ("token in the query", f"{segment}?token={good}", {}, 200),
        ("token in the cookie", segment, {"Cookie": f"media_token={good}"}, 200),
        ("hidden file", f"/streams/{STAGE}/720p/.hidden.m4s?token={good}", {}, 404),
        ("unknown type", f"/streams/{STAGE}/720p/seg_00001.txt?token={good}", {}, 404),
        ("range", f"{segment}?token={good}", {"Range": "bytes=10-19"}, 206),
        ("download without token", f"/vod/{RECORDING_ID}/recording.mp4", {}, 403),
        ("download", f"/vod/{RECORDING_ID}/recording.mp4?token={vod}", {}, 200),
    ]
    failures = []
    for name, path, headers, status in cases:
        got, answer, body = fetch(base + path, headers)
        if got != status:
            failures.append(f"{name}: {got}, expected {status}")
        elif name == "token in the cookie" and (
            body != expected_bytes
            or answer.get("content-type") != "video/iso.segment"
            or answer.get("cache-control") != "private, max-age=60"
        ):
            failures.append(f"{name}: wrong bytes or headers {answer}")
        elif name == "range" and body != expected_bytes[10:20]:
            failures.append("range: wrong bytes")
        elif name == "download" and (
            body != (media / "recordings" / str(RECORDING_ID) / "recording.mp4").read_bytes()
            or "attachment" not in answer.get("content-disposition", "")
        ):
            failures.append(f"download: wrong bytes or headers {answer}")
    return failures


def _wrk_cpus() -> None:
    cpus = os.cpu_count() or 1
    if cpus > 1:
        os.sched_setaffinity(0, set(range(cpus)) - {SERVER_CPU})


def wrk(base: str, script: Path, duration: int, server_pid: int) -> Load:
    cpu_before = cpu_seconds(server_pid)
    result = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "-s",
         str(script), base],
        capture_output=True, text=True, check=True, timeout=duration + 60,
        preexec_fn=_wrk_cpus,
    )  # fmt: skip
    cpu = cpu_seconds(server_pid) - cpu_before
    out = result.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    assert transfer is not None, out
    scale = {"B": 1e-6, "KB": 1024 / 1e6, "MB": 1024**2 / 1e6, "GB": 1024**3 / 1e6}
    latency = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    assert latency is not None, out
    p99 = float(latency.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[latency.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors:.*", out)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(0)))
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return Load(
        requests_per_second=rate,
        megabytes_per_second=float(transfer.group(1)) * scale[transfer.group(2)],
        p99_ms=p99,
        errors=count,
        cpu_us_per_request=cpu / max(requests, 1) * 1e6,
    )


def lua_script(path: Path, paths: list[str], token: str) -> None:
    listed = ",\n".join(f'  "{p}"' for p in paths)
    path.write_text(
        f"local paths = {{\n{listed}\n}}\n"
        "local n = 0\n"
        f'wrk.headers["Cookie"] = "media_token={token}"\n'
        "request = function()\n"
        "  n = n + 1\n"
        '  return wrk.format("GET", paths[(n % #paths) + 1])\n'
        "end\n"
    )


def line(name: str, load: Load, cpu_us_per_request: float | None = None) -> str:
    cost = load.cpu_us_per_request if cpu_us_per_request is None else cpu_us_per_request
    errors = f"  {load.errors} errors" if load.errors else ""
    return (
        f"  {name:<36} {load.requests_per_second:7.0f} req/s {load.megabytes_per_second:7.1f} MB/s"
        f"  p99 {load.p99_ms:7.1f} ms  CPU {cost:6.1f} us/req{errors}\n"
    )


def rounds(runs: list[Load]) -> str:
    return ", ".join(f"{r.requests_per_second:.0f}/{r.cpu_us_per_request:.1f}" for r in runs)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_streaming_serve")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--check", action="store_true")
    options, _ = parser.parse_known_args(argv)
    out = sys.stdout
    out.write("Streaming: segments served per second (issue 5)\n")
    missing = ensure_tools()
    if missing:
        out.write(f"  skipped: {missing}\n")
        return 0
    nginx_version = subprocess.run(
        ["nginx", "-v"], capture_output=True, text=True, check=False
    ).stderr.strip()
    out.write(
        f"  machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"{nginx_version}, wrk {THREADS} threads {CONNECTIONS} connections "
        f"{options.duration} s, {SEGMENTS} segments of {SEGMENT_BYTES // 1000} kB\n"
    )
    secret = tokens.media_secret(SECRET_KEY)
    token = tokens.issue(secret, tokens.stage_scope(STAGE), ttl_seconds=3600)
    processes: list[subprocess.Popen[bytes]] = []
    app = None
    with tempfile.TemporaryDirectory(prefix="bench-streaming-") as tmp:
        root = Path(tmp)
        root.chmod(0o755)  # nginx's workers run as an unprivileged user
        media = root / "media"
        paths = make_media(media)
        script = root / "segments.lua"
        lua_script(script, paths, token)
        try:
            app_port, plain_port, production_port = free_port(), free_port(), free_port()
            env = server_env(
                var_dir=root / "var",
                base_url=f"http://127.0.0.1:{app_port}",
                secret_key=SECRET_KEY,
                media_dir=str(media),
            )
            run_conference(env, "migrate")
            add_recording_row(root / "var" / "conference.db")
            app = start_server(env, name="app", port=app_port, log=root / "app.log")
            app.wait_healthy()
            pin(app.process.pid, SERVER_CPU)
            plain = PLAIN_SERVER.format(port=plain_port, media=media)
            processes.append(start_nginx(root / "nginx-plain", plain, plain_port))
            plain_pid = processes[-1].pid
            pin(plain_pid, SERVER_CPU)
            production = production_config(
                port=production_port, app_port=app_port, media=media, secret=secret
            )
            processes.append(start_nginx(root / "nginx-production", production, production_port))
            production_pid = processes[-1].pid
            pin(production_pid, SERVER_CPU)
            failures = check_production(f"http://127.0.0.1:{production_port}", paths, media, secret)
            for failure in failures:
                out.write(f"  production config FAILED: {failure}\n")
            if not failures:
                out.write("  production config: refusals and downloads as expected\n")
            plain_runs, production_runs = [], []
            for _ in range(ROUNDS):
                plain_runs.append(
                    wrk(f"http://127.0.0.1:{plain_port}", script, options.duration, plain_pid)
                )
                production_runs.append(
                    wrk(
                        f"http://127.0.0.1:{production_port}",
                        script,
                        options.duration,
                        production_pid,
                    )
                )
            app_run = wrk(f"http://127.0.0.1:{app_port}", script, options.duration, app.process.pid)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)
            if app is not None:
                app.stop()
    a = max(plain_runs, key=lambda load: load.requests_per_second)
    b = max(production_runs, key=lambda load: load.requests_per_second)
    # Other work on the machine only ever adds to a run's cost: the cheapest round is the
    # closest to the server's own.
    a_cpu = min(r.cpu_us_per_request for r in plain_runs)
    b_cpu = min(r.cpu_us_per_request for r in production_runs)
    out.write(line("(a) nginx, plain files", a, a_cpu))
    out.write(line("(b) nginx, production (secure_link)", b, b_cpu))
    out.write(line("(c) app, streaming/media.py", app_run))
    rate_ratio = b.requests_per_second / a.requests_per_second
    cost_ratio = b_cpu / a_cpu
    verdict = "meets" if cost_ratio <= COST_GOAL else "MISSES"
    out.write(
        f"  production/plain: CPU per request {cost_ratio:.3f} (cheapest of {ROUNDS} rounds each; "
        f"{verdict} the goal <= {COST_GOAL}), rate {rate_ratio:.3f} (goal >= {GOAL_RATIO})\n"
        f"  app/plain: CPU per request {app_run.cpu_us_per_request / a_cpu:.1f}, "
        f"rate {app_run.requests_per_second / a.requests_per_second:.3f}\n"
        f"  rounds, req/s and CPU us/req: a {rounds(plain_runs)}; b {rounds(production_runs)}\n"
    )
    missed = cost_ratio > COST_GOAL or bool(failures)
    missed = missed or a.errors + b.errors + app_run.errors > 0
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
