"""Console pages for stages and tracks: list, create, edit, delete.

Both share one shape (a name, a slug made from it when left empty, a position in the
list) so one set of handlers serves both, told apart by a :class:`Kind`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from conference.console import service
from conference.console.web import (
    ConsoleRoute,
    ConsoleUser,
    Id,
    parse_int,
    reload,
    render,
    see_other,
)
from conference.deps import CurrentMeeting, DbSession
from conference.errors import ServiceError
from conference.program.draft import stages
from conference.program.models import Meeting, Stage, Track
from conference.program.schemas import StageIn, StageUpdate, TrackIn, TrackUpdate
from conference.web.forms import read_form, validate

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

Item = Stage | Track


@dataclass(frozen=True)
class Kind:
    """What differs between stages and tracks."""

    name: Literal["stage", "track"]
    plural: str  # "stages"
    fields: tuple[str, ...]  # besides name, slug and position
    schema_in: type[StageIn] | type[TrackIn]
    schema_update: type[StageUpdate] | type[TrackUpdate]
    deleting: str  # what deleting does to the sessions

    @property
    def path(self) -> str:
        return f"/console/{self.plural}"


STAGE = Kind(
    "stage",
    "stages",
    ("room",),
    StageIn,
    StageUpdate,
    "Its sessions stay in the program without a stage, and each gets a warning.",
)
TRACK = Kind(
    "track",
    "tracks",
    ("color",),
    TrackIn,
    TrackUpdate,
    "Its sessions stay in the program without a track.",
)


async def _items(db: AsyncSession, kind: Kind, meeting: Meeting) -> Sequence[Item]:
    if kind is STAGE:
        return await stages.list_stages(db, meeting=meeting)
    return await stages.list_tracks(db, meeting=meeting)


async def _item(db: AsyncSession, kind: Kind, meeting: Meeting, item_id: int) -> Item:
    if kind is STAGE:
        return await stages.get_stage(db, meeting=meeting, stage_id=item_id)
    return await stages.get_track(db, meeting=meeting, track_id=item_id)


async def _session_counts(db: AsyncSession, kind: Kind, meeting: Meeting) -> dict[int, int]:
    return await service.sessions_per(db, meeting=meeting, kind=kind.name)


def _values(kind: Kind, item: Item | None) -> dict[str, str]:
    if item is None:
        defaults = {"name": "", "slug": "", "position": "0", "room": "", "color": "#566172"}
        return {k: defaults[k] for k in ("name", "slug", "position", *kind.fields)}
    return {
        "name": item.name,
        "slug": item.slug,
        "position": str(item.position),
        **{field: str(getattr(item, field)) for field in kind.fields},
    }


def _read(kind: Kind, form: dict[str, str]) -> tuple[dict[str, str], Any, dict[str, str]]:
    values = {k: form.get(k, "").strip() for k in ("name", "slug", "position", *kind.fields)}
    position, problem = parse_int(values["position"], what="position", default=0)
    data = {
        "name": values["name"],
        "slug": values["slug"] or None,
        "position": position,
        **{field: values[field] for field in kind.fields},
    }
    model, errors = validate(kind.schema_in, data)
    if problem:
        errors["position"] = problem
        model = None
    if "slug" in errors:
        errors["slug"] = "Use lower-case letters, digits and hyphens (e.g. main-stage)."
    if "color" in errors:
        errors["color"] = "Choose a colour, written like #1b6ac9."
    return values, model, errors


def _page(
    request: Request,
    user: ConsoleUser,
    meeting: Meeting,
    kind: Kind,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    template: str = "console/catalogue_form.html",
) -> Response:
    return render(
        request,
        template,
        {"kind": kind, **context},
        user=user,
        meeting=meeting,
        section=kind.plural,
        status_code=status_code,
    )


def _register(kind: Kind) -> None:
    """Add the list, create, edit and delete routes for ``kind`` to the router."""
    notices = {
        "created": f"The {kind.name} was created.",
        "saved": f"The {kind.name} was saved.",
        "deleted": f"The {kind.name} was deleted.",
    }

    async def list_page(
        request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
    ) -> Response:
        context = {
            "items": await _items(db, kind, meeting),
            "session_counts": await _session_counts(db, kind, meeting),
            "notice": notices.get(request.query_params.get("done", "")),
        }
        return _page(request, user, meeting, kind, context, template="console/catalogue.html")

    async def new_page(request: Request, user: ConsoleUser, meeting: CurrentMeeting) -> Response:
        context = {"item": None, "form": _values(kind, None), "errors": {}}
        return _page(request, user, meeting, kind, context)

    async def create(
        request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
    ) -> Response:
        values, data, errors = _read(kind, await read_form(request))
        if data is not None:
            try:
                await _create(db, meeting, data)
            except ServiceError as exc:
                errors = {exc.field or "name": exc.detail}
                await reload(db, meeting, user)
            else:
                return see_other(f"{kind.path}?done=created")
        context = {"item": None, "form": values, "errors": errors}
        return _page(request, user, meeting, kind, context, status_code=422)

    async def edit_page(
        request: Request, item_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
    ) -> Response:
        item = await _item(db, kind, meeting, item_id)
        context = {"item": item, "form": _values(kind, item), "errors": {}}
        return _page(request, user, meeting, kind, context)

    async def save(
        request: Request, item_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
    ) -> Response:
        item = await _item(db, kind, meeting, item_id)
        values, data, errors = _read(kind, await read_form(request))
        if data is not None:
            try:
                await _update(db, kind, meeting, item_id, data)
            except ServiceError as exc:
                errors = {exc.field or "name": exc.detail}
                await reload(db, meeting, user)
            else:
                return see_other(f"{kind.path}?done=saved")
            item = await _item(db, kind, meeting, item_id)
        context = {"item": item, "form": values, "errors": errors}
        return _page(request, user, meeting, kind, context, status_code=422)

    async def delete_page(
        request: Request, item_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
    ) -> Response:
        item = await _item(db, kind, meeting, item_id)
        count = (await _session_counts(db, kind, meeting)).get(item.id, 0)
        context = {
            "what": kind.name,
            "name": item.name,
            "details": f"{count} session{'s' if count != 1 else ''} in the draft program",
            "consequence": kind.deleting,
            "action": f"{kind.path}/{item.id}/delete",
            "cancel": f"{kind.path}/{item.id}",
        }
        return _page(request, user, meeting, kind, context, template="console/confirm_delete.html")

    async def delete(
        item_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
    ) -> Response:
        if kind is STAGE:
            await stages.delete_stage(db, meeting=meeting, stage_id=item_id)
        else:
            await stages.delete_track(db, meeting=meeting, track_id=item_id)
        return see_other(f"{kind.path}?done=deleted")

    base, name = f"/{kind.plural}", f"console_{kind.plural}"
    router.add_api_route(base, list_page, methods=["GET"], name=name)
    router.add_api_route(f"{base}/new", new_page, methods=["GET"], name=f"console_{kind.name}_new")
    router.add_api_route(f"{base}/new", create, methods=["POST"])
    router.add_api_route(
        f"{base}/{{item_id}}", edit_page, methods=["GET"], name=f"console_{kind.name}"
    )
    router.add_api_route(f"{base}/{{item_id}}", save, methods=["POST"])
    router.add_api_route(
        f"{base}/{{item_id}}/delete",
        delete_page,
        methods=["GET"],
        name=f"console_{kind.name}_delete",
    )
    router.add_api_route(f"{base}/{{item_id}}/delete", delete, methods=["POST"])


async def _create(db: AsyncSession, meeting: Meeting, data: BaseModel) -> None:
    if isinstance(data, StageIn):
        await stages.create_stage(db, meeting=meeting, data=data)
    elif isinstance(data, TrackIn):
        await stages.create_track(db, meeting=meeting, data=data)


async def _update(
    db: AsyncSession, kind: Kind, meeting: Meeting, item_id: int, data: BaseModel
) -> None:
    changes = kind.schema_update(**data.model_dump())
    if isinstance(changes, StageUpdate):
        await stages.update_stage(db, meeting=meeting, stage_id=item_id, data=changes)
    elif isinstance(changes, TrackUpdate):
        await stages.update_track(db, meeting=meeting, track_id=item_id, data=changes)


for _kind in (STAGE, TRACK):
    _register(_kind)
