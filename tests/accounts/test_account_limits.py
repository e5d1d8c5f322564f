"""Reset mail and registration: limited per address and per email, through the hub (both
backends), answered alike for real and unknown accounts, mail sent after the answer."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.accounts.flows import RESET_ACCEPTED
from conference.accounts.models import PendingRegistration
from conference.mail import Mailer
from conference.main import create_app
from conference.settings import Settings
from tests import services
from tests.app_settings import app_settings
from tests.factories import UserFactory, csrf
from tests.mailbox import outbox_files
from tests.servers import free_port

RESET = "/api/v1/auth/password-reset"
REGISTER = "/api/v1/auth/register"


def registration(email: str) -> dict[str, object]:
    return {
        "name": "New Person",
        "email": email,
        "password": "a long enough password",
        "time_zone": "Europe/London",
    }


@pytest.fixture(params=["memory", "redis"])
def settings(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Settings:
    limits = {
        "reset_limit_per_address": 6,
        "reset_limit_per_email": 2,
        "register_limit_per_address": 4,
        "register_limit_per_email": 2,
    }
    if request.param == "memory":
        return app_settings(database_url, tmp_path / "var", **limits)
    return app_settings(
        database_url,
        tmp_path / "var",
        redis_url=services.redis_url(),
        hub_prefix=f"test-{uuid.uuid4().hex[:8]}:",
        **limits,
    )


@asynccontextmanager
async def at(app: FastAPI, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A browser at ``address`` with its CSRF token."""
    transport = httpx.ASGITransport(app=app, client=(address, 41000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await csrf(client)
        yield client


async def test_reset_mail_per_email_is_limited_silently(
    app: FastAPI, users: UserFactory, settings: Settings
) -> None:
    await users.create(email="flooded@example.org")
    for n in range(5):  # five addresses, each under its own limit
        async with at(app, f"198.51.100.{n + 1}") as client:
            response = await client.post(RESET, json={"email": "flooded@example.org"})
            assert response.status_code == 202
            assert response.json() == {"detail": RESET_ACCEPTED}
    await app.state.ctx.mailer.flush()
    assert len(await outbox_files(settings, 2)) == 2  # the per-email limit


async def test_reset_per_address_is_429_with_retry_after(client: httpx.AsyncClient) -> None:
    await csrf(client)
    for n in range(6):
        response = await client.post(RESET, json={"email": f"any{n}@example.org"})
        assert response.status_code == 202
    refused = await client.post(RESET, json={"email": "one-more@example.org"})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    page = await client.post(
        "/password/forgot",
        data={"email": "page@example.org"},
        headers={"X-CSRF-Token": client.headers["X-CSRF-Token"]},
    )
    assert page.status_code == 429
    assert "Too many requests" in page.text


async def test_reset_answers_alike_for_real_and_unknown_accounts(
    client: httpx.AsyncClient, users: UserFactory, settings: Settings, app: FastAPI
) -> None:
    await users.create(email="real@example.org")
    await csrf(client)
    real = await client.post(RESET, json={"email": "real@example.org"})
    unknown = await client.post(RESET, json={"email": "ghost@example.org"})
    assert real.status_code == unknown.status_code == 202
    assert real.json() == unknown.json() == {"detail": RESET_ACCEPTED}
    [mail] = await outbox_files(settings, 1)
    assert "To: real@example.org" in mail.read_text()
    await app.state.ctx.mailer.flush()
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 1


async def test_registration_per_address_limit(client: httpx.AsyncClient, app: FastAPI) -> None:
    await csrf(client)
    for n in range(4):
        client.cookies.delete("cytokines_session")
        response = await client.post(REGISTER, json=registration(f"r{n}@example.org"))
        assert response.status_code == 202, response.text
    refused = await client.post(REGISTER, json=registration("r9@example.org"))
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    async with app.state.ctx.db.session() as db:
        pending = await db.scalars(select(PendingRegistration.email))
        assert sorted(pending) == [f"r{n}@example.org" for n in range(4)]


async def test_registration_per_email_limit(app: FastAPI) -> None:
    for n in range(2):
        async with at(app, f"198.51.100.{n + 40}") as client:
            response = await client.post(REGISTER, json=registration("same@example.org"))
            assert response.status_code == 202
    async with at(app, "198.51.100.60") as client:
        refused = await client.post(REGISTER, json=registration("same@example.org"))
        assert refused.status_code == 429


async def test_register_page_with_a_taken_email_answers_neutrally(
    client: httpx.AsyncClient, users: UserFactory, settings: Settings
) -> None:
    await users.create(email="taken@example.org", name="Taken Person")
    token = await csrf(client)
    response = await client.post(
        "/register",
        data={"csrf_token": token, **registration("taken@example.org")},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 202
    assert "Check your inbox" in response.text
    assert "already exists" not in response.text
    [mail] = await outbox_files(settings, 1)
    assert "Dear Taken Person" in mail.read_text()


@pytest.fixture
def mailer_app_settings(database_url: str, tmp_path: Path) -> Settings:
    # Nothing listens on this port: every SMTP attempt fails.
    return app_settings(
        database_url, tmp_path / "var", smtp_host="127.0.0.1", smtp_port=free_port()
    )


@pytest.fixture
async def failing_app(mailer_app_settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(mailer_app_settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_mail_that_cannot_be_sent_is_logged(
    failing_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    await UserFactory(failing_app).create(email="unlucky@example.org")
    mailer: Mailer = failing_app.state.ctx.mailer
    mailer.retry_seconds = 0.01
    async with at(failing_app, "198.51.100.99") as client:
        with caplog.at_level(logging.WARNING, logger="conference.mail"):
            response = await client.post(RESET, json={"email": "unlucky@example.org"})
            assert response.status_code == 202  # answered before the mail is tried
            await mailer.flush()
    assert mailer.failed == 1
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "could not send 'Reset your Cytokines 2021 password' to unlucky@example.org" in (
        errors[0].getMessage()
    )
