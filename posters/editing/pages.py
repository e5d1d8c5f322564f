"""The edit page of a poster, ``/posters/<id>/edit``: a form that works without JavaScript.

Its presenter edits it until the meeting's deadline (the rule is ``posters.service``'s),
then sees it read-only with the reason; organizers edit every poster, and also move it to
another board or session and delete it. A refused save shows the form again with what was
typed and a message beside each field (4xx); a save goes back to the page, which shows the
abstract as it is now rendered for viewers. The PDF is uploaded from the same page by
``static/js/poster-pdf.js`` (``templates/posters/_pdf.html``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, Organizer, PathId
from conference.errors import InvalidInput, ServiceError
from conference.program.models import Meeting
from conference.timezones import display_zone
from conference.web.forms import read_form
from posters import service
from posters.editing import form as edit_form
from posters.editing import service as editing
from posters.editing.service import linked_addresses
from posters.gallery import listing
from posters.models import POSTER_STATE_LABELS, Poster
from posters.tiles.grants import forget_poster

router = APIRouter(include_in_schema=False)


async def _render(
    request: Request,
    ctx: Context,
    db: DbSession,
    *,
    poster: Poster,
    user: User,
    meeting: Meeting,
    form: edit_form.EditForm,
    refusal: ServiceError | None,
    saved: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    settings = await service.poster_settings(db, meeting_id=meeting.id)
    organizer = service.is_organizer(user)
    program = await ctx.programs.latest(db, meeting_id=meeting.id) if organizer else None
    context: dict[str, Any] = {
        "poster": poster,
        "form": form,
        "errors": form.errors,
        "editable": refusal is None,
        "refusal": refusal.detail if refusal else None,
        "deadline": settings.edit_deadline,
        "zone": display_zone(user_zone=user.time_zone, meeting_zone=meeting.time_zone),
        "states": service.settable_states(poster, user),
        "state_labels": POSTER_STATE_LABELS,
        "organizer": organizer,
        "sessions": listing.poster_sessions(program),
        "saved": saved,
        "pdf_upload": refusal is None,
    }
    return ctx.pages.render(
        request, "posters/edit.html", context, user=user, status_code=status_code
    )


@router.get("/posters/{poster_id}/edit", response_class=HTMLResponse, name="poster_edit")
async def edit_page(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> HTMLResponse:
    """The form, filled with the poster as stored; read-only for its presenter after the
    deadline; 403 for anyone else who is not an organizer."""
    poster = await service.visible_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, viewer=user
    )
    refusal = await service.edit_refusal(db, poster=poster, actor=user, now=utcnow())
    if refusal is not None and not service.is_presenter(poster, user):
        raise refusal
    return await _render(
        request,
        ctx,
        db,
        poster=poster,
        user=user,
        meeting=meeting,
        form=edit_form.from_poster(poster),
        refusal=refusal,
        saved=request.query_params.get("saved") == "1",
    )


@router.post("/posters/{poster_id}/edit", response_class=HTMLResponse, name="poster_save")
async def save_form(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> Response:
    """Save the form; the form again with the messages (and nothing changed) if refused."""
    poster = await service.editable_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, actor=user, now=utcnow()
    )
    form, changes = edit_form.parse(
        await read_form(request),
        poster=poster,
        linked=await linked_addresses(db, poster=poster),
        states=service.settable_states(poster, user),
        organizer=service.is_organizer(user),
    )
    status_code = 422
    if changes is not None:
        program = await ctx.programs.latest(db, meeting_id=meeting.id)
        try:
            # In a savepoint: a refusal midway undoes only the poster's changes.
            async with db.begin_nested():
                await service.update_poster(
                    db, poster=poster, actor=user, changes=changes, program=program
                )
        except ServiceError as exc:
            # The poster may be half-changed in memory: read it again as stored.
            found = await service.load_poster(
                db, meeting_id=meeting.id, poster_id=poster_id, fresh=True
            )
            if found is None:
                raise
            poster = found
            form.errors[exc.field or "form"] = exc.detail
            form = edit_form.with_blanks(form)
            status_code = exc.status_code
        else:
            await db.commit()
            forget_poster(ctx, poster.id)  # its state or presenter may have changed who sees it
            return RedirectResponse(f"/posters/{poster.id}/edit?saved=1", status_code=303)
    return await _render(
        request,
        ctx,
        db,
        poster=poster,
        user=user,
        meeting=meeting,
        form=form,
        refusal=None,
        status_code=status_code,
    )


@router.post("/posters/{poster_id}/delete", name="poster_delete")
async def delete_form(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: Organizer,
    meeting: CurrentMeeting,
) -> Response:
    """Delete the poster (organizers) and its files; to the console's list of posters."""
    if (await read_form(request)).get("confirm") != "1":
        raise InvalidInput("Tick the box to confirm the deletion.", field="confirm")
    await editing.remove_poster(ctx, db, meeting_id=meeting.id, poster_id=poster_id, actor=user)
    return RedirectResponse("/console/posters", status_code=303)
