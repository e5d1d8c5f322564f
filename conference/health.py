"""Liveness, readiness and metrics endpoints for the operator and the load balancer."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
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
async def metrics(ctx: Context) -> Response:
    """Prometheus exposition of this process's metrics."""
    return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)
