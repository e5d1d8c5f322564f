from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from conference.accounts.models import Role, UserSession
from conference.web.csrf import SESSION_COOKIE
from tests.factories import PASSWORD, UserFactory, csrf, sign_in


async def test_login_sets_secure_cookie_and_me_answers(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(Role.attendee, email="ana@example.org", name="Ana")
    await csrf(client)
    response = await client.post(
        "/api/v1/auth/login", json={"email": " ANA@example.org ", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Ana"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # development; production adds it (tested below)
    me = await client.get("/api/v1/me")
    assert me.json()["email"] == "ana@example.org"


async def test_me_without_session_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Please sign in.", "code": "unauthenticated"}


async def test_tampered_cookie_is_ignored(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(email="tam@example.org")
    await sign_in(client, "tam@example.org")
    value = client.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_wrong_password_and_unknown_email_look_the_same(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="real@example.org")
    await csrf(client)
    wrong = await client.post(
        "/api/v1/auth/login", json={"email": "real@example.org", "password": "nope nope nope"}
    )
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": "ghost@example.org", "password": "nope nope nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {"detail": "The email address or password is not correct.", "code": "unauthenticated"}
    )


async def test_logout_ends_the_session_server_side(
    client: httpx.AsyncClient, users: UserFactory, app
) -> None:
    await users.create(email="out@example.org")
    await sign_in(client, "out@example.org")
    stolen = client.cookies[SESSION_COOKIE]
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    assert (await client.get("/api/v1/me")).status_code == 401
    # The old cookie replayed after sign-out grants nothing.
    client.cookies.set(SESSION_COOKIE, stolen)
    assert (await client.get("/api/v1/me")).status_code == 401
    async with app.state.ctx.db.session() as db:
        assert await db.scalar(select(func.count()).select_from(UserSession)) == 0


async def test_sign_in_replaces_an_existing_session(
    client: httpx.AsyncClient, users: UserFactory, app
) -> None:
    await users.create(email="twice@example.org")
    await sign_in(client, "twice@example.org")
    first = client.cookies[SESSION_COOKIE]
    await sign_in(client, "twice@example.org")
    assert client.cookies[SESSION_COOKIE] != first
    async with app.state.ctx.db.session() as db:
        assert await db.scalar(select(func.count()).select_from(UserSession)) == 1


async def test_five_failures_for_an_account_then_429(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="locked@example.org")
    await csrf(client)
    bad = {"email": "locked@example.org", "password": "wrong password!"}
    for _ in range(5):
        assert (await client.post("/api/v1/auth/login", json=bad)).status_code == 401
    # Even the right password is refused while throttled.
    good = {"email": "locked@example.org", "password": PASSWORD}
    response = await client.post("/api/v1/auth/login", json=good)
    assert response.status_code == 429
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= 15 * 60
    assert response.json()["detail"].startswith("Too many failed sign-ins")


async def test_failures_on_other_accounts_do_not_stop_a_shared_address(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    # Until issue 9 this asserted a 429: five failures for any accounts locked the whole
    # address (a venue network) out. The per-address limit is now much higher
    # (tests/accounts/test_sign_in_throttle.py); the victim signs in.
    await users.create(email="victim@example.org")
    await csrf(client)
    for n in range(5):
        body = {"email": f"guess{n}@example.org", "password": "wrong password!"}
        assert (await client.post("/api/v1/auth/login", json=body)).status_code == 401
    body = {"email": "victim@example.org", "password": PASSWORD}
    assert (await client.post("/api/v1/auth/login", json=body)).status_code == 200


async def test_throttle_does_not_block_other_addresses(
    client: httpx.AsyncClient, users: UserFactory, app
) -> None:
    await users.create(email="shared@example.org")
    await csrf(client)
    for n in range(5):
        body = {"email": f"other{n}@example.org", "password": "wrong password!"}
        await client.post("/api/v1/auth/login", json=body)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        await sign_in(other, "shared@example.org")


async def test_success_clears_account_failures(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="forgetful@example.org")
    await csrf(client)
    bad = {"email": "forgetful@example.org", "password": "wrong password!"}
    for _ in range(4):
        await client.post("/api/v1/auth/login", json=bad)
    await sign_in(client, "forgetful@example.org")
    for _ in range(4):
        assert (await client.post("/api/v1/auth/login", json=bad)).status_code == 401


async def test_sign_in_page_flow_and_safe_next(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="page@example.org", name="Page Person")
    token = await csrf(client)
    client.headers.pop("X-CSRF-Token")
    form = {
        "csrf_token": token,
        "email": "page@example.org",
        "password": PASSWORD,
        "next": "https://evil.example/",
    }
    response = await client.post("/signin", data=form)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = await client.get("/", headers={"Accept": "text/html"})
    assert "Page Person" in home.text


async def test_sign_in_page_error_and_throttle(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="pager@example.org")
    token = await csrf(client)
    client.headers.pop("X-CSRF-Token")
    form = {"csrf_token": token, "email": "pager@example.org", "password": "wrong password!"}
    for _ in range(5):
        response = await client.post("/signin", data=form)
        assert response.status_code == 401
        assert "The email address or password is not correct." in response.text
    response = await client.post("/signin", data=form)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Too many failed sign-ins" in response.text


@pytest.mark.parametrize("path", ["/account", "/account/export"])
async def test_account_pages_redirect_to_sign_in(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/account"


async def test_production_cookies_are_secure(settings) -> None:
    from conference.main import create_app
    from conference.settings import Environment

    production = settings.model_copy(
        update={"env": Environment.production, "base_url": "https://cytokines.example.org"}
    )
    app = create_app(production)
    async with app.router.lifespan_context(app):
        await UserFactory(app).create(email="prod@example.org")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
            csrf_response = await client.get("/api/v1/auth/csrf")
            assert "Secure" in csrf_response.headers["set-cookie"]
            assert csrf_response.headers["strict-transport-security"] == "max-age=31536000"
            client.headers["X-CSRF-Token"] = csrf_response.json()["csrf_token"]
            login = await client.post(
                "/api/v1/auth/login", json={"email": "prod@example.org", "password": PASSWORD}
            )
            assert login.status_code == 200
            cookie = login.headers["set-cookie"]
            assert cookie.startswith(f"{SESSION_COOKIE}=")
            assert "Secure" in cookie
            assert "HttpOnly" in cookie


async def test_sign_in_outcomes_are_counted(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(email="counted@example.org")
    await csrf(client)
    await client.post(
        "/api/v1/auth/login", json={"email": "counted@example.org", "password": "wrong one!"}
    )
    await sign_in(client, "counted@example.org")
    text = (await client.get("/metrics")).text
    assert 'conference_sign_ins_total{outcome="failed"} 1.0' in text
    assert 'conference_sign_ins_total{outcome="ok"} 1.0' in text
