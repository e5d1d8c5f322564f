"""Reading the meeting and its committees."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from conference.program.models import Committee, CommitteeMember, Meeting


async def current_meeting(db: AsyncSession, *, with_committees: bool = False) -> Meeting | None:
    """The meeting this site is running: the latest one by start date."""
    statement = select(Meeting).order_by(Meeting.starts_on.desc(), Meeting.id.desc()).limit(1)
    if with_committees:
        statement = statement.options(
            selectinload(Meeting.committee_members).joinedload(CommitteeMember.person)
        )
    return await db.scalar(statement)


def committees(meeting: Meeting) -> dict[Committee, list[CommitteeMember]]:
    """Committee members grouped by committee, chairs first, then in their listed order."""
    grouped: dict[Committee, list[CommitteeMember]] = {c: [] for c in Committee}
    for member in meeting.committee_members:
        grouped[Committee(member.committee)].append(member)
    for members in grouped.values():
        members.sort(key=lambda m: (0 if "chair" in m.role.lower() else 1, m.position))
    return grouped
