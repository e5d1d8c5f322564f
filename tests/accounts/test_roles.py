from __future__ import annotations

import httpx
import pytest

from conference.accounts.models import Role
from tests.factories import UserFactory, csrf, sign_in


async def test_anonymous_is_401_on_user_admin(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/users")).status_code == 401


@pytest.mark.parametrize("role", [Role.attendee, Role.speaker, Role.exhibitor])
async def test_non_organizers_cannot_list_users(
    client: httpx.AsyncClient, users: UserFactory, role: Role
) -> None:
    await users.create(role, email="someone@example.org")
    await sign_in(client, "someone@example.org")
    response = await client.get("/api/v1/users")
    assert response.status_code == 403
    assert response.json() == {"detail": "This needs the organizer role.", "code": "forbidden"}


async def test_organizer_lists_users_but_cannot_change_roles(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(Role.organizer, email="org@example.org")
    target = await users.create(Role.attendee, email="att@example.org")
    await sign_in(client, "org@example.org")
    listing = await client.get("/api/v1/users", params={"limit": 10})
    assert listing.status_code == 200
    assert listing.json()["total"] == 2
    assert [u["email"] for u in listing.json()["items"]] == ["org@example.org", "att@example.org"]
    response = await client.put(f"/api/v1/users/{target.id}/roles", json={"roles": ["admin"]})
    assert response.status_code == 403
    assert response.json() == {"detail": "This needs the admin role.", "code": "forbidden"}


async def test_admin_sets_roles(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(Role.admin, email="admin@example.org")
    target = await users.create(Role.attendee, email="sp@example.org")
    await sign_in(client, "admin@example.org")
    response = await client.put(
        f"/api/v1/users/{target.id}/roles", json={"roles": ["speaker", "attendee", "speaker"]}
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["attendee", "speaker"]
    missing = await client.put("/api/v1/users/999999/roles", json={"roles": ["speaker"]})
    assert missing.status_code == 404
    bad = await client.put(f"/api/v1/users/{target.id}/roles", json={"roles": ["emperor"]})
    assert bad.status_code == 422
    empty = await client.put(f"/api/v1/users/{target.id}/roles", json={"roles": []})
    assert empty.status_code == 422


async def test_paging_limits_are_enforced(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(Role.organizer, email="org@example.org")
    await sign_in(client, "org@example.org")
    assert (await client.get("/api/v1/users", params={"limit": 1000})).status_code == 422
    assert (await client.get("/api/v1/users", params={"offset": -1})).status_code == 422


async def test_a_user_holds_several_roles(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(Role.speaker, Role.exhibitor, email="multi@example.org")
    await sign_in(client, "multi@example.org")
    assert (await client.get("/api/v1/me")).json()["roles"] == ["exhibitor", "speaker"]
    await csrf(client)
