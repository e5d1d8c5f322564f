"""Factory fixtures (in Indico's manner): make the objects a test needs in one call."""

from __future__ import annotations

import itertools

import httpx
from fastapi import FastAPI

from conference.accounts import service
from conference.accounts.models import Role, User
from conference.context import AppContext

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


class UserFactory:
    def __init__(self, app: FastAPI) -> None:
        self.ctx: AppContext = app.state.ctx

    async def create(
        self,
        *roles: Role,
        email: str | None = None,
        name: str = "Test Person",
        password: str = PASSWORD,
        time_zone: str = "Europe/London",
    ) -> User:
        email = email or f"person{next(_counter)}@example.org"
        async with self.ctx.db.session() as db:
            user, _ = await service.ensure_user(
                db,
                email=email,
                name=name,
                password=password,
                roles=roles or (Role.attendee,),
                passwords=self.ctx.passwords,
                time_zone=time_zone,
            )
            return user


async def csrf(client: httpx.AsyncClient) -> str:
    """Fetch a CSRF token and make the client send it on every request from now on."""
    token = (await client.get("/api/v1/auth/csrf")).json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return str(token)


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    await csrf(client)
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response
