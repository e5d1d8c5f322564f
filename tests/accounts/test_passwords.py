from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from itsdangerous import TimestampSigner

from conference.main import create_app
from conference.settings import Settings
from tests.factories import PASSWORD, UserFactory, csrf, sign_in
from tests.mailbox import Mailbox, outbox_files, smtp_server

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def mailbox_port() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
async def smtp_app(settings: Settings, mailbox_port: tuple[Mailbox, int]) -> AsyncIterator[FastAPI]:
    _, port = mailbox_port
    app = create_app(
        settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False}
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def smtp_client(smtp_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=smtp_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def reset_token(mailbox: Mailbox) -> str:
    [message] = mailbox.messages
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    match = re.search(r"http://testserver/password/reset\?token=(\S+)", body.decode())
    assert match, body
    return match.group(1)


async def test_change_password_signs_out_other_browsers(
    client: httpx.AsyncClient, users: UserFactory, app: FastAPI
) -> None:
    await users.create(email="ch@example.org")
    await sign_in(client, "ch@example.org")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as laptop:
        await sign_in(laptop, "ch@example.org")
        response = await client.post(
            "/api/v1/me/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        )
        assert response.status_code == 204
        assert (await laptop.get("/api/v1/me")).status_code == 401
    assert (await client.get("/api/v1/me")).status_code == 200
    client.cookies.clear()
    await sign_in(client, "ch@example.org", NEW_PASSWORD)


async def test_change_password_refusals(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(email="ch@example.org")
    await sign_in(client, "ch@example.org")
    wrong = await client.post(
        "/api/v1/me/password",
        json={"current_password": "not my password", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    assert wrong.json() == {
        "detail": "The current password is not correct.",
        "code": "invalidinput",
        "field": "current_password",
    }
    short = await client.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert short.status_code == 422
    client.cookies.clear()
    await sign_in(client, "ch@example.org", PASSWORD)  # unchanged


async def test_reset_by_emailed_link(
    smtp_client: httpx.AsyncClient, smtp_app: FastAPI, mailbox_port: tuple[Mailbox, int]
) -> None:
    mailbox, _ = mailbox_port
    await UserFactory(smtp_app).create(email="lost@example.org", name="Lost Person")
    await csrf(smtp_client)
    response = await smtp_client.post(
        "/api/v1/auth/password-reset", json={"email": "LOST@example.org"}
    )
    assert response.status_code == 202
    await smtp_app.state.ctx.mailer.flush()  # mail goes out after the answer
    [message] = mailbox.messages
    assert message["To"] == "lost@example.org"
    assert message["Subject"] == "Reset your Cytokines 2021 password"
    token = reset_token(mailbox)

    done = await smtp_client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 200
    await sign_in(smtp_client, "lost@example.org", NEW_PASSWORD)

    # The link works once: the password it was issued for is gone.
    again = await smtp_client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token, "new_password": "yet another one"},
    )
    assert again.status_code == 422
    assert again.json()["detail"] == "This password reset link is invalid or has expired."


async def test_reset_for_unknown_email_sends_nothing_and_looks_the_same(
    smtp_client: httpx.AsyncClient, smtp_app: FastAPI, mailbox_port: tuple[Mailbox, int]
) -> None:
    mailbox, _ = mailbox_port
    await csrf(smtp_client)
    response = await smtp_client.post(
        "/api/v1/auth/password-reset", json={"email": "nobody@example.org"}
    )
    assert response.status_code == 202
    assert response.json() == {
        "detail": "If an account exists for that address, a reset link is on its way."
    }
    await smtp_app.state.ctx.mailer.flush()
    assert mailbox.messages == []


@pytest.mark.parametrize("token", ["garbage", "a" * 512])
async def test_reset_with_bad_token_is_422(client: httpx.AsyncClient, token: str) -> None:
    await csrf(client)
    response = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 422


async def test_expired_reset_link_is_refused(
    client: httpx.AsyncClient, users: UserFactory, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await users.create(email="slow@example.org")
    # Issue the link 61 minutes in the past: itsdangerous documents get_timestamp as the
    # hook for the signing time.
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda _self: int(time.time()) - 61 * 60)
        stale = app.state.ctx.tokens.password_reset(user.id, user.password_hash)
    await csrf(client)
    response = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": stale, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 422
    fresh = app.state.ctx.tokens.password_reset(user.id, user.password_hash)
    response = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": fresh, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200


async def test_without_smtp_mail_goes_to_the_outbox(
    client: httpx.AsyncClient, users: UserFactory, settings: Settings
) -> None:
    await users.create(email="dev@example.org")
    await csrf(client)
    await client.post("/api/v1/auth/password-reset", json={"email": "dev@example.org"})
    [eml] = await outbox_files(settings, 1)
    text = eml.read_text()
    assert "To: dev@example.org" in text
    assert "http://testserver/password/reset?token=" in text


async def test_reset_page_flow(
    smtp_client: httpx.AsyncClient, smtp_app: FastAPI, mailbox_port: tuple[Mailbox, int]
) -> None:
    mailbox, _ = mailbox_port
    await UserFactory(smtp_app).create(email="form@example.org")
    token = await csrf(smtp_client)
    del smtp_client.headers["X-CSRF-Token"]
    sent = await smtp_client.post(
        "/password/forgot", data={"csrf_token": token, "email": "form@example.org"}
    )
    assert sent.status_code == 200
    assert "a reset link is on its way" in sent.text
    await smtp_app.state.ctx.mailer.flush()
    link_token = reset_token(mailbox)
    page = await smtp_client.get("/password/reset", params={"token": link_token})
    assert page.status_code == 200
    done = await smtp_client.post(
        "/password/reset",
        data={"csrf_token": token, "token": link_token, "new_password": NEW_PASSWORD},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/signin?reset=1"
    await sign_in(smtp_client, "form@example.org", NEW_PASSWORD)
