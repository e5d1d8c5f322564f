"""Channel kinds: registered by the packages that own them, checked in every envelope.

The core names no channel: the app's registry (conference.realtime.registry) composes the
envelope's channel check from the kinds registered, and a subscribe asks the kind's
policy. What clients see is what they saw when the names were fixed in protocol.py.
"""

from __future__ import annotations

import json
import re

import pytest
from fastapi import FastAPI
from pydantic import ValidationError

from conference.accounts.models import Role, User
from conference.context import AppContext
from conference.realtime.backends import MemoryBackend
from conference.realtime.gateway import _describe
from conference.realtime.hub import Hub
from conference.realtime.protocol import parse_client_frame
from conference.realtime.registry import Realtime
from conference.realtime.schemas import ChatDeleted, ChatMessageEvent
from tests.factories import UserFactory

# The channels a client could name before kinds were registered (protocol.py, 2021).
FORMER_PATTERN = re.compile(
    r"^(meeting|session:[0-9a-f-]{36}|moderation:[0-9a-f-]{36}|poster:[0-9]{1,10}|booth:[0-9]{1,10}"
    r"|trivia:[a-z0-9-]{1,64}|stage:[a-z0-9-]{1,64}|user:[0-9]{1,10})$"
)
GUID = "00000000-0000-0000-0000-000000000000"
CHANNELS = [
    "meeting",
    "meeting:",
    "meeting:1",
    "meeting\n",
    f"session:{GUID}",
    f"session:{GUID[:-1]}",
    f"session:{GUID}0",
    f"moderation:{GUID}",
    "moderation:abc",
    "user:1",
    "user:9999999999",
    "user:99999999999",
    "user:-1",
    "stage:main-stage",
    "stage:Main",
    "stage:" + "a" * 64,
    "stage:" + "a" * 65,
    "poster:99999",
    "poster:abc",
    "booth:1",
    "booth:",
    "trivia:final",
    "trivia:FINAL",
    "control:accounts",
    "nowhere",
    "nowhere:1",
    "",
    ":",
    "session",
]


def frame(channel: str) -> str:
    return json.dumps({"type": "subscribe", "channel": channel, "ref": "s"})


def refusal(text: str, realtime: Realtime) -> str | None:
    """What the gateway answers a frame that does not parse (None: it parses)."""
    try:
        parse_client_frame(text, channels=realtime.channel_pattern)
    except ValidationError as exc:
        return _describe(exc)
    return None


def test_the_app_accepts_exactly_the_channels_it_always_accepted(app: FastAPI) -> None:
    realtime: Realtime = app.state.ctx.realtime
    for channel in CHANNELS:
        accepted = refusal(frame(channel), realtime) is None
        assert accepted == bool(FORMER_PATTERN.fullmatch(channel)), channel
    pattern = realtime.channel_pattern.pattern
    assert (
        refusal(frame("nowhere"), realtime) == f"channel: String should match pattern '{pattern}'"
    )
    # Other fields are still checked in the same order: the channel's error comes first.
    both = json.dumps({"type": "subscribe", "channel": "nowhere", "since": -1})
    assert refusal(both, realtime) == f"channel: String should match pattern '{pattern}'"
    assert refusal(json.dumps({"type": "subscribe", "channel": 5}), realtime) == (
        "channel: Input should be a valid string"
    )


async def test_reserved_kinds_refuse_everyone_and_registered_ones_ask_their_policy(
    app: FastAPI, users: UserFactory
) -> None:
    ctx: AppContext = app.state.ctx
    organizer = await users.create(Role.organizer, Role.admin)
    async with ctx.db.session() as db:
        user = await db.get(User, organizer.id)
        assert user is not None
        for channel in ("poster:1", "booth:1", "trivia:final", "nowhere:1"):
            assert await ctx.realtime.may_subscribe(ctx, db, user, channel) is False, channel
        assert await ctx.realtime.may_subscribe(ctx, db, user, "meeting") is True
        assert await ctx.realtime.may_subscribe(ctx, db, user, f"user:{user.id}") is True
        assert await ctx.realtime.may_subscribe(ctx, db, user, f"user:{user.id + 1}") is False
    assert ctx.realtime.hub.presence_kinds == {"poster", "session", "stage"}


def test_a_package_adds_its_kind_without_the_core_knowing_it() -> None:
    realtime = Realtime(hub=Hub(MemoryBackend()))
    assert refusal(frame("meeting"), realtime) is not None  # nothing registered: nothing goes

    async def everyone(*_: object) -> bool:
        return True

    realtime.channel("meeting", argument=None, policy=everyone)
    realtime.channel("poster", argument="[0-9]{1,10}", policy=everyone, presence=True)
    assert realtime.channel_pattern.pattern == "^(meeting|poster:[0-9]{1,10})$"
    assert refusal(frame("poster:12"), realtime) is None
    assert refusal(frame("poster:x"), realtime) is not None
    assert refusal(frame("booth:1"), realtime) is not None
    assert realtime.hub.presence_kinds == {"poster"}


@pytest.mark.parametrize(
    ("name", "argument", "complaint"),
    [
        ("poster", "[0-9]+", "already registered"),
        ("control", None, "cannot name a channel kind"),
        ("Poster", None, "cannot name a channel kind"),
        ("with:colon", None, "cannot name a channel kind"),
        ("stand", "[0-9]+|x", "one alternative"),
        ("stand", "[0-9", "unterminated character set"),
    ],
)
def test_refused_registrations(name: str, argument: str | None, complaint: str) -> None:
    realtime = Realtime(hub=Hub(MemoryBackend()))
    realtime.channel("poster", argument="[0-9]{1,10}", policy=None)
    with pytest.raises((ValueError, re.error), match=complaint):
        realtime.channel(name, argument=argument, policy=None)
    assert list(realtime.channels) == ["poster"]


def test_a_package_sends_a_core_event_on_its_own_kind_with_the_same_model() -> None:
    realtime = Realtime(hub=Hub(MemoryBackend()))
    realtime.event("chat.message", ChatMessageEvent, channel="session", durable=True)
    realtime.event("chat.message", ChatMessageEvent, channel="poster", durable=True)
    realtime.event("chat.message", ChatMessageEvent, channel="poster", durable=True)
    assert realtime.events["chat.message"].channel == "session, poster"
    # Another shape under a taken name is a mistake, not an override.
    with pytest.raises(ValueError, match="another shape"):
        realtime.event("chat.message", ChatDeleted, channel="booth", durable=True)
    with pytest.raises(ValueError, match="another shape"):
        realtime.event("chat.message", ChatMessageEvent, channel="booth", durable=False)
    assert realtime.events["chat.message"].channel == "session, poster"
