"""The organizer's journey through the Jobs page in the browser, on the embedded default
(SQLite, the runner inside the web process): follow a running job's progress, read a
failure, retry it from the keyboard, see it done.

Its own server, whose app also registers the tests' sample kind (a job a test can hold
running, and retry: a failed transcode cannot be retried, its upload is gone). Jobs are
queued by writing the rows, as a domain's request would.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from conference.demo import DEMO_PASSWORD
from tests.e2e.browser import ACTION_TIMEOUT_MS
from tests.e2e.people import ORGANIZER
from tests.servers import Server, free_port, run_conference, server_env

pytestmark = pytest.mark.browser

FAILURE = "The adder failed (exit status 65). These are not numbers."
# How long to wait for the server's runner to reach a state (seconds).
RUNNER_DEADLINE = 60.0


@pytest.fixture
def jobs_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A server with the sample kind: its URL and its SQLite database file."""
    port = free_port()
    env = server_env(var_dir=tmp_path, base_url=f"http://127.0.0.1:{port}", redis_url="memory://")
    run_conference(env, "migrate")
    run_conference(env, "demo")
    # The demo queues the renders of its posters' tiles; this journey follows its own jobs.
    with contextlib.closing(sqlite3.connect(tmp_path / "conference.db")) as database:
        database.execute("DELETE FROM jobs")
        database.commit()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "tests.e2e.jobs_app:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(name="jobs", port=port, process=process, log=log)
    try:
        server.wait_healthy()
        yield server.url, tmp_path / "conference.db"
    finally:
        server.stop()


def queue_job(database: Path, payload: dict[str, object], **values: object) -> int:
    """Write a sample job row (queued unless ``values`` say otherwise); its id."""
    now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    row: dict[str, object] = {
        "kind": "sample",
        "payload": json.dumps(payload),
        "subject": "numbers",
        "state": "queued",
        "attempts": 0,
        "max_attempts": 3,
        "progress": 0.0,
        "worker": "",
        "error": "",
        "created_at": now,
        **values,
    }
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    insert = f"INSERT INTO jobs ({columns}) VALUES ({marks})"
    with sqlite3.connect(database) as connection:
        cursor = connection.execute(insert, tuple(row.values()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def wait_for_job(database: Path, job_id: int, condition: Callable[[str, float], bool]) -> None:
    """Return once the job's (state, progress) meet ``condition``: the server's runner
    works on it meanwhile (polled, as the page itself would be reloaded)."""
    deadline = time.monotonic() + RUNNER_DEADLINE
    state, progress = "", 0.0
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            state, progress = connection.execute(
                "SELECT state, progress FROM jobs WHERE id = ?", (job_id,)
            ).fetchone()
        if condition(state, progress):
            return
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} is still {state} ({progress} %)")


def test_organizer_follows_progress_and_retries_a_failed_job(
    browser: Browser, jobs_server: tuple[str, Path]
) -> None:
    url, database = jobs_server
    release = database.parent / "release"
    held = queue_job(database, {"numbers": [1, 2], "hold": str(release)})
    failed = queue_job(database, {"numbers": [20, 22]}, state="failed", attempts=3, error=FAILURE)

    context = browser.new_context(base_url=url, locale="en-GB")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/signin?next=/console")
        page.get_by_label("Email address").fill(ORGANIZER)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("navigation", name="Console").get_by_role("link", name="Jobs").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Jobs")

        # The held job runs in the server's own runner and reports half its work.
        wait_for_job(database, held, lambda state, progress: progress == 50.0)
        page.reload()
        progress = page.get_by_role("progressbar", name=f"Progress of job #{held}")
        expect(progress).to_have_attribute("value", "50.0")
        running = page.get_by_test_id("running-jobs")
        expect(running).to_contain_text(f"#{held}")
        expect(running).to_contain_text("Sum of numbers")
        expect(running).to_contain_text("Adding 1 + 2")

        failures = page.get_by_test_id("failed-jobs")
        expect(failures.get_by_role("heading", name=f"#{failed} Sum of numbers")).to_be_visible()
        expect(failures.get_by_test_id("job-error")).to_have_text(FAILURE)

        release.touch()
        # Retry from the keyboard: the button is named for its job.
        retry = page.get_by_role("button", name=f"Retry job #{failed}")
        retry.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_have_text(f"Job #{failed} is queued again.")
        expect(page.get_by_test_id("failed-jobs")).to_contain_text("No job has failed.")

        wait_for_job(database, failed, lambda state, _: state == "done")
        page.reload()
        done = page.get_by_test_id("done-jobs")
        expect(done).to_contain_text(re.compile(rf"#{failed}\b"))
        expect(done).to_contain_text(re.compile(rf"#{held}\b"))
        expect(page.get_by_test_id("job-counts")).to_have_text(
            "0 queued, 0 running, 0 failed, 2 done."
        )
    finally:
        context.close()
