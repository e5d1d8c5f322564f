"""The demo meeting's posters: read from :mod:`posters.demo.data`, each with a made-up PDF.

``conference demo`` runs :func:`poster_seeder`'s seeder after the program is published, so
every poster sits in one of the program's poster sessions (board P1xx in poster session 1,
P2xx in session 2, and so on). A poster is matched by its board number: one that exists is
left as it is (an organizer or presenter may have edited it), so seeding again adds nothing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.extensions import DemoSeeder
from conference.jobs.kinds import JobKinds
from conference.jobs.models import JobPriority
from conference.program.demo import data as program_data
from conference.program.demo.meeting import DEMO_SLUG
from conference.program.demo.program import demo_guid, parse_listing
from conference.program.models import Meeting, SessionType
from posters.demo.listing import DemoPoster, parse_posters
from posters.demo.pdf import PosterSheet, render_poster
from posters.models import Poster, PosterState
from posters.schemas import PosterIn
from posters.service import write_poster
from posters.tiles.pdfs import save_pdf


def poster_in(poster: DemoPoster, session_guid: str | None) -> PosterIn:
    """The poster as organizers would create it; the speaker account presents Sam's."""
    return PosterIn.model_validate(
        {
            "board": poster.board,
            "title": poster.title,
            "abstract": poster.abstract,
            "authors": [
                {
                    "name": a.name,
                    "affiliation": a.affiliation,
                    "presenting": a.presenting,
                    "email": program_data.SPEAKER_EMAIL if a.name == program_data.SAM else "",
                }
                for a in poster.authors
            ],
            "topic": poster.topic,
            "keywords": poster.keywords,
            "session_guid": session_guid,
            "doi": poster.doi,
            "links": [{"label": label, "url": url} for label, url in poster.links],
            "state": poster.state,
        }
    )


def poster_sessions() -> list[tuple[str, str]]:
    """(GUID, title) of the demo program's poster sessions, in program order."""
    return [
        (demo_guid("session", spec.key), spec.title)
        for spec in parse_listing()
        if spec.kind is SessionType.poster_session
    ]


def poster_seeder(var_dir: Path, jobs: JobKinds) -> DemoSeeder:
    """The demo seeder for posters, keeping their PDFs under ``var_dir`` and queueing
    their tiles on ``jobs``."""

    async def seed(db: AsyncSession, base_url: str) -> list[str]:
        return await seed_posters(db, var_dir=var_dir, base_url=base_url, jobs=jobs)

    return seed


async def seed_posters(
    db: AsyncSession, *, var_dir: Path, base_url: str, jobs: JobKinds
) -> list[str]:
    """Create the demo posters that are missing (by board) with their PDFs."""
    meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
    if meeting is None:
        return []
    posters = parse_posters()
    sessions = poster_sessions()
    taken = set(await db.scalars(select(Poster.board).where(Poster.meeting_id == meeting.id)))
    missing = [p for p in posters if p.board not in taken]
    sheets = [
        PosterSheet(
            poster=p,
            meeting_name=meeting.name,
            session_title=sessions[p.session_number - 1][1],
        )
        for p in missing
    ]
    # Drawing is CPU work in pure Python; off the event loop, all in one go.
    pdfs = await asyncio.to_thread(lambda: [render_poster(sheet) for sheet in sheets])
    for demo_poster, pdf in zip(missing, pdfs, strict=True):
        poster = Poster(meeting_id=meeting.id, authors=[], keywords=[])
        db.add(poster)
        guid = sessions[demo_poster.session_number - 1][0]
        await write_poster(db, poster, poster_in(demo_poster, guid).model_dump())
        await db.flush()
        await store_pdf(db, var_dir=var_dir, poster=poster, data=pdf, jobs=jobs)
    await db.commit()
    published = sum(p.state == PosterState.published for p in posters)
    return [
        f"Posters: {len(posters)} ({published} published, {len(missing)} new this run), "
        f"gallery at {base_url}/posters"
    ]


async def store_pdf(
    db: AsyncSession, *, var_dir: Path, poster: Poster, data: bytes, jobs: JobKinds
) -> None:
    """The one place the demo hands a poster's PDF over (and so queues its tiles)."""
    await save_pdf(
        db, var_dir=var_dir, poster=poster, data=data, jobs=jobs, priority=JobPriority.bulk
    )
