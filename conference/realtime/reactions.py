"""Reactions: a few emoji, tallied in memory and sent at most once a second per process.

The ``reaction`` action only counts (:meth:`Hub.react`); the hub's tick sends one
``reactions`` frame per channel with the summed counts, so a burst of clicks costs one
frame, not one per click.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from conference.errors import InvalidInput
from conference.realtime.hub import REACTIONS
from conference.realtime.polls_service import parse
from conference.realtime.protocol import channel_kind
from conference.realtime.registry import ActionContext, Realtime
from conference.realtime.schemas import Empty, ReactionCounts


class ReactionData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    emoji: Annotated[str, StringConstraints(max_length=16)]


async def react(action: ActionContext) -> Empty:
    data = parse(ReactionData, action.message.data)
    channel = action.message.channel
    # The gateway has already checked the subscription, hence the session's policy.
    if channel is None or channel_kind(channel)[0] != "session":
        raise InvalidInput("Reactions go to a session channel (session:<guid>).")
    if data.emoji not in REACTIONS:
        raise InvalidInput(f"emoji: one of {' '.join(REACTIONS)}.")
    action.hub.react(channel, data.emoji)
    return Empty()


def register(realtime: Realtime) -> None:
    """Add the ``reaction`` action and the ``reactions`` tallies to the gateway."""
    realtime.action("reaction", react, limit="reaction", ack=Empty)
    realtime.event("reactions", ReactionCounts, channel="session", durable=False)
