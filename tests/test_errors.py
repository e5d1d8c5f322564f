from __future__ import annotations

import httpx
from fastapi import FastAPI

from conference.errors import AlreadyVoted
from conference.web.errors import install_error_handlers
from tests.factories import UserFactory, sign_in

HTML = {"Accept": "text/html"}


async def test_error_page_keeps_the_viewer_signed_in(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await users.create(email="lost@example.org", name="Lost Visitor")
    await sign_in(client, "lost@example.org")
    response = await client.get("/program/sessions/no-such-session", headers=HTML)
    assert response.status_code == 404
    assert "Lost Visitor" in response.text


async def test_api_errors_stay_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here", headers=HTML)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


async def test_sign_in_redirect_keeps_the_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/console/sessions", params={"q": "chemokine"}, headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/console/sessions%3Fq%3Dchemokine"


async def test_bad_query_value_on_a_page_is_a_422_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/", params={"zone": "mars"}, headers=HTML)
    assert response.status_code == 422
    assert "This address has an invalid value: zone." in response.text


async def test_a_refusal_answers_with_its_code_and_reason() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/api/v1/vote")
    async def vote() -> None:
        raise AlreadyVoted("You have already voted in this poll.", field="poll_id")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.post("/api/v1/vote")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "You have already voted in this poll.",
        "code": "conflict",
        "reason": "already_voted",
        "field": "poll_id",
    }
