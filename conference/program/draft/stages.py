"""Organizer operations on stages and tracks."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.program.draft.editing import commit_unique, owned
from conference.program.models import Meeting, Stage, Track
from conference.program.schemas import StageIn, StageUpdate, TrackIn, TrackUpdate, slugify


async def list_stages(db: AsyncSession, *, meeting: Meeting) -> Sequence[Stage]:
    return (
        await db.scalars(
            select(Stage).where(Stage.meeting_id == meeting.id).order_by(Stage.position, Stage.id)
        )
    ).all()


async def get_stage(db: AsyncSession, *, meeting: Meeting, stage_id: int) -> Stage:
    """One of the meeting's stages; 404 if it has none with this id."""
    return await owned(db, Stage, stage_id, meeting, "stage")


async def create_stage(db: AsyncSession, *, meeting: Meeting, data: StageIn) -> Stage:
    stage = Stage(
        meeting_id=meeting.id,
        name=data.name,
        slug=data.slug or slugify(data.name),
        room=data.room,
        position=data.position,
    )
    db.add(stage)
    await commit_unique(db, f'A stage with the slug "{stage.slug}" exists already.', "slug")
    return stage


async def update_stage(
    db: AsyncSession, *, meeting: Meeting, stage_id: int, data: StageUpdate
) -> Stage:
    stage = await owned(db, Stage, stage_id, meeting, "stage")
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(stage, key, value)
    await commit_unique(db, f'A stage with the slug "{stage.slug}" exists already.', "slug")
    return stage


async def delete_stage(db: AsyncSession, *, meeting: Meeting, stage_id: int) -> None:
    """Delete a stage; its sessions stay, without a stage (which the warnings then show)."""
    await db.delete(await owned(db, Stage, stage_id, meeting, "stage"))
    await db.commit()


async def list_tracks(db: AsyncSession, *, meeting: Meeting) -> Sequence[Track]:
    return (
        await db.scalars(
            select(Track).where(Track.meeting_id == meeting.id).order_by(Track.position, Track.id)
        )
    ).all()


async def get_track(db: AsyncSession, *, meeting: Meeting, track_id: int) -> Track:
    """One of the meeting's tracks; 404 if it has none with this id."""
    return await owned(db, Track, track_id, meeting, "track")


async def create_track(db: AsyncSession, *, meeting: Meeting, data: TrackIn) -> Track:
    track = Track(
        meeting_id=meeting.id,
        name=data.name,
        slug=data.slug or slugify(data.name),
        color=data.color,
        position=data.position,
    )
    db.add(track)
    await commit_unique(db, f'A track with the slug "{track.slug}" exists already.', "slug")
    return track


async def update_track(
    db: AsyncSession, *, meeting: Meeting, track_id: int, data: TrackUpdate
) -> Track:
    track = await owned(db, Track, track_id, meeting, "track")
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(track, key, value)
    await commit_unique(db, f'A track with the slug "{track.slug}" exists already.', "slug")
    return track


async def delete_track(db: AsyncSession, *, meeting: Meeting, track_id: int) -> None:
    await db.delete(await owned(db, Track, track_id, meeting, "track"))
    await db.commit()
