"""Stream keys: organizers issue them per stage, WHIP clients publish with them.

A key is 32 random bytes (URL-safe base64) shown once when issued; only its SHA-256 is
stored, with the first characters as a hint so organizers can tell keys apart. Revoking a
key refuses it from then on (a broadcast already live with it goes on until stopped).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import InvalidInput, NotFound
from conference.limits import MAX_SLUG_LENGTH
from conference.program.models import Stage
from conference.program.service import current_meeting
from streaming.models import StreamKey

HINT_LENGTH = 6
MAX_LABEL = 120
# A key is 43 characters; anything much longer is not one of ours (and is not hashed).
MAX_KEY_LENGTH = 100


def hash_key(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


async def find_stage(db: AsyncSession, *, slug: str) -> Stage:
    """The current meeting's stage with ``slug`` (404 if there is none)."""
    meeting = await current_meeting(db)
    stage = None
    if meeting is not None and len(slug) <= MAX_SLUG_LENGTH:
        stage = await db.scalar(
            select(Stage).where(Stage.meeting_id == meeting.id, Stage.slug == slug)
        )
    if stage is None:
        raise NotFound("There is no stage at this address.")
    return stage


async def issue_key(
    db: AsyncSession, *, stage: Stage, label: str, user: User | None
) -> tuple[StreamKey, str]:
    """A new key for ``stage``; returns the row and the plain key (never stored)."""
    label = label.strip()
    if len(label) > MAX_LABEL:
        raise InvalidInput(f"The label may be at most {MAX_LABEL} characters.", field="label")
    plain = secrets.token_urlsafe(32)
    key = StreamKey(
        stage_id=stage.id,
        label=label,
        key_hash=hash_key(plain),
        hint=plain[:HINT_LENGTH],
        created_by_id=user.id if user else None,
        created_at=utcnow(),
    )
    db.add(key)
    await db.commit()
    return key, plain


async def list_keys(db: AsyncSession, *, stage: Stage) -> Sequence[StreamKey]:
    """The stage's keys, revoked ones included, oldest first."""
    return (
        await db.scalars(
            select(StreamKey).where(StreamKey.stage_id == stage.id).order_by(StreamKey.id)
        )
    ).all()


async def revoke_key(db: AsyncSession, *, stage: Stage, key_id: int) -> StreamKey:
    """Refuse the key from now on (revoking twice is harmless)."""
    key = await db.get(StreamKey, key_id)
    if key is None or key.stage_id != stage.id:
        raise NotFound("This stage has no such stream key.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await db.commit()
    return key


async def valid_key(db: AsyncSession, *, stage: Stage, plain: str) -> StreamKey | None:
    """The unrevoked key of ``stage`` whose plain text is ``plain``, if any."""
    if not plain or len(plain) > MAX_KEY_LENGTH:
        return None
    key = await db.scalar(select(StreamKey).where(StreamKey.key_hash == hash_key(plain)))
    if key is None or key.stage_id != stage.id or key.revoked_at is not None:
        return None
    return key
