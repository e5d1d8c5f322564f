"""Liveness, readiness and metrics endpoints for the operator and the load balancer."""

from __future__ import annotations

import asyncio
import hmac
from ipaddress import ip_address

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError

from conference.db.migrate import migration_state
from conference.deps import Context

router = APIRouter(tags=["operations"])

_CHECK_TIMEOUT = 3.0


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive (it answers)."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(ctx: Context) -> JSONResponse:
    """Ready to serve: the database answers and is migrated, and the hub answers; else 503."""
    checks: dict[str, str] = {}
    try:
        state = await asyncio.wait_for(migration_state(ctx.db.engine), _CHECK_TIMEOUT)
        checks["database"] = "ok" if state.up_to_date else f"not migrated ({state.current})"
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    try:
        hub_ok = await asyncio.wait_for(ctx.realtime.hub.backend.ping(), _CHECK_TIMEOUT)
    except TimeoutError:
        hub_ok = False
    checks["hub"] = "ok" if hub_ok else "unreachable"
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, ctx: Context) -> Response:
    """Prometheus exposition of this process's metrics.

    In production only for a scraper presenting ``CONFERENCE_METRICS_TOKEN`` as a bearer
    token or connecting from ``CONFERENCE_METRICS_NETWORKS`` (loopback by default): route
    names, error rates and sign-in failures are no one else's business.
    """
    if ctx.settings.is_production and not _may_scrape(request, ctx):
        if ctx.settings.metrics_token:
            return JSONResponse(
                {"detail": "Send the metrics token as a bearer token."},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return JSONResponse({"detail": "Metrics are for the operators' scraper."}, status_code=403)
    return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)


def _may_scrape(request: Request, ctx: Context) -> bool:
    token = ctx.settings.metrics_token
    if token:
        scheme, _, presented = request.headers.get("authorization", "").partition(" ")
        # Bytes: compare_digest refuses non-ASCII str, and a header may hold anything.
        if scheme.lower() == "bearer" and hmac.compare_digest(
            presented.strip().encode(), token.encode()
        ):
            return True
    host = request.client.host if request.client else ""
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in ctx.settings.metrics_allowed_networks())
