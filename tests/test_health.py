from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from conference.main import create_app
from conference.settings import Settings


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
