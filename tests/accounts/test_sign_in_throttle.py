"""Sign-in throttling: per account+address with doubling delays, per address with a much
higher limit; nobody can lock an account out from elsewhere, and nothing is enumerable."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.accounts.models import SignInFailure
from conference.accounts.signin import SignInLimits, pair_delay
from conference.settings import Settings
from tests.app_settings import app_settings
from tests.factories import PASSWORD, UserFactory, csrf

PER_ADDRESS = 12
WRONG = "wrong password!"
LOGIN = "/api/v1/auth/login"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return app_settings(
        database_url, tmp_path / "var", sign_in_max_failures_per_address=PER_ADDRESS
    )


def client_at(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def fail(client: httpx.AsyncClient, email: str, times: int) -> None:
    for _ in range(times):
        response = await client.post(LOGIN, json={"email": email, "password": WRONG})
        assert response.status_code == 401, response.text


async def age_failures(app: FastAPI, seconds: float) -> None:
    """Move every recorded failure ``seconds`` into the past (time passing, no sleeping)."""
    async with app.state.ctx.db.session() as db:
        for failure in await db.scalars(select(SignInFailure)):
            failure.failed_at = failure.failed_at - timedelta(seconds=seconds)
        await db.commit()


async def test_right_password_from_another_address_gets_in(
    client: httpx.AsyncClient, users: UserFactory, app: FastAPI
) -> None:
    await users.create(email="target@example.org")
    await csrf(client)
    await fail(client, "target@example.org", 5)  # the attacker's address is slowed down
    refused = await client.post(LOGIN, json={"email": "target@example.org", "password": WRONG})
    assert refused.status_code == 429
    async with client_at(app, "198.51.100.20") as owner:
        await csrf(owner)
        response = await owner.post(
            LOGIN, json={"email": "target@example.org", "password": PASSWORD}
        )
        assert response.status_code == 200


async def test_delays_double_per_failure_and_end(
    client: httpx.AsyncClient, users: UserFactory, app: FastAPI
) -> None:
    await users.create(email="slow@example.org")
    await csrf(client)
    bad = {"email": "slow@example.org", "password": WRONG}
    await fail(client, "slow@example.org", 5)
    waits = []
    for _ in range(3):
        throttled = await client.post(LOGIN, json=bad)
        assert throttled.status_code == 429
        waits.append(int(throttled.headers["retry-after"]))
        await age_failures(app, waits[-1])  # the wait is over: one more try is allowed
        assert (await client.post(LOGIN, json=bad)).status_code == 401
    # 30 s, then 60 s, then 120 s (less the moments the requests took).
    assert [pair_delay(n, _limits(app)).total_seconds() for n in (5, 6, 7)] == [30, 60, 120]
    assert 25 <= waits[0] <= 30
    assert 55 <= waits[1] <= 60
    assert 115 <= waits[2] <= 120
    # After the wait, the right password gets in (a delay, not a lock).
    throttled = await client.post(LOGIN, json={"email": "slow@example.org", "password": PASSWORD})
    assert throttled.status_code == 429
    await age_failures(app, int(throttled.headers["retry-after"]))
    good = await client.post(LOGIN, json={"email": "slow@example.org", "password": PASSWORD})
    assert good.status_code == 200


def _limits(app: FastAPI) -> SignInLimits:
    from conference.accounts.cookies import sign_in_limits

    return sign_in_limits(app.state.ctx)


def test_delay_is_capped() -> None:
    limits = SignInLimits(
        free_failures=5,
        address_failures=100,
        delay=timedelta(seconds=30),
        max_delay=timedelta(seconds=900),
        window=timedelta(minutes=15),
    )
    assert pair_delay(4, limits) == timedelta(0)
    assert pair_delay(9, limits) == timedelta(seconds=480)
    assert pair_delay(10, limits) == timedelta(seconds=900)
    assert pair_delay(10_000, limits) == timedelta(seconds=900)


async def test_per_address_limit_is_higher_and_only_for_that_address(
    client: httpx.AsyncClient, users: UserFactory, app: FastAPI
) -> None:
    await users.create(email="venue@example.org")
    await csrf(client)
    for n in range(PER_ADDRESS - 1):
        await fail(client, f"guess{n}@example.org", 1)
    # Eleven failures on eleven accounts: a colleague on the same network still gets in.
    ok = await client.post(LOGIN, json={"email": "venue@example.org", "password": PASSWORD})
    assert ok.status_code == 200
    await fail(client, "guess-last@example.org", 1)
    blocked = await client.post(LOGIN, json={"email": "venue@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60
    async with client_at(app, "198.51.100.30") as elsewhere:
        await csrf(elsewhere)
        response = await elsewhere.post(
            LOGIN, json={"email": "venue@example.org", "password": PASSWORD}
        )
        assert response.status_code == 200


async def test_throttled_answers_do_not_reveal_accounts(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="real@example.org")
    await csrf(client)
    answers = {}
    for email in ("real@example.org", "ghost@example.org"):
        await fail(client, email, 5)
        answers[email] = await client.post(LOGIN, json={"email": email, "password": WRONG})
    real, ghost = answers["real@example.org"], answers["ghost@example.org"]
    assert real.status_code == ghost.status_code == 429
    assert real.json() == ghost.json()
    assert abs(int(real.headers["retry-after"]) - int(ghost.headers["retry-after"])) <= 5
