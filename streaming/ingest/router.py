"""WHIP ingest (RFC 9725) at /whip/<stage>, and the organizers' stream key API.

A publisher authenticates with ``Authorization: Bearer <stream key>`` (OBS and other WHIP
clients) or, from our studio page, with the session cookie and the CSRF header. WHIP
answers 401 with ``WWW-Authenticate: Bearer`` to a missing or bad key, as the RFC asks.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from conference.accounts.models import User
from conference.context import AppContext
from conference.deps import Context, DbSession, Organizer, PathId, PathSlug, viewer
from conference.errors import Forbidden, InvalidInput, NotFound
from conference.program.models import Stage
from streaming import broadcasts
from streaming.deps import Runtime
from streaming.ingest import keys
from streaming.ingest import peer as whip_peer
from streaming.models import ACTIVE_STATES, StreamKey

router = APIRouter()
keys_router_prefix = "/api/v1/streaming/stages/{slug}/keys"
NO_CONTENT = status.HTTP_204_NO_CONTENT
SDP = "application/sdp"

Slug = PathSlug
ResourceId = PathSlug


# Stream keys -------------------------------------------------------------------------


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(default="", max_length=keys.MAX_LABEL)


class KeyOut(BaseModel):
    id: int
    hint: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


class IssuedKeyOut(BaseModel):
    id: int
    key: str
    hint: str
    label: str


def _key_out(key: StreamKey) -> KeyOut:
    return KeyOut.model_validate(key, from_attributes=True)


@router.post(keys_router_prefix, status_code=201, tags=["streaming: organizers"])
async def issue_key(
    slug: Slug, user: Organizer, db: DbSession, body: KeyIn | None = None
) -> IssuedKeyOut:
    """Issue a stream key for the stage; the key itself is shown this once."""
    stage = await keys.find_stage(db, slug=slug)
    key, plain = await keys.issue_key(db, stage=stage, label=(body or KeyIn()).label, user=user)
    return IssuedKeyOut(id=key.id, key=plain, hint=key.hint, label=key.label)


@router.get(keys_router_prefix, tags=["streaming: organizers"])
async def list_keys(slug: Slug, _: Organizer, db: DbSession) -> list[KeyOut]:
    stage = await keys.find_stage(db, slug=slug)
    return [_key_out(key) for key in await keys.list_keys(db, stage=stage)]


@router.delete(
    keys_router_prefix + "/{key_id}", status_code=NO_CONTENT, tags=["streaming: organizers"]
)
async def revoke_key(slug: Slug, key_id: PathId, _: Organizer, db: DbSession) -> Response:
    stage = await keys.find_stage(db, slug=slug)
    await keys.revoke_key(db, stage=stage, key_id=key_id)
    return Response(status_code=NO_CONTENT)


# WHIP ----------------------------------------------------------------------------------


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


async def _publisher(
    request: Request, ctx: AppContext, db: DbSession, user: User | None, stage: Stage
) -> tuple[int | None, int | None]:
    """Who publishes: (user id, stream key id); 401 or 403 when nobody may."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        key = None
        if scheme.lower() == "bearer":
            key = await keys.valid_key(db, stage=stage, plain=token.strip())
        if key is None:
            raise _unauthorized("This stream key is not valid for this stage.")
        return None, key.id
    if user is None:
        raise _unauthorized("Send a stream key as a bearer token, or sign in.")
    if not await broadcasts.may_publish(ctx, db, user=user, stage=stage):
        raise Forbidden("Only organizers and today's chairs and speakers of this stage go live.")
    return user.id, None


async def read_sdp_offer(request: Request) -> str:
    """The request body as SDP text: 415 for another content type, 422 if not UTF-8."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != SDP:
        raise HTTPException(415, f"Send the SDP offer as {SDP}.")
    try:
        return (await request.body()).decode()
    except UnicodeDecodeError as exc:
        raise InvalidInput("The SDP offer is not UTF-8 text.") from exc


@router.options("/whip/{slug}", include_in_schema=False)
async def whip_options(slug: Slug) -> Response:
    return Response(status_code=NO_CONTENT, headers={"Allow": "OPTIONS, POST", "Accept-Post": SDP})


async def _authorized_stage(
    request: Request, ctx: AppContext, slug: str
) -> tuple[Stage, tuple[int | None, int | None]]:
    """The stage and its publisher (as :func:`_publisher`), read in a session of its own
    that is closed again before the broadcast starts or stops: those wait for ICE, the
    encoder and the archive, and read and write the database in sessions of their own, so
    the request must not hold a pooled connection meanwhile (conference/db/engine.py)."""
    async with ctx.db.session() as db:
        user = await viewer(request, ctx, db)
        stage = await keys.find_stage(db, slug=slug)
        return stage, await _publisher(request, ctx, db, user, stage)


@router.post("/whip/{slug}", status_code=201, tags=["streaming: ingest"])
async def whip_publish(slug: Slug, request: Request, ctx: Context, runtime: Runtime) -> Response:
    """Go live: an SDP offer in, the SDP answer out, with the resource URL to DELETE."""
    stage, (publisher_id, stream_key_id) = await _authorized_stage(request, ctx, slug)
    offer = await read_sdp_offer(request)
    live, answer = await whip_peer.publish(
        runtime.ingests,
        stage=stage,
        offer_sdp=offer,
        publisher_id=publisher_id,
        stream_key_id=stream_key_id,
    )
    return Response(
        content=answer,
        status_code=201,
        media_type=SDP,
        headers={
            "Location": f"/whip/{stage.slug}/{live.resource_id}",
            "ETag": f'"{live.resource_id}"',
        },
    )


@router.delete("/whip/{slug}/{resource_id}", status_code=200, tags=["streaming: ingest"])
async def whip_stop(
    slug: Slug, resource_id: ResourceId, request: Request, ctx: Context, runtime: Runtime
) -> Response:
    """Stop the broadcast; its recording (if any) becomes available."""
    stage, _ = await _authorized_stage(request, ctx, slug)
    async with ctx.db.session() as db:
        broadcast = await broadcasts.by_resource(db, stage=stage, resource_id=resource_id)
    if broadcast is None or broadcast.state not in ACTIVE_STATES:
        raise NotFound("There is no live broadcast at this address.")
    if not await runtime.ingests.stop_broadcast(resource_id):
        # Another process holds it: ending the row tells it (at its next heartbeat).
        async with ctx.db.session() as db:
            await broadcasts.claim_end(db, broadcast_id=broadcast.id)
    return Response(status_code=200)


@router.patch("/whip/{slug}/{resource_id}", include_in_schema=False)
async def whip_patch(slug: Slug, resource_id: ResourceId) -> Response:
    # Trickle ICE and ICE restarts are optional in WHIP; aiortc gathers every candidate
    # before answering, so the answer already holds them all.
    return Response(status_code=405, headers={"Allow": "DELETE"})
