"""Fixtures of the streaming tests: a stage of the demo meeting, made by its organizer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import UserFactory
from tests.program.factories import ProgramBuilder, organizer_client


@pytest.fixture
async def organizer(client: httpx.AsyncClient, users: UserFactory) -> httpx.AsyncClient:
    """The test's client, signed in as an organizer."""
    return await organizer_client(client, users)


@pytest.fixture
async def stage(demo_meeting: None, organizer: httpx.AsyncClient) -> dict[str, Any]:
    """The "Main Stage" of the demo meeting, as the program API answers it."""
    return await ProgramBuilder(organizer).stage("Main Stage")
