"""Conflict warnings as console pages show them: each with links to the sessions it names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.program.documents import Snapshot
from conference.program.draft.conflicts import find_conflicts
from conference.program.draft.publishing import latest_version
from conference.program.models import Meeting, ProgramSession, ProgramVersion
from conference.program.schemas import Warning
from conference.program.snapshot import change_counts, changelog, draft_snapshot

# What each warning code means, for the headings of the publish page.
CODE_LABELS = {
    "no_stage": "No stage",
    "outside_meeting_days": "Outside the meeting days",
    "talk_outside_session": "Talk outside its session",
    "stage_overlap": "Overlap on a stage",
    "person_overlap": "Person in two places",
}


@dataclass(frozen=True)
class SessionLink:
    id: int
    title: str


@dataclass(frozen=True)
class WarningView:
    code: str
    message: str
    sessions: tuple[SessionLink, ...]

    @property
    def label(self) -> str:
        return CODE_LABELS.get(self.code, self.code.replace("_", " ").capitalize())


async def warning_views(
    db: AsyncSession, *, meeting: Meeting, warnings: list[Warning], guid: str | None = None
) -> list[WarningView]:
    """``warnings`` (those naming session ``guid`` if given) with links to their sessions."""
    if guid is not None:
        warnings = [w for w in warnings if guid in w.session_guids]
    wanted = {g for w in warnings for g in w.session_guids}
    links: dict[str, SessionLink] = {}
    if wanted:
        rows = await db.execute(
            select(ProgramSession.guid, ProgramSession.id, ProgramSession.title).where(
                ProgramSession.meeting_id == meeting.id, ProgramSession.guid.in_(wanted)
            )
        )
        links = {g: SessionLink(i, t) for g, i, t in rows}
    return [
        WarningView(
            code=w.code,
            message=w.message,
            sessions=tuple(links[g] for g in w.session_guids if g in links),
        )
        for w in warnings
    ]


def counts_by_session(warnings: list[Warning]) -> Counter[str]:
    """How many warnings name each session GUID."""
    return Counter(g for w in warnings for g in dict.fromkeys(w.session_guids))


@dataclass(frozen=True)
class DraftState:
    """The draft against the last published version: what publishing now would do."""

    snapshot: Snapshot
    warnings: list[Warning]
    latest: ProgramVersion | None
    pending: dict[str, int]  # changelog counts: added, moved, changed, cancelled

    @property
    def unpublished(self) -> bool:
        """True if the draft differs from what attendees see."""
        if self.latest is None:
            return bool(self.snapshot["sessions"])
        return bool(self.latest.snapshot != self.snapshot)


async def draft_state(db: AsyncSession, *, meeting: Meeting) -> DraftState:
    """Read the draft once and compare it with the latest version (a few queries)."""
    snapshot = await draft_snapshot(db, meeting=meeting)
    latest = await latest_version(db, meeting=meeting)
    changes = changelog(latest.snapshot if latest else None, snapshot)
    return DraftState(
        snapshot=snapshot,
        warnings=find_conflicts(snapshot),
        latest=latest,
        pending=change_counts(changes),
    )
