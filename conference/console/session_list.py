"""Console page listing sessions: filters (day, stage, track, title) and bulk moves.

Built for a program of 400 sessions: one query for the sessions (no talks or chairs
loaded), one read of the draft for the warning badges, and the ticked sessions moved in
one step by the program service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from conference.console import service
from conference.console.checks import counts_by_session
from conference.console.sessions import NOTICES, choices
from conference.console.web import (
    ConsoleRoute,
    ConsoleUser,
    parse_int,
    render,
    see_other,
    small_id,
)
from conference.deps import CurrentMeeting, DbSession
from conference.errors import ServiceError
from conference.program.draft import publishing, sessions
from conference.program.models import Meeting, ProgramSession
from conference.program.schemas import BulkShift

router = APIRouter(prefix="/console/sessions", route_class=ConsoleRoute, include_in_schema=False)

FILTERS = ("day", "stage", "track", "q")


def meeting_days(meeting: Meeting) -> list[date]:
    count = (meeting.ends_on - meeting.starts_on).days + 1
    return [meeting.starts_on + timedelta(days=i) for i in range(max(count, 0))]


def _filters(params: dict[str, str]) -> dict[str, str]:
    return {key: params[key].strip()[:100] for key in FILTERS if params.get(key, "").strip()}


async def _filtered(
    db: DbSession, meeting: Meeting, filters: dict[str, str]
) -> Sequence[ProgramSession]:
    stage = filters.get("stage", "")
    return await service.filtered_sessions(
        db,
        meeting=meeting,
        day=_day(filters.get("day", "")),
        stage_id="none" if stage == "none" else small_id(stage),
        track_id=small_id(filters.get("track", "")),
        title=filters.get("q", ""),
    )


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


async def _list_page(
    request: Request,
    db: DbSession,
    meeting: Meeting,
    user: ConsoleUser,
    *,
    filters: dict[str, str],
    notice: str | None = None,
    bulk: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    found = await _filtered(db, meeting, filters)
    warnings = await publishing.draft_warnings(db, meeting=meeting)
    offered = await choices(db, meeting)
    context = {
        "sessions": found,
        "warning_counts": counts_by_session(warnings),
        "warning_total": len(warnings),
        "stage_names": {s.id: s.name for s in offered["stages"]},
        "days": meeting_days(meeting),
        "filters": filters,
        "filter_query": urlencode(filters),
        "notice": notice,
        "bulk": bulk or {"session_ids": [], "shift_minutes": "", "move_stage": ""},
        "errors": errors or {},
        **offered,
    }
    return render(
        request,
        "console/sessions.html",
        context,
        user=user,
        meeting=meeting,
        section="sessions",
        status_code=status_code,
    )


@router.get("", name="console_sessions")
async def list_page(
    request: Request,
    user: ConsoleUser,
    db: DbSession,
    meeting: CurrentMeeting,
    done: str = "",
    n: str = "",
) -> Response:
    """Every session of the draft, filtered by day, stage, track or title."""
    filters = _filters(dict(request.query_params))
    notice = None
    if done == "shifted" and (count := small_id(n)) is not None and count <= 500:
        notice = f"Moved {count} session{'s' if count != 1 else ''}."
    elif done in NOTICES:
        notice = NOTICES[done]
    return await _list_page(request, db, meeting, user, filters=filters, notice=notice)


@router.post("/bulk", name="console_sessions_bulk")
async def bulk_move(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Shift the ticked sessions by some minutes and/or move them onto one stage."""
    form = await request.form()
    picked = [small_id(v) for v in form.getlist("session_ids") if isinstance(v, str)]
    ids = [i for i in picked if i is not None]
    shift_text = str(form.get("shift_minutes", ""))
    stage_text = str(form.get("move_stage", ""))
    filters = _filters({k: str(form.get(k, "")) for k in FILTERS})
    bulk = {"session_ids": ids, "shift_minutes": shift_text, "move_stage": stage_text}
    errors: dict[str, str] = {}
    shift, problem = parse_int(shift_text, what="shift", default=0)
    if problem:
        errors["shift_minutes"] = problem
    stage_id = small_id(stage_text)
    if not ids:
        errors["session_ids"] = "Tick at least one session to move."
    elif not errors and shift == 0 and stage_id is None:
        errors["shift_minutes"] = "Enter minutes to shift by, or choose a stage to move to."
    if not errors:
        try:
            data = BulkShift(session_ids=ids, shift_minutes=shift or 0, stage_id=stage_id)
            moved = await sessions.bulk_shift(db, meeting=meeting, data=data)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = "session_ids" if error["loc"][:1] == ("session_ids",) else "shift_minutes"
            errors[field] = error["msg"]
        except ServiceError as exc:
            errors["session_ids"] = exc.detail
        else:
            query = urlencode({**filters, "done": "shifted", "n": len(moved)})
            return see_other(f"/console/sessions?{query}")
    return await _list_page(
        request, db, meeting, user, filters=filters, bulk=bulk, errors=errors, status_code=422
    )
