from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from conference.accounts.models import ConsentRecord, User, UserRole, UserSession
from tests.factories import PASSWORD, UserFactory, csrf, sign_in


async def test_update_profile_and_zone(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(email="p@example.org")
    await sign_in(client, "p@example.org")
    response = await client.patch(
        "/api/v1/me",
        json={"name": "New Name", "time_zone": "America/Chicago", "country": "us"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["time_zone"], body["country"]) == (
        "New Name",
        "America/Chicago",
        "US",
    )


async def test_bad_zone_on_update_is_422_and_unchanged(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="p@example.org", time_zone="Europe/Paris")
    await sign_in(client, "p@example.org")
    response = await client.patch("/api/v1/me", json={"time_zone": "Europe/Atlantis"})
    assert response.status_code == 422
    assert (await client.get("/api/v1/me")).json()["time_zone"] == "Europe/Paris"


async def test_consent_changes_are_kept_as_history(
    client: httpx.AsyncClient, users: UserFactory, app: FastAPI
) -> None:
    user = await users.create(email="p@example.org")
    await sign_in(client, "p@example.org")
    for granted in (True, True, False):
        await client.patch("/api/v1/me", json={"consents": {"society_news": granted}})
    me = (await client.get("/api/v1/me")).json()
    assert me["consents"]["society_news"] is False
    async with app.state.ctx.db.session() as db:
        history = (
            await db.scalars(
                select(ConsentRecord.granted)
                .where(ConsentRecord.user_id == user.id)
                .order_by(ConsentRecord.id)
            )
        ).all()
    assert history == [True, False]  # the repeated "yes" changed nothing, so is not recorded


async def test_export_my_data(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(email="p@example.org", name="Exporter")
    await sign_in(client, "p@example.org")
    await client.patch("/api/v1/me", json={"consents": {"attendee_directory": True}})
    response = await client.get("/api/v1/me/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    data = response.json()
    assert data["profile"]["name"] == "Exporter"
    assert [c["kind"] for c in data["consent_history"]] == ["attendee_directory"]
    assert len(data["signed_in_sessions"]) == 1
    assert "password_hash" not in response.text


async def test_delete_account_needs_password_and_removes_everything(
    client: httpx.AsyncClient, users: UserFactory, app: FastAPI
) -> None:
    user = await users.create(email="gone@example.org")
    await sign_in(client, "gone@example.org")
    await client.patch("/api/v1/me", json={"consents": {"society_news": True}})
    wrong = await client.request("DELETE", "/api/v1/me", json={"password": "not it at all"})
    assert wrong.status_code == 422
    assert (await client.get("/api/v1/me")).status_code == 200

    response = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert response.status_code == 204
    assert (await client.get("/api/v1/me")).status_code == 401
    async with app.state.ctx.db.session() as db:
        for model in (User, UserRole, UserSession, ConsentRecord):
            assert await db.scalar(select(func.count()).select_from(model)) == 0, model
        assert await db.get(User, user.id) is None
    await csrf(client)
    again = await client.post(
        "/api/v1/auth/login", json={"email": "gone@example.org", "password": PASSWORD}
    )
    assert again.status_code == 401


async def test_account_page_shows_and_saves_profile(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="page@example.org", name="Page User", time_zone="Asia/Tokyo")
    token = (await sign_in(client, "page@example.org")) and client.headers["X-CSRF-Token"]
    page = await client.get("/account")
    assert page.status_code == 200
    assert "page@example.org" in page.text
    assert '<option value="Asia/Tokyo" selected>' in page.text
    form = {
        "csrf_token": token,
        "name": "Renamed",
        "affiliation": "Somewhere",
        "country": "FR",
        "time_zone": "Europe/Paris",
    }
    del client.headers["X-CSRF-Token"]
    saved = await client.post("/account/profile", data=form)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/account?saved=profile"
    me = (await client.get("/api/v1/me")).json()
    assert (me["name"], me["time_zone"], me["country"]) == ("Renamed", "Europe/Paris", "FR")
    bad = await client.post("/account/profile", data={**form, "time_zone": "Moon/Base"})
    assert bad.status_code == 422
    assert 'aria-invalid="true" aria-describedby="time_zone-error"' in bad.text


async def test_account_page_delete(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(email="bye@example.org")
    await sign_in(client, "bye@example.org")
    token = client.headers.pop("X-CSRF-Token")
    wrong = await client.post("/account/delete", data={"csrf_token": token, "password": "nope"})
    assert wrong.status_code == 422
    assert "The password is not correct." in wrong.text
    done = await client.post("/account/delete", data={"csrf_token": token, "password": PASSWORD})
    assert done.status_code == 303
    assert done.headers["location"] == "/?deleted=1"
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_export_includes_the_agenda(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(email="agenda@example.org")
    await sign_in(client, "agenda@example.org")
    data = (await client.get("/api/v1/me/export")).json()
    assert data["agenda"]["starred_sessions"] == []
