"""Publishing: freeze the draft as a numbered version with its public changelog."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from conference.accounts.models import User
from conference.errors import Conflict
from conference.program.draft.conflicts import find_conflicts
from conference.program.models import Meeting, ProgramVersion
from conference.program.schemas import PublishIn, Warning
from conference.program.snapshot import changelog, draft_snapshot


async def draft_warnings(db: AsyncSession, *, meeting: Meeting) -> list[Warning]:
    """The conflicts in the current draft."""
    return find_conflicts(await draft_snapshot(db, meeting=meeting))


async def latest_version(db: AsyncSession, *, meeting: Meeting) -> ProgramVersion | None:
    return await db.scalar(
        select(ProgramVersion)
        .where(ProgramVersion.meeting_id == meeting.id)
        .order_by(ProgramVersion.number.desc())
        .limit(1)
    )


async def publish(
    db: AsyncSession, *, meeting: Meeting, user: User | None, request: PublishIn
) -> tuple[ProgramVersion, list[Warning]]:
    """Publish the draft as the next version.

    With warnings outstanding the organizer must confirm; without confirmation nothing is
    published and :class:`Conflict` names how many warnings there are.
    """
    snapshot = await draft_snapshot(db, meeting=meeting)
    warnings = find_conflicts(snapshot)
    if warnings and not request.confirm_warnings:
        raise Conflict(
            f"The draft program has {len(warnings)} warning(s). Review them, then publish "
            "again with confirm_warnings to publish anyway.",
            field="confirm_warnings",
        )
    previous = await latest_version(db, meeting=meeting)
    version = ProgramVersion(
        meeting_id=meeting.id,
        number=(previous.number + 1) if previous else 1,
        published_by_id=user.id if user else None,
        note=request.note,
        snapshot=snapshot,
        changelog=changelog(previous.snapshot if previous else None, snapshot),
    )
    db.add(version)
    try:
        await db.commit()
    except IntegrityError as exc:  # two organizers published at the same moment
        await db.rollback()
        raise Conflict("Another version was published meanwhile; publish again.") from exc
    return version, warnings


async def list_versions(db: AsyncSession, *, meeting: Meeting) -> Sequence[ProgramVersion]:
    """Published versions, newest first, without their (large) snapshots."""
    return (
        await db.scalars(
            select(ProgramVersion)
            .where(ProgramVersion.meeting_id == meeting.id)
            .options(defer(ProgramVersion.snapshot))
            .order_by(ProgramVersion.number.desc())
        )
    ).all()
