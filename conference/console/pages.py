"""Organizer console pages (sessions, stages, tracks, people, warnings, publishing).

This router carries the dashboard and includes the console's other page routers, so
main.py wires the whole console with one ``include_router``. The import page lives in
:mod:`conference.console.imports`, wired separately.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from conference.console import (
    catalogue,
    people,
    publishing,
    service,
    session_list,
    sessions,
    talks,
)
from conference.console.checks import draft_state
from conference.console.web import ConsoleRoute, ConsoleUser, render
from conference.deps import CurrentMeeting, DbSession
from conference.extensions import ConsoleSection

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

# The console's own menu entries (main.py adds them, and other packages' between them).
SECTIONS = (
    ConsoleSection("dashboard", "Overview", "/console", order=100),
    ConsoleSection("sessions", "Sessions", "/console/sessions", order=200),
    ConsoleSection("stages", "Stages", "/console/stages", order=300),
    ConsoleSection("tracks", "Tracks", "/console/tracks", order=400),
    ConsoleSection("people", "People", "/console/people", order=700),
    ConsoleSection("import", "Import", "/console/import", order=800),
    ConsoleSection("publish", "Publish", "/console/publish", order=900),
)


@router.get("/console", name="console")
async def dashboard(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """The program at a glance: counts, warnings, and whether the draft is published."""
    counts = await service.program_counts(db, meeting=meeting)
    context = {"counts": counts, "state": await draft_state(db, meeting=meeting)}
    return render(
        request,
        "console/dashboard.html",
        context,
        user=user,
        meeting=meeting,
        section="dashboard",
    )


# The list first: its POST /console/sessions/bulk must not be read as a session id.
router.include_router(session_list.router)
router.include_router(sessions.router)
router.include_router(talks.router)
router.include_router(catalogue.router)
router.include_router(people.router)
router.include_router(publishing.router)
