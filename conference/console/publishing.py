"""The console's publish page: every warning, publishing (confirmed when there are
warnings), and the published versions with their changelog counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from conference.console.checks import DraftState, draft_state, warning_views
from conference.console.web import (
    ConsoleRoute,
    ConsoleUser,
    parse_int,
    reload,
    render,
    see_other,
    small_id,
)
from conference.deps import Context, CurrentMeeting, DbSession
from conference.errors import Conflict
from conference.program.draft import publishing
from conference.program.models import Meeting
from conference.program.schemas import PublishIn, VersionOut
from conference.realtime.channels import moderators_changed
from conference.web.forms import checked, read_form, validate

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


async def _page(
    request: Request,
    user: ConsoleUser,
    db: DbSession,
    meeting: Meeting,
    *,
    state: DraftState | None = None,
    published: int | None = None,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    state = state or await draft_state(db, meeting=meeting)
    versions = [
        VersionOut.from_version(v) for v in await publishing.list_versions(db, meeting=meeting)
    ]
    just_published = next((v for v in versions if v.number == published), None)
    context = {
        "state": state,
        "warnings": await warning_views(db, meeting=meeting, warnings=state.warnings),
        "versions": versions,
        "next_number": (state.latest.number + 1) if state.latest else 1,
        "just_published": just_published,
        "form": form or {"note": "", "confirm_warnings": False},
        "errors": errors or {},
    }
    return render(
        request,
        "console/publish.html",
        context,
        user=user,
        meeting=meeting,
        section="publish",
        status_code=status_code,
    )


@router.get("/publish", name="console_publish")
async def publish_page(
    request: Request,
    user: ConsoleUser,
    db: DbSession,
    meeting: CurrentMeeting,
    published: str = "",
) -> Response:
    """The warnings of the draft, what publishing would change, and the versions so far."""
    number = small_id(published)
    return await _page(request, user, db, meeting, published=number)


@router.post("/publish")
async def publish(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting, ctx: Context
) -> Response:
    """Publish the draft; with warnings, only once the organizer has ticked the box.

    The form carries how many warnings the organizer reviewed: if more have appeared
    since (another organizer's edit), the confirmation no longer covers them.
    """
    form = await read_form(request)
    values = {"note": form.get("note", ""), "confirm_warnings": checked(form, "confirm_warnings")}
    state = await draft_state(db, meeting=meeting)
    count = len(state.warnings)
    reviewed, _ = parse_int(form.get("warnings_reviewed", ""), what="count", default=0)
    request_in, errors = validate(PublishIn, values)
    status_code = 422
    if count and not values["confirm_warnings"]:
        errors["confirm_warnings"] = (
            f"The draft has {count} warning{'s' if count != 1 else ''}: tick the box to "
            "confirm you have reviewed them, or fix them first. Nothing was published."
        )
        status_code = 409
    elif count > (reviewed or 0) and values["confirm_warnings"]:
        errors["confirm_warnings"] = (
            f"The draft now has {count} warnings, more than the {reviewed or 0} you "
            "reviewed. Review them and confirm again. Nothing was published."
        )
        values["confirm_warnings"] = False
        status_code = 409
    if request_in is not None and not errors:
        try:
            version, _ = await publishing.publish(
                db, meeting=meeting, user=user, request=request_in
            )
        except Conflict as exc:
            # Another organizer published meanwhile: show the page as it is now.
            errors["confirm_warnings"] = exc.detail
            status_code = 409
            await reload(db, meeting, user)
            state = await draft_state(db, meeting=meeting)
        else:
            await moderators_changed(ctx)
            return see_other(f"/console/publish?published={version.number}")
    return await _page(
        request,
        user,
        db,
        meeting,
        state=state,
        form=values,
        errors=errors,
        status_code=status_code,
    )
