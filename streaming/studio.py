"""The studio page: speakers, chairs and organizers go live on a stage from the browser.

The page itself only checks who may open it; ``static/js/studio.js`` publishes over WHIP
(``/whip/<slug>``, authenticated by the session cookie and the CSRF header), shows the
sender's statistics and the viewer count, and uploads pre-recorded talks.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from conference.console.web import ConsoleRoute
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession
from conference.errors import Forbidden, NotFound
from conference.timezones import display_zone
from streaming import watch
from streaming.broadcasts import may_publish
from streaming.status import stage_by_slug

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

# What the upload form accepts; the server probes the file whatever its name says.
UPLOAD_TYPES = "video/mp4,video/quicktime,video/webm,.mp4,.mov,.webm"


@router.get("/studio/{slug}", response_class=HTMLResponse, name="studio")
async def studio_page(
    slug: str,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> HTMLResponse:
    """Camera and microphone, preview, go live and stop, statistics, uploads.

    Organizers may use every stage's studio; a chair or speaker the studio of a stage
    where they have a session; anyone else gets 403 (the anonymous, sign-in).
    """
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    stage = next((s for s in program.stages if s.slug == slug), None) if program else None
    if program is None or stage is None:
        raise NotFound("There is no stage at this address.")
    sessions = await watch.studio_sessions(db, user=user, program=program, stage=stage)
    if sessions is None:
        raise Forbidden(
            "The studio of this stage is for the organizers and the chairs and speakers of "
            "its sessions."
        )
    row = await stage_by_slug(db, meeting_id=meeting.id, slug=slug)
    may_go_live = row is not None and await may_publish(ctx, db, user=user, stage=row)
    zone = display_zone(user_zone=user.time_zone, meeting_zone=program.time_zone)
    context = {
        "stage": stage,
        "sessions": sessions,
        "may_go_live": may_go_live,
        "zone": zone,
        "upload_types": UPLOAD_TYPES,
        "max_upload_bytes": ctx.settings.max_upload_bytes,
    }
    return ctx.pages.render(request, "streaming/studio.html", context, user=user)
