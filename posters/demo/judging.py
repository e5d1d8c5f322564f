"""The demo's judging: judge@demo.test is assigned a few published posters (one per topic,
none it has a conflict of interest with) and has scored the first two, with judging open,
so an organizer sees a ranking at once and the judge has posters left to score.

It runs after the posters are seeded. The judge's assignments are made once: when the
judge already has any (or an organizer took them all away and assigned others), seeding
again adds nothing; an organizer who closed judging finds it closed still.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from conference.accounts.service import get_user_by_email
from conference.demo import JUDGE_EMAIL
from conference.program.demo.meeting import DEMO_SLUG
from conference.program.demo.program import ORGANIZER_EMAIL
from conference.program.models import Meeting
from posters.judging import service as judging
from posters.judging.models import JudgeAssignment, JudgingSettings
from posters.judging.schemas import ScoreIn
from posters.models import Poster, PosterState

JUDGED_POSTERS = 6
# The judge's scores of its first posters (content, clarity, design, presentation, comment).
SCORES = (
    ScoreIn(
        content=5,
        clarity=4,
        design=4,
        presentation=5,
        comment="Convincing genetics; the dose-response panel deserves a larger font.",
    ),
    ScoreIn(
        content=3,
        clarity=4,
        design=3,
        presentation=4,
        comment="Clear question, but n = 3 per group is thin for the main claim.",
    ),
)


async def seed_judging(db: AsyncSession, base_url: str) -> list[str]:
    """Assign the demo judge its posters and scores (once), and open judging if it was
    never set."""
    meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
    judge = await get_user_by_email(db, email=JUDGE_EMAIL)
    organizer = await get_user_by_email(db, email=ORGANIZER_EMAIL)
    if meeting is None or judge is None or organizer is None:
        return []
    if await db.get(JudgingSettings, meeting.id) is None:
        await judging.set_judging_open(db, meeting_id=meeting.id, actor=organizer, is_open=True)
    held = await db.scalar(
        select(func.count())
        .select_from(JudgeAssignment)
        .where(JudgeAssignment.meeting_id == meeting.id, JudgeAssignment.judge_id == judge.id)
    )
    if not held:
        posters = await db.scalars(
            select(Poster)
            .where(Poster.meeting_id == meeting.id, Poster.state == PosterState.published)
            .options(selectinload(Poster.authors))
            .order_by(Poster.board_order, Poster.board)
        )
        topics: set[str] = set()
        chosen: list[Poster] = []
        for poster in posters:
            if len(chosen) == JUDGED_POSTERS:
                break
            if poster.topic not in topics and judging.conflict_reason(poster, judge) is None:
                topics.add(poster.topic)
                chosen.append(poster)
        for poster in chosen:
            await judging.assign_judge(
                db, meeting_id=meeting.id, actor=organizer, poster_id=poster.id, judge_id=judge.id
            )
        for poster, score in zip(chosen, SCORES, strict=False):
            await judging.score_poster(
                db, meeting_id=meeting.id, poster_id=poster.id, judge=judge, data=score
            )
    await db.commit()
    mine = await judging.assignments_of(db, meeting_id=meeting.id, judge=judge)
    scored = sum(1 for assignment, _ in mine if assignment.scored)
    return [
        f"Judging: {JUDGE_EMAIL} judges {len(mine)} posters ({scored} scored) at "
        f"{base_url}/posters/judging; the ranking is at {base_url}/console/judging"
    ]
