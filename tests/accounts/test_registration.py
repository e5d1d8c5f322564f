from __future__ import annotations

import httpx
from sqlalchemy import func, select

from conference.accounts.flows import REGISTRATION_MAILED
from conference.accounts.models import ConsentRecord, User
from conference.context import AppContext
from conference.settings import Settings
from tests.factories import csrf
from tests.mailbox import confirmation_tokens, outbox_files, read_mail, register_and_confirm

NEW = {
    "name": "Grace Investigator",
    "email": "Grace@Example.org",
    "password": "a long enough password",
    "affiliation": "Cardiff University",
    "country": "gb",
    "time_zone": "Asia/Tokyo",
    "is_healthcare_professional": True,
    "consents": {"society_news": True, "attendee_directory": False},
}


async def count_users(ctx: AppContext) -> int:
    async with ctx.db.session() as db:
        return await db.scalar(select(func.count()).select_from(User)) or 0


async def test_confirming_creates_attendee_and_signs_in(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await csrf(client)
    response = await register_and_confirm(client, settings, NEW)
    assert response.status_code == 200, response.text
    assert "cytokines_session" in response.cookies
    body = response.json()
    assert body["email"] == "grace@example.org"
    assert body["country"] == "GB"
    assert body["time_zone"] == "Asia/Tokyo"
    assert body["roles"] == ["attendee"]
    assert body["is_healthcare_professional"] is True
    assert body["consents"] == {
        "society_news": True,
        "attendee_directory": False,
        "session_recording_notice": False,
    }
    me = await client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["id"] == body["id"]


async def test_consents_and_declaration_are_recorded_with_time(
    client: httpx.AsyncClient, app, settings: Settings
) -> None:
    await csrf(client)
    user_id = (await register_and_confirm(client, settings, NEW)).json()["id"]
    async with app.state.ctx.db.session() as db:
        user = await db.get(User, user_id)
        records = (await db.scalars(select(ConsentRecord).order_by(ConsentRecord.kind))).all()
    assert user is not None
    assert user.hcp_declared_at is not None
    assert [(r.kind, r.granted) for r in records] == [
        ("attendee_directory", False),
        ("society_news", True),
    ]
    assert all(r.recorded_at.tzinfo is not None for r in records)


async def test_duplicate_email_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, app, settings: Settings
) -> None:
    await csrf(client)
    assert (await register_and_confirm(client, settings, NEW)).status_code == 200
    client.cookies.clear()
    await csrf(client)
    again = {**NEW, "email": "grace@EXAMPLE.org", "name": "Someone Else"}
    response = await client.post("/api/v1/auth/register", json=again)
    # Until issue 9 this was a 409 saying "An account with this email address already
    # exists." (it told anyone who had an account); now the answer is neutral and the
    # holder is told by email.
    assert response.status_code == 202
    assert response.json() == {"detail": REGISTRATION_MAILED}
    assert "cytokines_session" not in response.cookies
    assert await count_users(app.state.ctx) == 1
    mails = [read_mail(path) for path in await outbox_files(settings, 2)]
    [notice] = [mail for mail in mails if mail["Subject"] == "Your Cytokines 2021 account"]
    text = notice.get_content()
    assert notice["To"] == "grace@example.org"
    assert "Dear Grace Investigator" in text
    assert "http://testserver/password/forgot" in text


async def test_bad_time_zone_is_422_and_creates_nothing(client: httpx.AsyncClient, app) -> None:
    await csrf(client)
    response = await client.post("/api/v1/auth/register", json={**NEW, "time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "time_zone"]
    assert "unknown time zone 'Mars/Olympus'" in error["msg"]
    assert await count_users(app.state.ctx) == 0


async def test_bad_inputs_are_422(client: httpx.AsyncClient, app) -> None:
    await csrf(client)
    cases = {
        "email": {**NEW, "email": "not-an-email"},
        "password": {**NEW, "password": "short"},
        "country": {**NEW, "country": "XX"},
        "name": {**NEW, "name": "   "},
    }
    for field, payload in cases.items():
        response = await client.post("/api/v1/auth/register", json=payload)
        assert response.status_code == 422, field
        assert response.json()["detail"][0]["loc"] == ["body", field]
    unknown_field = await client.post("/api/v1/auth/register", json={**NEW, "is_admin": True})
    assert unknown_field.status_code == 422
    not_json = await client.post(
        "/api/v1/auth/register", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 422
    assert await count_users(app.state.ctx) == 0


async def test_register_page_form_signs_in_once_confirmed(
    client: httpx.AsyncClient, demo_meeting: None, settings: Settings
) -> None:
    page = await client.get("/register?next=/program")
    assert page.status_code == 200
    token = client.headers.get("X-CSRF-Token") or await csrf(client)
    client.headers.pop("X-CSRF-Token")
    form = {
        "csrf_token": token,
        "name": "Form Person",
        "email": "form@example.org",
        "password": "a long enough password",
        "affiliation": "",
        "country": "JP",
        "time_zone": "Asia/Tokyo",
        "consent_society_news": "on",
    }
    response = await client.post("/register", data={**form, "next": "/program"})
    assert response.status_code == 202
    assert "Check your inbox" in response.text
    assert "cytokines_session" not in response.cookies
    [link_token] = await confirmation_tokens(settings.outbox_dir, "form@example.org")
    confirm_page = await client.get(f"/register/confirm?token={link_token}")
    assert confirm_page.status_code == 200
    assert "Form Person" in confirm_page.text
    assert "cytokines_session" not in confirm_page.cookies  # showing it creates nothing
    response = await client.post(
        "/register/confirm",
        data={"csrf_token": token, "token": link_token, "password": "a long enough password"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/program"  # where they were going
    home = await client.get("/", headers={"Accept": "text/html"})
    assert "Times are shown in <strong>Asia/Tokyo</strong>" in home.text
    assert "Sun 17 Oct 2021, 21:00 JST" in home.text


async def test_register_page_shows_field_errors(client: httpx.AsyncClient, app) -> None:
    token = await csrf(client)
    client.headers.pop("X-CSRF-Token")
    form = {
        "csrf_token": token,
        "name": "X",
        "email": "x@example.org",
        "password": "short",
        "time_zone": "Nowhere/City",
    }
    response = await client.post("/register", data=form)
    assert response.status_code == 422
    assert 'id="password-error"' in response.text
    assert 'id="time_zone-error"' in response.text
    assert "Unknown time zone &#39;Nowhere/City&#39;" in response.text
    assert await count_users(app.state.ctx) == 0
