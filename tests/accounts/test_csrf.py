from __future__ import annotations

import httpx
import pytest

from conference.accounts.models import Role
from tests.factories import PASSWORD, UserFactory, csrf, sign_in

LOGIN = {"email": "c@example.org", "password": PASSWORD}


async def test_json_post_without_token_is_403(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="c@example.org")
    response = await client.post("/api/v1/auth/login", json=LOGIN)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF token missing or invalid")


async def test_token_from_another_browser_is_403(
    client: httpx.AsyncClient, users: UserFactory, app
) -> None:
    await users.create(email="c@example.org")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        foreign_token = await csrf(other)
    await client.get("/api/v1/auth/csrf")  # this browser has its own CSRF cookie
    response = await client.post(
        "/api/v1/auth/login", json=LOGIN, headers={"X-CSRF-Token": foreign_token}
    )
    assert response.status_code == 403


async def test_signed_in_state_change_needs_token(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="c@example.org")
    await sign_in(client, "c@example.org")
    del client.headers["X-CSRF-Token"]
    response = await client.patch("/api/v1/me", json={"name": "Hijacked"})
    assert response.status_code == 403
    assert (await client.get("/api/v1/me")).json()["name"] == "Test Person"


@pytest.mark.parametrize("path", ["/signin", "/register", "/signout", "/password/forgot"])
async def test_form_post_without_token_is_403(client: httpx.AsyncClient, path: str) -> None:
    await client.get("/signin")  # the browser has a CSRF cookie, the form lacks the field
    response = await client.post(path, data={"email": "c@example.org"})
    assert response.status_code == 403


async def test_form_post_with_token_is_accepted(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(Role.attendee, email="c@example.org")
    token = await csrf(client)
    del client.headers["X-CSRF-Token"]
    response = await client.post("/signin", data={"csrf_token": token, **LOGIN})
    assert response.status_code == 303


async def test_csrf_cookie_is_httponly_and_lax(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/auth/csrf")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("cytokines_csrf=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    # Asking again keeps the same secret, so open tabs stay valid.
    again = await client.get("/api/v1/auth/csrf")
    assert "set-cookie" not in again.headers
    assert again.json()["csrf_token"] == response.json()["csrf_token"]


@pytest.mark.parametrize("token", ["\u00e9", "\u0661\u0662\u0663", "\uff10" * 64, "\u00b2"])
async def test_non_ascii_tokens_are_refused_not_errors(
    client: httpx.AsyncClient, users: UserFactory, token: str
) -> None:
    await users.create(Role.attendee, email="c@example.org")
    await csrf(client)
    del client.headers["X-CSRF-Token"]
    by_form = await client.post("/signin", data={"csrf_token": token, **LOGIN})
    assert by_form.status_code == 403
    latin1 = token.encode("latin-1", "ignore") or b"\xe9"
    by_header = await client.post(
        "/api/v1/auth/login", json=LOGIN, headers={b"X-CSRF-Token": latin1}
    )
    assert by_header.status_code == 403


@pytest.mark.parametrize(
    "authorization", ["Basic dXNlcjpwYXNz", "Bearer not-a-stream-key", "Digest x"]
)
async def test_authorization_header_does_not_skip_csrf(
    client: httpx.AsyncClient, users: UserFactory, authorization: str
) -> None:
    """Behind a Basic-auth proxy every request carries Authorization: login CSRF stays shut."""
    await users.create(Role.attendee, email="c@example.org")
    await client.get("/signin")  # a CSRF cookie, but the forged form has no token
    response = await client.post("/signin", data=LOGIN, headers={"Authorization": authorization})
    assert response.status_code == 403
    assert "cytokines_session" not in response.cookies
    api = await client.post(
        "/api/v1/auth/login", json=LOGIN, headers={"Authorization": authorization}
    )
    assert api.status_code == 403
