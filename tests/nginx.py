"""nginx in front of the app, as docs/nginx/conference.conf sets it up in production: for the
production-mode test and the serving benchmarks."""

from __future__ import annotations

import re
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from tests.waiting import block_until

TEMPLATE = Path(__file__).resolve().parents[1] / "docs" / "nginx" / "conference.conf"

NGINX_MAIN = """worker_processes 1;
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    default_type application/octet-stream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    {body}
}}
"""


def production_config(*, port: int, app_port: int, media: Path, secret: str) -> str:
    """docs/nginx/conference.conf with its placeholders filled in for a local test."""
    replacements = {
        "@LISTEN@": f"listen 127.0.0.1:{port};",
        "@SERVER_NAME@": "localhost",
        "@APP_SERVERS@": f"server 127.0.0.1:{app_port};",
        "@MEDIA_DIR@": str(media),
        "@MEDIA_SECRET@": secret,
        "@UPLOAD_LIMIT@": "2g",
    }
    text = TEMPLATE.read_text()
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    assert "@" not in re.sub(r"#.*", "", text), "a placeholder was left in the template"
    return text


def start_nginx(prefix: Path, body: str, port: int) -> subprocess.Popen[bytes]:
    """nginx (Debian's) with ``body`` as its http block's servers, listening on ``port``."""
    prefix.mkdir(parents=True)
    config = prefix / "nginx.conf"
    config.write_text(NGINX_MAIN.format(prefix=prefix, body=body))
    command = ["nginx", "-p", str(prefix), "-c", str(config), "-g", "daemon off;"]
    tested = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True, check=False)
    if tested.returncode != 0:
        raise RuntimeError(f"nginx refused {config}:\n{tested.stderr}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def listening() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False

    try:
        block_until(
            listening,
            lambda: f"nginx to listen on {port}: {(prefix / 'error.log').read_text()}",
            within=30,
        )
    except BaseException:
        process.terminate()
        raise
    return process


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``: the status, the headers (lower-case names) and the body, errors too."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, _lower(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers.items()), error.read()


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}
