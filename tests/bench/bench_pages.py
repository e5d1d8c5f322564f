"""Pages under concurrent load through uvicorn (issue 9): the program, a session page and a
stage page for signed-in viewers, at 50 and 200 concurrent clients.

How: ``conference serve`` (one process, the embedded default: SQLite and the memory hub) on
127.0.0.1, migrated and seeded with ``conference demo``; the attendee demo account signs in
and its session cookie goes on every request. wrk (2 threads, keep-alive, ``--duration``
seconds per run) loads each page; ``/healthz`` through the same stack and nginx serving the
program page's HTML (saved to a file) run beside them in the same run as peers, and each
page's throughput is printed as a share of theirs, so a reader can tell a slow page from a
slow machine. Requests per second, p50 and p99 latency, and non-2xx answers or socket
errors (timeouts: wrk gives up on a request after 2 s) are reported.

Needs wrk and nginx (``make bench`` installs wrk as root on Debian); skipped without them.
``--duration SECONDS`` changes the load time (default 5); ``--clients 50,200`` the
concurrency levels.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from conference.demo import DEMO_PASSWORD
from tests.nginx import start_nginx
from tests.servers import free_port, run_conference, server_env, start_server

THREADS = 2
VIEWER = "attendee@demo.test"
SECRET_KEY = "bench-secret-key-" + "p" * 32
NGINX_PAGE = """server {{
    listen 127.0.0.1:{port};
    root {root};
    location / {{ default_type text/html; try_files /program.html =404; }}
}}
"""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    errors: int


def _ms(text: str, label: str) -> float:
    found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", text)
    assert found is not None, text
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def wrk(url: str, *, clients: int, duration: int, cookie: str, script: Path | None = None) -> Load:
    """One wrk run against ``url`` with ``clients`` connections sending ``cookie``; a Lua
    ``script`` may choose each request's path (several addresses in one run)."""
    scripted = ["-s", str(script)] if script is not None else []
    result = subprocess.run(
        ["wrk", f"-t{min(THREADS, clients)}", f"-c{clients}", f"-d{duration}s", "--latency",
         *scripted, "-H", f"Cookie: {cookie}", "-H", "Accept: text/html", url],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    )  # fmt: skip
    out = result.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rate is not None, out
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    count = int(errors.group(1)) if errors else 0
    socket_errors = re.search(r"Socket errors:.*", out)
    if socket_errors:
        count += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(0)))
    return Load(
        requests_per_second=float(rate.group(1)),
        p50_ms=_ms(out, "50%") if "50%" in out else float("nan"),
        p90_ms=_ms(out, "90%") if "90%" in out else float("nan"),
        p99_ms=_ms(out, "99%") if "99%" in out else float("nan"),
        errors=count,
    )


def sign_in(base: str) -> tuple[urllib.request.OpenerDirector, str]:
    """An opener signed in as the demo attendee, and the Cookie header it sends."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/api/v1/auth/csrf") as answer:
        token = json.load(answer)["csrf_token"]
    login = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
        f"{base}/api/v1/auth/login",
        data=json.dumps({"email": VIEWER, "password": DEMO_PASSWORD}).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": token},
        method="POST",
    )
    with opener.open(login) as answer:
        assert answer.status == 200
    return opener, "; ".join(f"{c.name}={c.value}" for c in jar)


def fetch(opener: urllib.request.OpenerDirector, url: str) -> str:
    with opener.open(url) as answer:
        assert answer.status == 200, url
        text: str = answer.read().decode()
        return text


def line(name: str, load: Load, healthz: Load, nginx: Load) -> str:
    errors = f"  {load.errors} errors" if load.errors else ""
    rate = load.requests_per_second
    if rate == 0:
        return f"    {name:<28} no request completed (every one timed out){errors}\n"
    return (
        f"    {name:<28} {rate:8.0f} req/s  p50 {load.p50_ms:8.1f} ms"
        f"  p99 {load.p99_ms:8.1f} ms  {rate / healthz.requests_per_second:6.3f} of /healthz"
        f"  {rate / nginx.requests_per_second:7.4f} of nginx{errors}\n"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_pages")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--clients", default="50,200")
    options, _ = parser.parse_known_args(argv)
    levels = [int(n) for n in options.clients.split(",")]
    out = sys.stdout
    out.write("Pages under concurrent load, signed in, one uvicorn process (issue 9)\n")
    missing = [name for name in ("wrk", "nginx") if shutil.which(name) is None]
    if missing:
        out.write(f"  skipped: needs {' and '.join(missing)} (Debian: apt-get install wrk nginx)\n")
        return 0
    out.write(
        f"  machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"wrk {THREADS} threads, {options.duration} s per run, SQLite, demo meeting\n"
    )
    app = None
    nginx = None
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        root = Path(tmp)
        root.chmod(0o755)  # nginx's workers run as an unprivileged user
        try:
            app_port, nginx_port = free_port(), free_port()
            base = f"http://127.0.0.1:{app_port}"
            env = server_env(var_dir=root / "var", base_url=base, secret_key=SECRET_KEY)
            run_conference(env, "migrate")
            run_conference(env, "demo")
            app = start_server(env, name="app", port=app_port, log=root / "app.log")
            app.wait_healthy()
            opener, cookie = sign_in(base)
            sessions = json.loads(fetch(opener, f"{base}/api/v1/program/sessions"))
            on_stage = next(s for s in sessions if s.get("stage"))
            stage = on_stage["stage"]
            pages = {
                "/program": "/program",
                "session page": f"/program/sessions/{on_stage['guid']}",
                f"stage page ({stage})": f"/stages/{stage}",
            }
            site = root / "site"
            site.mkdir()
            (site / "program.html").write_text(fetch(opener, f"{base}/program"))
            site.chmod(0o755)
            (site / "program.html").chmod(0o644)
            nginx = start_nginx(
                root / "nginx", NGINX_PAGE.format(port=nginx_port, root=site), nginx_port
            )
            for path in pages.values():
                fetch(opener, base + path)  # warm: the first visitor builds the caches
            for clients in levels:
                out.write(f"  {clients} concurrent clients:\n")
                healthz = wrk(
                    f"{base}/healthz", clients=clients, duration=options.duration, cookie=cookie
                )
                static = wrk(
                    f"http://127.0.0.1:{nginx_port}/program",
                    clients=clients,
                    duration=options.duration,
                    cookie=cookie,
                )
                for name, path in pages.items():
                    load = wrk(
                        base + path, clients=clients, duration=options.duration, cookie=cookie
                    )
                    out.write(line(name, load, healthz, static))
                out.write(line("/healthz (peer)", healthz, healthz, static))
                out.write(line("nginx, /program HTML (peer)", static, healthz, static))
        finally:
            if nginx is not None:
                nginx.terminate()
                nginx.wait(timeout=10)
            if app is not None:
                app.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
