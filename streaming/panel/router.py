"""The panel's HTTP API: join with an SDP offer, leave, choose the layout, go live; and
the same for the small video rooms of other domains' objects (``/api/v1/streaming/rooms/
<kind>/<id>``, a poster's live slot), whose rules come from ``Extensions.video_rooms``.

Signaling is WHIP-shaped: ``POST`` an SDP offer (``application/sdp``), get ``201`` with
the answer and a ``Location`` to ``DELETE`` when leaving. aiortc gathers every ICE
candidate before answering, so there is no trickle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, ConfigDict

from conference.accounts.models import User
from conference.context import AppContext
from conference.deps import Context, CurrentUser, DbSession, PathId, PathSlug, viewer
from conference.errors import Forbidden, NotFound, Unauthenticated
from conference.extensions import VideoRoomAccess
from conference.program.models import Stage
from streaming.deps import Runtime
from streaming.ingest import keys
from streaming.ingest.router import read_sdp_offer
from streaming.panel.access import (
    panel_rights,
    require_director,
    require_panelist,
    video_room_access,
)
from streaming.panel.rooms import room_key

router = APIRouter(tags=["streaming: panel"])
PREFIX = "/api/v1/streaming/stages/{slug}/panel"
SDP = "application/sdp"
NO_CONTENT = status.HTTP_204_NO_CONTENT

Slug = PathSlug
PanelistId = PathSlug


class LayoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    layout: Literal["grid", "speaker"]


class LiveOut(BaseModel):
    resource_id: str
    recording_id: int | None


@router.get(PREFIX)
async def panel_state(
    slug: Slug, user: CurrentUser, ctx: Context, db: DbSession, runtime: Runtime
) -> dict[str, object]:
    """Who is on the panel, its layout, whether it is live, and what the caller may do."""
    stage = await keys.find_stage(db, slug=slug)
    rights = await panel_rights(ctx, db, user=user, stage=stage)
    if not rights.join:
        raise Forbidden("Only organizers and this stage's chairs and speakers see its panel.")
    room = runtime.panels.room(stage.slug)
    state: dict[str, object] = (
        room.summary()
        if room
        else {"stage": stage.slug, "layout": "grid", "live": False, "active": None}
    )
    state.update(max_panelists=runtime.panels.max_panelists, may_direct=rights.direct)
    state.setdefault("panelists", [])
    return state


@router.post(PREFIX, status_code=201)
async def join_panel(
    slug: Slug,
    request: Request,
    user: CurrentUser,
    ctx: Context,
    db: DbSession,
    runtime: Runtime,
) -> Response:
    """Take a seat: an SDP offer (audio and video, sendrecv) in, the answer out."""
    stage = await keys.find_stage(db, slug=slug)
    await require_panelist(ctx, db, user=user, stage=stage)
    offer = await read_sdp_offer(request)
    panelist_id, answer = await runtime.panels.join(
        slug=stage.slug, user_id=user.id, name=user.name, offer_sdp=offer
    )
    return Response(
        content=answer,
        status_code=201,
        media_type=SDP,
        headers={"Location": f"{PREFIX.format(slug=stage.slug)}/{panelist_id}"},
    )


@router.put(PREFIX + "/layout")
async def set_layout(
    slug: Slug,
    body: LayoutIn,
    user: CurrentUser,
    ctx: Context,
    db: DbSession,
    runtime: Runtime,
) -> dict[str, object]:
    """Show a grid of everyone, or the active speaker large with the others small."""
    stage = await keys.find_stage(db, slug=slug)
    await require_director(ctx, db, user=user, stage=stage)
    return runtime.panels.set_layout(slug=stage.slug, layout=body.layout).summary()


async def _directed_stage(request: Request, ctx: AppContext, slug: str) -> tuple[Stage, int]:
    """The stage and its director's user id, read in a session closed again before the
    broadcast starts or stops (those open their own: see streaming/ingest/router.py)."""
    async with ctx.db.session() as db:
        user = await viewer(request, ctx, db)
        if user is None:
            raise Unauthenticated("Please sign in.")
        stage = await keys.find_stage(db, slug=slug)
        await require_director(ctx, db, user=user, stage=stage)
        return stage, user.id


@router.post(PREFIX + "/live", status_code=201)
async def go_live(slug: Slug, request: Request, ctx: Context, runtime: Runtime) -> LiveOut:
    """Put the panel on the stage: the composed picture and mix feed the HLS ladder."""
    stage, user_id = await _directed_stage(request, ctx, slug)
    live = await runtime.panels.go_live(stage=stage, ingests=runtime.ingests, user_id=user_id)
    return LiveOut(resource_id=live.resource_id, recording_id=live.recording_id)


@router.delete(PREFIX + "/live", status_code=NO_CONTENT)
async def stop_live(slug: Slug, request: Request, ctx: Context, runtime: Runtime) -> Response:
    """Stop broadcasting the panel; the recording follows as for any broadcast."""
    stage, _ = await _directed_stage(request, ctx, slug)
    await runtime.panels.stop_live(slug=stage.slug, ingests=runtime.ingests)
    return Response(status_code=NO_CONTENT)


# After /live, which this route would otherwise claim.
@router.delete(PREFIX + "/{panelist_id}", status_code=NO_CONTENT)
async def leave_panel(
    slug: Slug,
    panelist_id: PanelistId,
    user: CurrentUser,
    ctx: Context,
    db: DbSession,
    runtime: Runtime,
) -> Response:
    """Leave the panel (a panelist themselves, or a director removing someone)."""
    stage = await keys.find_stage(db, slug=slug)
    seat = runtime.panels.seat(stage.slug, panelist_id)
    if seat is None:
        raise NotFound("There is no such panelist.")
    if seat.user_id != user.id:
        await require_director(ctx, db, user=user, stage=stage)
    await runtime.panels.leave(slug=stage.slug, panelist_id=panelist_id)
    return Response(status_code=NO_CONTENT)


# Video rooms of other domains' objects ---------------------------------------------------

ROOM = "/api/v1/streaming/rooms/{kind}/{object_id}"
Kind = PathSlug


def room_address(kind: str, object_id: int) -> str:
    """Where a page's script signals to join the room (``Extensions.video_rooms``)."""
    return ROOM.format(kind=kind, object_id=object_id)


class RoomPersonOut(BaseModel):
    name: str
    # The caller's own seat.
    you: bool
    # The seat's address (to DELETE): given for the caller's own seat, and to hosts for all.
    seat: str | None


class RoomOut(BaseModel):
    capacity: int
    # How many people are in the room now.
    count: int
    may_join: bool
    may_host: bool
    # Why the caller may not join now (the room is closed), else "".
    refusal: str
    # Who is in: only for those who may join (they would see them anyway), else empty.
    people: list[RoomPersonOut]


async def _room_caller(
    request: Request, ctx: AppContext, kind: str, object_id: int
) -> tuple[User, VideoRoomAccess]:
    """The caller and their rights, read in a session closed again before joining, which
    waits for ICE gathering (as going live does: see :func:`_directed_stage`)."""
    async with ctx.db.session() as db:
        user = await viewer(request, ctx, db)
        if user is None:
            raise Unauthenticated("Please sign in.")
        access = await video_room_access(ctx, db, user=user, kind=kind, object_id=object_id)
        return user, access


@router.get(ROOM, response_model=RoomOut)
async def room_state(
    kind: Kind, object_id: PathId, user: CurrentUser, ctx: Context, db: DbSession, runtime: Runtime
) -> RoomOut:
    """How many are in the room, whether the caller may join (and why not), who is in."""
    access = await video_room_access(ctx, db, user=user, kind=kind, object_id=object_id)
    room = runtime.panels.room(room_key(kind, object_id))
    seated = list(room.panelists.values()) if room else []
    address = room_address(kind, object_id)
    people = [
        RoomPersonOut(
            name=p.name,
            you=p.user_id == user.id,
            seat=f"{address}/{p.id}" if access.host or p.user_id == user.id else None,
        )
        for p in seated
    ]
    mine = any(p.user_id == user.id for p in seated)
    return RoomOut(
        capacity=access.capacity,
        count=len(seated),
        may_join=access.join,
        may_host=access.host,
        refusal=access.refusal,
        people=people if access.join or mine else [],
    )


@router.post(ROOM, status_code=201)
async def join_room(
    kind: Kind, object_id: PathId, request: Request, ctx: Context, runtime: Runtime
) -> Response:
    """Take a seat in the room: an SDP offer (audio and video, sendrecv) in, the answer out
    with the seat's ``Location``; 409 ``room_full`` when every seat is taken. The seat is
    given up when the room closes (the owner's ``closes_at``: a live slot's end)."""
    user, access = await _room_caller(request, ctx, kind, object_id)
    if not access.join:
        raise Forbidden(access.refusal or "You may not join this video room.")
    offer = await read_sdp_offer(request)
    seat, answer = await runtime.panels.join(
        slug=room_key(kind, object_id),
        user_id=user.id,
        name=user.name,
        offer_sdp=offer,
        capacity=access.capacity,
    )
    if access.closes_at is not None:
        runtime.panels.expire(
            slug=room_key(kind, object_id),
            user_id=user.id,
            panelist_id=seat,
            after=(access.closes_at - datetime.now(UTC)).total_seconds(),
        )
    return Response(
        content=answer,
        status_code=201,
        media_type=SDP,
        headers={"Location": f"{room_address(kind, object_id)}/{seat}"},
    )


@router.delete(ROOM + "/{seat}", status_code=NO_CONTENT)
async def leave_room(
    kind: Kind,
    object_id: PathId,
    seat: PanelistId,
    user: CurrentUser,
    ctx: Context,
    db: DbSession,
    runtime: Runtime,
) -> Response:
    """Leave the room (one's own seat, always: even once the slot is over), or remove
    someone (a host)."""
    key = room_key(kind, object_id)
    found = runtime.panels.seat(key, seat)
    if found is None:
        raise NotFound("There is nobody in this seat.")
    if found.user_id != user.id:
        access = await video_room_access(ctx, db, user=user, kind=kind, object_id=object_id)
        if not access.host:
            raise Forbidden("Only the room's hosts remove someone else.")
    await runtime.panels.leave(slug=key, panelist_id=seat)
    return Response(status_code=NO_CONTENT)
