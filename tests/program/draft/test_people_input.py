"""People and account lists refuse out-of-range input with a 422, never a database error."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import UserFactory
from tests.program.factories import API, organizer_client

pytestmark = pytest.mark.usefixtures("demo_meeting")


@pytest.mark.parametrize("path", ["/api/v1/users", f"{API}/people"])
async def test_offsets_past_the_integer_range_are_refused(
    client: httpx.AsyncClient, users: UserFactory, path: str
) -> None:
    await organizer_client(client, users)
    for offset in (2**63, 2**64, 2**31):
        response = await client.get(path, params={"offset": offset})
        assert response.status_code == 422, (offset, response.text)
        assert response.json()["detail"][0]["loc"] == ["query", "offset"]
    far = await client.get(path, params={"offset": 2**31 - 1})
    assert far.status_code == 200
    assert far.json() == [] if path.endswith("people") else far.json()["items"] == []


async def test_a_person_linked_to_no_account_is_refused(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await organizer_client(client, users)
    created = await client.post(f"{API}/people", json={"name": "Nobody", "user_id": 999_999})
    assert created.status_code == 422, created.text
    assert created.json()["field"] == "user_id"
    person = await client.post(f"{API}/people", json={"name": "Somebody"})
    assert person.status_code == 201
    changed = await client.patch(f"{API}/people/{person.json()['id']}", json={"user_id": 999_999})
    assert changed.status_code == 422
    assert changed.json()["field"] == "user_id"
    assert (await client.get(f"{API}/people")).json()[0]["user_id"] is None
