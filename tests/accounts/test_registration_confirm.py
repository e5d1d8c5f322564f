"""Registration by email confirmation: a new and a taken address are answered alike, no
account exists until the link is followed, the link works once, expires, and only the
newest registration's link works (no account pre-hijacking)."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, update

from conference.accounts.flows import REGISTRATION_MAILED
from conference.accounts.models import ConsentRecord, PendingRegistration, User
from conference.accounts.pending import EXPIRED_LINK, UNKNOWN_LINK, WRONG_PASSWORD
from conference.db.types import utcnow
from conference.settings import Settings
from tests.factories import UserFactory, csrf
from tests.mailbox import confirmation_tokens, outbox_files, register_and_confirm

REGISTER = "/api/v1/auth/register"
CONFIRM = "/api/v1/auth/register/confirm"
LOGIN = "/api/v1/auth/login"


PASSWORD = "a long enough password"


def registration(email: str, password: str = PASSWORD) -> dict[str, object]:
    return {
        "name": "Pat Newcomer",
        "email": email,
        "password": password,
        "time_zone": "Europe/Berlin",
        "consents": {"society_news": True, "attendee_directory": True},
    }


async def users_with(app: FastAPI, email: str) -> int:
    async with app.state.ctx.db.session() as db:
        query = select(func.count()).select_from(User).where(User.email == email)
        return await db.scalar(query) or 0


async def pending_rows(app: FastAPI) -> int:
    async with app.state.ctx.db.session() as db:
        return await db.scalar(select(func.count()).select_from(PendingRegistration)) or 0


async def test_new_and_taken_emails_are_answered_identically(
    client: httpx.AsyncClient, users: UserFactory, settings: Settings
) -> None:
    await users.create(email="taken@example.org", name="Taken Holder")
    await csrf(client)
    new = await client.post(REGISTER, json=registration("new@example.org"))
    taken = await client.post(REGISTER, json=registration("taken@example.org"))
    assert new.status_code == taken.status_code == 202
    assert new.content == taken.content
    assert new.json() == {"detail": REGISTRATION_MAILED}
    assert new.headers.get_list("set-cookie") == taken.headers.get_list("set-cookie") == []
    # The pages too: the same HTML, the same cookies.
    token = client.headers["X-CSRF-Token"]
    pages = [
        await client.post(
            "/register",
            data={"csrf_token": token, **registration(email)},
        )
        for email in ("other-new@example.org", "taken@example.org")
    ]
    assert pages[0].status_code == pages[1].status_code == 202
    assert pages[0].text == pages[1].text
    assert "Check your inbox" in pages[0].text
    cookie_names = [
        sorted(c.split("=", 1)[0] for c in page.headers.get_list("set-cookie")) for page in pages
    ]
    assert cookie_names[0] == cookie_names[1]
    assert "cytokines_session" not in cookie_names[0]
    # Development without SMTP: the page says where the mail went.
    assert str(settings.outbox_dir) in pages[0].text
    # Each address got its own mail: two links, two notices to the holder.
    mails = [path.read_bytes() for path in await outbox_files(settings, 4)]
    assert sum(b"Someone tried to register" in mail for mail in mails) == 2


async def test_no_account_exists_until_the_link_is_followed(
    client: httpx.AsyncClient, app: FastAPI, settings: Settings
) -> None:
    await csrf(client)
    assert (await client.post(REGISTER, json=registration("wait@example.org"))).status_code == 202
    [token] = await confirmation_tokens(settings.outbox_dir, "wait@example.org")
    assert await users_with(app, "wait@example.org") == 0
    signin = await client.post(
        LOGIN, json={"email": "wait@example.org", "password": "a long enough password"}
    )
    assert signin.status_code == 401
    # Showing the confirmation page (what a mail scanner does) creates nothing either.
    assert (await client.get(f"/register/confirm?token={token}")).status_code == 200
    assert (await client.get(f"/register/confirm?token={token}")).status_code == 200
    assert await users_with(app, "wait@example.org") == 0
    confirmed = await client.post(CONFIRM, json={"token": token, "password": PASSWORD})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["email"] == "wait@example.org"
    assert (await client.get("/api/v1/me")).json()["email"] == "wait@example.org"
    assert await users_with(app, "wait@example.org") == 1
    assert await pending_rows(app) == 0


async def test_the_link_works_once(
    client: httpx.AsyncClient, app: FastAPI, settings: Settings
) -> None:
    await csrf(client)
    first = await register_and_confirm(client, settings, registration("once@example.org"))
    assert first.status_code == 200
    [token] = await confirmation_tokens(settings.outbox_dir, "once@example.org")
    again = await client.post(CONFIRM, json={"token": token, "password": PASSWORD})
    assert again.status_code == 400
    assert again.json()["detail"] == UNKNOWN_LINK
    page = await client.get(f"/register/confirm?token={token}")
    assert page.status_code == 400
    assert "not valid or has already been used" in page.text
    posted = await client.post(
        "/register/confirm",
        data={"csrf_token": client.headers["X-CSRF-Token"], "token": token, "password": PASSWORD},
    )
    assert posted.status_code == 400
    assert await users_with(app, "once@example.org") == 1


async def test_unknown_token_is_refused(client: httpx.AsyncClient) -> None:
    await csrf(client)
    response = await client.post(CONFIRM, json={"token": "made-up", "password": PASSWORD})
    assert response.status_code == 400
    assert (await client.get("/register/confirm?token=made-up")).status_code == 400
    assert (await client.get("/register/confirm")).status_code == 400


async def test_an_expired_link_is_gone_and_purged(
    client: httpx.AsyncClient, app: FastAPI, settings: Settings
) -> None:
    await csrf(client)
    assert (await client.post(REGISTER, json=registration("late@example.org"))).status_code == 202
    [token] = await confirmation_tokens(settings.outbox_dir, "late@example.org")
    async with app.state.ctx.db.session() as db:
        await db.execute(
            update(PendingRegistration).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await db.commit()
    page = await client.get(f"/register/confirm?token={token}")
    assert page.status_code == 410
    assert "has expired" in page.text
    response = await client.post(CONFIRM, json={"token": token, "password": PASSWORD})
    assert response.status_code == 410
    assert response.json()["detail"] == EXPIRED_LINK
    assert await users_with(app, "late@example.org") == 0
    assert await pending_rows(app) == 0  # the refused confirmation dropped it


async def test_expired_registrations_are_purged_by_the_next_one(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await csrf(client)
    await client.post(REGISTER, json=registration("gone-a@example.org"))
    await client.post(REGISTER, json=registration("gone-b@example.org"))
    async with app.state.ctx.db.session() as db:
        await db.execute(
            update(PendingRegistration).values(expires_at=utcnow() - timedelta(minutes=1))
        )
        await db.commit()
    await client.post(REGISTER, json=registration("fresh@example.org"))
    async with app.state.ctx.db.session() as db:
        emails = (await db.scalars(select(PendingRegistration.email))).all()
    assert emails == ["fresh@example.org"]


async def test_latest_registration_wins_no_pre_hijacking(app: FastAPI, settings: Settings) -> None:
    """An attacker registers the victim's address with a password of their own; the victim
    registers later. The attacker's link (mailed to the victim) no longer works, the
    account gets the victim's password, and the attacker's password never signs in."""
    transport = httpx.ASGITransport(app=app, client=("198.51.100.66", 41000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as attacker:
        await csrf(attacker)
        response = await attacker.post(
            REGISTER, json=registration("victim@example.org", "the attacker's password")
        )
        assert response.status_code == 202
    first = await confirmation_tokens(settings.outbox_dir, "victim@example.org", 1)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.20", 41000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as victim:
        await csrf(victim)
        response = await victim.post(
            REGISTER, json=registration("victim@example.org", "the victim's own password")
        )
        assert response.status_code == 202
        both = await confirmation_tokens(settings.outbox_dir, "victim@example.org", 2)
        [newest] = both - first
        [older] = first
        stale = await victim.post(
            CONFIRM, json={"token": older, "password": "the attacker's password"}
        )
        assert stale.status_code == 400
        assert await users_with(app, "victim@example.org") == 0
        assert (
            await victim.post(
                CONFIRM, json={"token": newest, "password": "the victim's own password"}
            )
        ).status_code == 200
        victim.cookies.clear()
        await csrf(victim)
        wrong = await victim.post(
            LOGIN, json={"email": "victim@example.org", "password": "the attacker's password"}
        )
        assert wrong.status_code == 401
        right = await victim.post(
            LOGIN, json={"email": "victim@example.org", "password": "the victim's own password"}
        )
        assert right.status_code == 200


async def test_consents_are_recorded_at_confirmation(
    client: httpx.AsyncClient, app: FastAPI, settings: Settings
) -> None:
    await csrf(client)
    payload = {**registration("consent@example.org"), "is_healthcare_professional": True}
    assert (await client.post(REGISTER, json=payload)).status_code == 202
    [token] = await confirmation_tokens(settings.outbox_dir, "consent@example.org")
    async with app.state.ctx.db.session() as db:
        registered_at = await db.scalar(select(PendingRegistration.created_at))
    assert registered_at is not None
    confirmed = await client.post(CONFIRM, json={"token": token, "password": PASSWORD})
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert body["consents"] == {
        "society_news": True,
        "attendee_directory": True,
        "session_recording_notice": False,
    }
    assert body["is_healthcare_professional"] is True
    async with app.state.ctx.db.session() as db:
        user = await db.get(User, body["id"])
        records = (await db.scalars(select(ConsentRecord).order_by(ConsentRecord.kind))).all()
    assert user is not None
    assert user.hcp_declared_at is not None
    assert [(r.kind, r.granted) for r in records] == [
        ("attendee_directory", True),
        ("society_news", True),
    ]
    # Recorded when the person confirmed, not when the form was sent.
    assert all(r.recorded_at == user.created_at for r in records)
    assert all(r.recorded_at > registered_at for r in records)
    assert user.hcp_declared_at == user.created_at


async def test_confirm_needs_csrf(client: httpx.AsyncClient, settings: Settings) -> None:
    await csrf(client)
    await client.post(REGISTER, json=registration("csrf@example.org"))
    [token] = await confirmation_tokens(settings.outbox_dir, "csrf@example.org")
    client.headers.pop("X-CSRF-Token")
    refused = await client.post("/register/confirm", data={"token": token, "password": PASSWORD})
    assert refused.status_code == 403


async def test_confirming_needs_the_password_chosen_when_registering(
    client: httpx.AsyncClient, app: FastAPI, settings: Settings
) -> None:
    """Someone who registers another person's address cannot have that person confirm an
    account whose password the registrant knows: the confirmer must know it."""
    await csrf(client)
    await client.post(REGISTER, json=registration("victim@example.org", "registrant-knows-this"))
    [token] = await confirmation_tokens(settings.outbox_dir, "victim@example.org")
    wrong = await client.post(CONFIRM, json={"token": token, "password": "a-guess-of-my-own"})
    assert wrong.status_code == 400
    assert wrong.json()["detail"] == WRONG_PASSWORD
    page = await client.post(
        "/register/confirm",
        data={
            "csrf_token": client.headers["X-CSRF-Token"],
            "token": token,
            "password": "a-guess-of-my-own",
        },
    )
    assert page.status_code == 400
    assert WRONG_PASSWORD in page.text
    assert 'name="password"' in page.text
    assert await users_with(app, "victim@example.org") == 0
    # Nothing was used up: the registrant's own password still confirms.
    right = await client.post(CONFIRM, json={"token": token, "password": "registrant-knows-this"})
    assert right.status_code == 200
    assert await users_with(app, "victim@example.org") == 1
