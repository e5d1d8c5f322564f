"""Schemathesis over /openapi.json: no generated request earns a server error.

A real ``conference serve`` process on a throwaway database with the demo meeting seeded,
tested by the schemathesis command line in deterministic mode, checking
``not_a_server_error``: anonymous on SQLite (examples and a bounded fuzzing phase), and as
the demo organizer (session cookie and CSRF token) on PostgreSQL when it is configured,
else SQLite, adding the coverage phase (boundary and just-out-of-bounds values of every
parameter and body field, derived from the schema, the same every run).
``OPENAPI_FUZZ_EXAMPLES`` raises the number of fuzzed examples per operation.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from conference.demo import DEMO_PASSWORD
from tests import databases
from tests.servers import Server, start_demo_server

EXAMPLES = os.environ.get("OPENAPI_FUZZ_EXAMPLES", "3")
RUN_TIMEOUT = 600


def _database(role: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if role == "organizer" and os.environ.get("CONFERENCE_TEST_DATABASE_URL"):
        url: str = request.getfixturevalue("postgres_migrated")
        asyncio.run(databases.truncate_all(url))
        return url
    template: Path = request.getfixturevalue("sqlite_template")
    return databases.copy_sqlite(template, tmp_path / "db")


@pytest.fixture(params=["anonymous", "organizer"])
def role(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def server(role: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    running = start_demo_server(
        tmp_path / "var",
        name="fuzz",
        log=tmp_path / "server.log",
        database_url=_database(role, request, tmp_path),
    )
    try:
        running.wait_healthy()
        yield running
    finally:
        running.stop()


def sign_in(server: Server) -> list[str]:
    """The headers of a signed-in organizer: session cookie and CSRF token."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{server.url}/api/v1/auth/csrf", timeout=30) as response:
        token = json.load(response)["csrf_token"]
    login = urllib.request.Request(  # noqa: S310 (our own http:// server)
        f"{server.url}/api/v1/auth/login",
        data=json.dumps({"email": "organizer@demo.test", "password": DEMO_PASSWORD}).encode(),
        headers={"content-type": "application/json", "x-csrf-token": token},
    )
    with opener.open(login, timeout=30) as response:
        assert response.status == 200
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return ["-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {token}"]


def still_organizer(server: Server, headers: list[str]) -> int:
    request = urllib.request.Request(  # noqa: S310 (our own http:// server)
        f"{server.url}/api/v1/users", headers=dict(h.split(": ", 1) for h in headers[1::2])
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        status: int = response.status
        return status


@pytest.mark.timeout(RUN_TIMEOUT + 120)
def test_no_generated_request_gets_a_server_error(
    server: Server, role: str, tmp_path: Path
) -> None:
    headers = sign_in(server) if role == "organizer" else []
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{server.url}/openapi.json",
        "--checks",
        "not_a_server_error",
        "--phases",
        # Anonymous requests mostly stop at the sign-in check: the boundary values are
        # spent where they reach each route's own validation.
        "examples,coverage,fuzzing" if role == "organizer" else "examples,fuzzing",
        "--max-examples",
        EXAMPLES,
        "--generation-deterministic",
        "--no-shrink",
        # One worker: schemathesis's generation is not reliably thread-safe (a run with two
        # once ended in a SystemError inside Hypothesis), and the server is one process.
        "--workers",
        "1",
        "--continue-on-failure",
        "--request-timeout",
        "60",
        "--no-color",
        *headers,
    ]
    if role == "organizer":
        # These would end the organizer's own session and leave the rest of the run
        # anonymous (the anonymous run covers them).
        command += [
            "--exclude-operation-id",
            "logout_api_v1_auth_logout_post",
            "--exclude-operation-id",
            "delete_me_api_v1_me_delete",
        ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False, cwd=tmp_path
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20_000:] + "\n" + server.log.read_text()[-5_000:]
    assert "Tested: " in output
    tested = int(output.split("Tested: ", 1)[1].split()[0])
    assert tested >= 60, output[-3_000:]
    if role == "organizer":
        assert still_organizer(server, headers) == 200
