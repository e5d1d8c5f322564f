"""Running a test inside a private network namespace where only loopback is up.

WebRTC tests (a publisher, the server's ingest, Chromium) must keep their traffic on
127.0.0.1: this machine's other addresses are not targets. A test marked ``netns`` is, when
collected outside such a namespace, replaced by one that runs it again in a child pytest
under ``unshare --net`` (root only). Inside, PostgreSQL and Redis are out of reach, so those
tests use SQLite and the memory hub.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

import pytest

INSIDE = "CONFERENCE_IN_NETNS"
# Service URLs are useless inside; dropping them keeps fixtures from trying them.
_DROPPED = ("CONFERENCE_TEST_DATABASE_URL", "CONFERENCE_TEST_REDIS_URL", "REQUIRE_SERVICES")


def inside_private_network() -> bool:
    return os.environ.get(INSIDE) == "1"


def _why_unavailable() -> str | None:
    if os.geteuid() != 0:
        return "private network namespaces need root (unshare --net)"
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "unshare and ip (util-linux, iproute2) are needed"
    return None


class PrivateNetworkItem(pytest.Item):
    """Stands in for a ``netns`` test: runs it in a child pytest inside a new namespace."""

    def runtest(self) -> None:
        why = _why_unavailable()
        if why is not None:
            if os.environ.get("REQUIRE_SERVICES") == "1":
                pytest.fail(why)
            pytest.skip(why)
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
        env[INSIDE] = "1"
        pytest_args = ["-q", "-p", "no:cacheprovider", "-x", "--no-header", "-rN"]
        node = shlex.quote(self.nodeid)
        command = " ".join(
            ["ip link set lo up && exec", sys.executable, "-m", "pytest", *pytest_args, node]
        )
        result = subprocess.run(
            ["unshare", "--net", "sh", "-c", command],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode == 5:  # nothing collected
            pytest.fail(f"{self.nodeid} was not found by the child pytest")
        if result.returncode != 0:
            raise AssertionError(
                f"in a private network namespace {self.nodeid} failed:\n"
                + result.stdout[-20_000:]
                + result.stderr[-5_000:]
            )
        if " skipped" in result.stdout and " passed" not in result.stdout:
            pytest.skip(f"skipped inside the namespace: {result.stdout.strip()[-300:]}")

    def reportinfo(self) -> tuple[str, int | None, str]:
        return str(self.path), None, f"{self.name} (in a private network namespace)"


def redirect_to_private_network(items: list[pytest.Item]) -> None:
    """Replace every collected ``netns`` test by a :class:`PrivateNetworkItem` when outside."""
    if inside_private_network():
        return
    for index, item in enumerate(items):
        if item.get_closest_marker("netns") is None:
            continue
        assert item.parent is not None
        replacement = PrivateNetworkItem.from_parent(item.parent, name=item.name)
        replacement.own_markers.extend(item.iter_markers())
        items[index] = replacement
