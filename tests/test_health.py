from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role
from conference.main import create_app
from conference.settings import Environment, Settings
from tests.factories import UserFactory, sign_in


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "hub": "ok"}}


async def test_readyz_503_when_hub_unreachable(settings: Settings) -> None:
    # Nothing listens on port 1: the Redis hub cannot be reached.
    app = create_app(settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            response = await c.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "hub": "unreachable"}


async def test_metrics_count_requests_by_route(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    await client.get("/no-such-page")
    text = (await client.get("/metrics")).text
    assert 'conference_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert 'route="unmatched",status="404"' in text


async def test_openapi_lists_json_routes_only(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert "/api/v1/auth/login" in paths
    assert "/api/v1/me" in paths
    assert "/signin" not in paths


async def test_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/", "/signin", "/register", "/password/forgot"])
async def test_pages_render(client: httpx.AsyncClient, app: FastAPI, path: str) -> None:
    response = await client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert '<main id="main"' in response.text


METRICS_TOKEN = "scrape-" + "t" * 24


@pytest.fixture
async def production_app(settings: Settings) -> AsyncIterator[FastAPI]:
    production = settings.model_copy(
        update={
            "env": Environment.production,
            "base_url": "https://cytokines.example.org",
            "metrics_token": METRICS_TOKEN,
            "metrics_networks": "10.9.0.0/16",
        }
    )
    application = create_app(production)
    async with application.router.lifespan_context(application):
        yield application


def client_from(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="https://testserver")


async def test_production_metrics_need_the_token_or_a_scrape_network(
    production_app: FastAPI,
) -> None:
    async with client_from(production_app, "203.0.113.7") as outsider:
        refused = await outsider.get("/metrics")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert "conference_" not in refused.text
        wrong = await outsider.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        # Non-ASCII (Arabic-Indic digits, UTF-8): refused, not a 500 from compare_digest.
        odd = await outsider.get("/metrics", headers={b"Authorization": "Bearer ٣٣٣".encode()})
        assert odd.status_code == 401
        scraped = await outsider.get(
            "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        assert scraped.status_code == 200
        assert "conference_http_requests_total" in scraped.text
    async with client_from(production_app, "10.9.4.2") as scraper:
        assert (await scraper.get("/metrics")).status_code == 200
    async with client_from(production_app, "127.0.0.1") as local:
        # Loopback is not in this deployment's configured networks.
        assert (await local.get("/metrics")).status_code == 401


async def test_production_api_docs_are_for_organizers(production_app: FastAPI) -> None:
    users = UserFactory(production_app)
    await users.create(Role.attendee, email="att@example.org")
    await users.create(Role.organizer, email="org@example.org")
    async with client_from(production_app, "203.0.113.7") as client:
        assert (await client.get("/openapi.json")).status_code == 401
        docs = await client.get("/api/docs")
        assert docs.status_code == 303
        assert docs.headers["location"] == "/signin?next=/api/docs"
        await sign_in(client, "att@example.org")
        assert (await client.get("/openapi.json")).status_code == 403
        assert (await client.get("/api/docs")).status_code == 403
        client.cookies.clear()
        await sign_in(client, "org@example.org")
        schema = await client.get("/openapi.json")
        assert schema.status_code == 200
        assert "/api/v1/auth/login" in schema.json()["paths"]
        assert (await client.get("/api/docs")).status_code == 200


async def test_development_api_docs_come_from_our_origin(client: httpx.AsyncClient) -> None:
    docs = await client.get("/api/docs")
    assert docs.status_code == 200
    assert '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js">' in docs.text
    assert '<script src="/static/js/api-docs.js">' in docs.text
    assert "cdn" not in docs.text.lower()
    bundle = await client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert (await client.get("/static/vendor/swagger-ui/swagger-ui.css")).status_code == 200
    assert (await client.get("/metrics")).status_code == 200  # open in development
