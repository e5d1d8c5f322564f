"""Commit, then publish: a durable event reaches the hub only once its change is stored."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from conference.db.engine import Database
from conference.realtime import events
from conference.realtime.backends import MemoryBackend
from conference.realtime.durable import commit_and_publish
from conference.realtime.hub import Hub
from conference.realtime.models import ChannelEvent
from conference.realtime.schemas import AnnouncementEnded
from conference.settings import Settings

CHANNEL = "meeting"
ENDED = "announcement.ended"


class WatchingHub(Hub):
    """A hub that notes, for each publish, whether another session can read the event yet
    (so whether it was committed), and can be made to fail."""

    def __init__(self, database: Database) -> None:
        super().__init__(MemoryBackend())
        self.database = database
        self.seen: list[tuple[int | None, bool]] = []
        self.failing = False

    async def publish(self, channel: str, frame: str, *, event_id: int | None = None) -> None:
        async with self.database.session() as other:
            stored = await other.get(ChannelEvent, event_id)
        self.seen.append((event_id, stored is not None))
        if self.failing:
            raise ConnectionError("the hub's backend is down")
        await super().publish(channel, frame, event_id=event_id)


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    found = Database(settings.database_url)
    try:
        yield found
    finally:
        await found.dispose()


async def _stored_ids(database: Database) -> list[int]:
    async with database.session() as db:
        return list(await db.scalars(select(ChannelEvent.id).order_by(ChannelEvent.id)))


async def test_events_are_published_after_the_commit_in_id_order(database: Database) -> None:
    hub = WatchingHub(database)
    async with database.session() as db:
        first = await events.record(
            db, channel=CHANNEL, type=ENDED, data=AnnouncementEnded(announcement_id=1)
        )
        second = await events.record(
            db, channel=CHANNEL, type=ENDED, data=AnnouncementEnded(announcement_id=2)
        )
        # Handed over out of order: they still go out oldest first.
        await commit_and_publish(db, hub, [second, first])
    assert hub.seen == [(first.id, True), (second.id, True)]
    assert await _stored_ids(database) == [first.id, second.id]


async def test_a_failed_commit_publishes_nothing(database: Database) -> None:
    hub = WatchingHub(database)

    def refuse(session: Session) -> None:
        raise RuntimeError("the commit fails")

    async with database.session() as db:
        stored = await events.record(
            db, channel=CHANNEL, type=ENDED, data=AnnouncementEnded(announcement_id=1)
        )
        event.listen(db.sync_session, "before_commit", refuse)
        with pytest.raises(RuntimeError, match="the commit fails"):
            await commit_and_publish(db, hub, [stored])
        await db.rollback()
    assert hub.seen == []
    assert await _stored_ids(database) == []


async def test_a_hub_failure_after_the_commit_is_logged_and_stops_the_rest(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    hub = WatchingHub(database)
    hub.failing = True
    async with database.session() as db:
        first = await events.record(
            db, channel=CHANNEL, type=ENDED, data=AnnouncementEnded(announcement_id=1)
        )
        second = await events.record(
            db, channel=CHANNEL, type=ENDED, data=AnnouncementEnded(announcement_id=2)
        )
        with caplog.at_level(logging.WARNING, logger="conference.realtime.durable"):
            await commit_and_publish(db, hub, [first, second])
    # Stored (a client resuming with since gets both); the second was not published ahead
    # of the first, which a client would then never be sent.
    assert await _stored_ids(database) == [first.id, second.id]
    assert hub.seen == [(first.id, True)]
    [record] = caplog.records
    assert record.getMessage().startswith(
        f"event {first.id} (announcement.ended on meeting) and the 1 after it are stored "
        "but were not published"
    )
