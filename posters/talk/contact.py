"""“Contact the author”: an attendee's message relayed by email to a poster's presenter.

Neither address is revealed: the presenter's address is used by the platform only, and
the mail gives the sender's name, not their address, unless the sender ticks "share my
email address" (then it is written in the message, for the presenter to answer
directly). Without it the presenter answers in public, in the poster's comments, whose
address the mail gives. The platform keeps that a message was sent (who, which poster,
when) to count the limits, never its text.

Limits: :data:`SENDER_PER_HOUR` messages per sender across all posters, and
:data:`POSTER_PER_HOUR` per poster from everyone, so no one floods a presenter.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import Conflict, InvalidInput, NotFound, Throttled
from conference.mail import Outgoing
from conference.realtime.chat_service import clean_text
from posters.models import Poster, PosterState
from posters.talk.models import PosterContact
from posters.talk.schemas import MAX_CONTACT

MAX_BODY = MAX_CONTACT
SENDER_PER_HOUR = 5
POSTER_PER_HOUR = 20
WINDOW = timedelta(hours=1)


async def _check_limit(
    db: AsyncSession,
    *,
    column: InstrumentedAttribute[int],
    value: int,
    limit: int,
    now: datetime,
    what: str,
) -> None:
    since = now - WINDOW
    where = (column == value, PosterContact.created_at > since)
    count = await db.scalar(select(func.count()).select_from(PosterContact).where(*where))
    if (count or 0) >= limit:
        oldest = await db.scalar(select(func.min(PosterContact.created_at)).where(*where))
        wait = (oldest + WINDOW - now).total_seconds() if oldest is not None else 3600
        raise Throttled(what, retry_after=max(1, int(wait) + 1))


async def relay(
    db: AsyncSession,
    *,
    poster: Poster,
    sender: User,
    body: str,
    share_email: bool,
    site_name: str,
    base_url: str,
) -> Outgoing:
    """Record the message and return the mail to send once committed."""
    text = clean_text(body, limit=MAX_BODY, what="Message")
    if poster.state != PosterState.published:
        raise NotFound("Only published posters can be asked about.")
    if poster.presenter_id is None:
        raise Conflict(
            "This poster's presenting author has no account here, so no message can be "
            "relayed. Ask in the poster's comments instead."
        )
    if poster.presenter_id == sender.id:
        raise InvalidInput("You present this poster: there is no one to relay to.", field="body")
    presenter = await db.get(User, poster.presenter_id)
    if presenter is None:
        raise Conflict("This poster's presenter can no longer be reached.")
    now = utcnow()
    await _check_limit(
        db,
        column=PosterContact.sender_id,
        value=sender.id,
        limit=SENDER_PER_HOUR,
        now=now,
        what=f"You have sent {SENDER_PER_HOUR} messages to authors this hour: try later.",
    )
    await _check_limit(
        db,
        column=PosterContact.poster_id,
        value=poster.id,
        limit=POSTER_PER_HOUR,
        now=now,
        what="This presenter has received many messages this hour: try later.",
    )
    db.add(PosterContact(poster_id=poster.id, sender_id=sender.id, created_at=now))
    await db.flush()
    page = f"{base_url}/posters/{poster.id}"
    if share_email:
        answer = f"{sender.name} shared their email address so that you can reply: {sender.email}"
    else:
        answer = (
            f"{sender.name} chose not to share their email address, and yours was not shown "
            f"to them. You can answer in your poster's comments: {page}"
        )
    mail = (
        f"Hello {presenter.name},\n\n"
        f"{sender.name}, an attendee of {site_name}, sent you this message about your "
        f"poster on board {poster.board}, “{poster.title}”:\n\n"
        f"{text}\n\n"
        f"{answer}\n\n"
        f"This message was relayed by {site_name}; do not reply to this email.\n"
    )
    return Outgoing(
        to=presenter.email,
        subject=f"{site_name}: a message about your poster {poster.board}",
        text=mail,
    )
