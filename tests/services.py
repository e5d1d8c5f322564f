"""Where the test services are, and what to do when one is missing.

Locally a test needing PostgreSQL or Redis skips when its URL is unset; CI sets
REQUIRE_SERVICES=1 so that a missing service fails the run instead of hiding.
"""

from __future__ import annotations

import os
import shutil

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"


def required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def missing(what: str) -> None:
    """Skip, or fail under REQUIRE_SERVICES=1."""
    if required():
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


def postgres_url() -> str:
    url = os.environ.get("CONFERENCE_TEST_DATABASE_URL", "")
    if not url:
        missing("PostgreSQL (set CONFERENCE_TEST_DATABASE_URL)")
    return url


def redis_url() -> str:
    url = os.environ.get("CONFERENCE_TEST_REDIS_URL", "")
    if not url:
        missing("Redis (set CONFERENCE_TEST_REDIS_URL)")
    return url


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM", DEFAULT_CHROMIUM)
    if not (os.path.exists(path) or shutil.which(path)):
        missing(f"Chromium at {path}")
    return path
