"""Whether the presenter is at their poster during a live slot.

The ``poster:<id>`` channel counts viewers but does not say who they are. The presenter's
page says so itself: while a slot of the poster is on, it sends ``poster.presenter_here``
every :data:`HEARTBEAT_SECONDS`, and the server, having checked that the sender is the
poster's presenter and that a slot is live, publishes ``presenter.here`` with the instant
until which that holds. Viewers show "The presenter is here" until then, or until
``presenter.left`` (the presenter's page closing, or the slot's end). Both events are
ephemeral: nothing is stored, and no viewer learns who else is watching.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from conference.db.types import utcnow
from conference.errors import Forbidden, InvalidInput, NotFound
from conference.program.service import current_meeting
from conference.realtime.protocol import channel_kind, encode
from conference.realtime.registry import ActionContext, Realtime
from conference.realtime.schemas import Payload
from posters import service
from posters.models import Poster
from posters.slots import service as slots

HEARTBEAT_SECONDS = 15
# How long one heartbeat vouches for the presenter: two missed heartbeats and viewers stop
# showing them as here.
HERE_FOR = timedelta(seconds=40)


class PresenterHere(Payload):
    """The presenter is at poster ``poster_id`` until ``until`` (unless told otherwise)."""

    poster_id: int
    until: datetime
    # The end of the live slot the presenter is in.
    slot_ends_at: datetime


class PresenterLeft(Payload):
    """The presenter left poster ``poster_id`` (their page closed): stop showing them."""

    poster_id: int


async def _presenter_poster(action: ActionContext) -> tuple[str, Poster]:
    channel = action.message.channel
    # The gateway has already checked the subscription, hence the poster's policy.
    if channel is None or channel_kind(channel)[0] != "poster":
        raise InvalidInput("This goes to a poster channel (poster:<id>).")
    meeting = await current_meeting(action.db)
    if meeting is None:
        raise NotFound("There is no meeting.")
    poster = await service.load_poster(
        action.db, meeting_id=meeting.id, poster_id=int(channel_kind(channel)[1])
    )
    if poster is None:
        raise NotFound("There is no poster at this address.")
    if not service.is_presenter(poster, action.user):
        raise Forbidden("Only the poster's presenter says they are here.")
    return channel, poster


async def presenter_here(action: ActionContext) -> PresenterHere:
    """The presenter's heartbeat during a live slot; refused outside one."""
    channel, poster = await _presenter_poster(action)
    now = utcnow()
    slot = await slots.current_slot(action.db, poster_id=poster.id, now=now)
    if slot is None:
        raise Forbidden("The presenter is shown as here only during one of the poster's slots.")
    ends = slot.ends_at
    event = PresenterHere(poster_id=poster.id, until=min(now + HERE_FOR, ends), slot_ends_at=ends)
    # The "heartbeat" rate limit keeps this to one frame per 5 s per presenter after a burst.
    await action.hub.publish(channel, encode("presenter.here", channel=channel, data=event.wire()))
    return event


async def presenter_left(action: ActionContext) -> PresenterLeft:
    """The presenter's page is closing: viewers stop showing them as here."""
    channel, poster = await _presenter_poster(action)
    event = PresenterLeft(poster_id=poster.id)
    await action.hub.publish(channel, encode("presenter.left", channel=channel, data=event.wire()))
    return event


def register(realtime: Realtime) -> None:
    """The presenter's heartbeat and leaving actions and the events they publish."""
    realtime.action("poster.presenter_here", presenter_here, limit="heartbeat", ack=PresenterHere)
    realtime.action("poster.presenter_left", presenter_left, limit="heartbeat", ack=PresenterLeft)
    realtime.event("presenter.here", PresenterHere, channel="poster", durable=False)
    realtime.event("presenter.left", PresenterLeft, channel="poster", durable=False)
