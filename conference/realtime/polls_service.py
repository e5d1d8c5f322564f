"""Polls: the rules (who may create, open, close and vote) and the live results coalescer.

A poll is ``{poll_id, question, kind, status, options: [{option_id, label, votes}]}``
(docs/PROTOCOL.md). Votes are durable rows (:class:`PollVote`) with a counter per option
kept in the same transaction; the live ``poll.results`` frames are ephemeral and sent at
most once a second per poll by :class:`ResultsPublisher`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import AlreadyVoted, Conflict, InvalidInput, NotFound, NotOpen
from conference.limits import DbId, NoControlCharacters
from conference.realtime.models import Poll, PollKind, PollOption, PollStatus, PollVote
from conference.realtime.protocol import encode
from conference.realtime.schemas import PollOptionView, PollResults, PollView, PollWithChoices

if TYPE_CHECKING:
    from conference.context import AppContext

logger = logging.getLogger(__name__)

# Live results go out at most this often per poll (per process).
RESULTS_INTERVAL = 1.0

M = TypeVar("M", bound=BaseModel)
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoControlCharacters
]


class PollCreate(BaseModel):
    """``poll.create`` data."""

    model_config = ConfigDict(extra="forbid")

    question: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
        NoControlCharacters,
    ]
    kind: Literal["single", "multiple"] = "single"
    options: Annotated[list[Label], Field(min_length=2, max_length=10)]


class PollRef(BaseModel):
    """``poll.open`` / ``poll.close`` data."""

    model_config = ConfigDict(extra="forbid")

    poll_id: DbId


class PollBallot(PollRef):
    """``poll.vote`` data."""

    option_ids: Annotated[list[DbId], Field(max_length=10)]


def parse(model: type[M], data: dict[str, Any]) -> M:
    """Validate action data; a refusal names the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "data"
        raise InvalidInput(f"{where}: {first['msg']}") from None


def poll_view(poll: Poll) -> PollView:
    """A poll with its results so far."""
    return PollView(
        poll_id=poll.id,
        question=poll.question,
        kind=poll.kind,
        status=poll.status,
        options=[
            PollOptionView(option_id=option.id, label=option.label, votes=option.votes)
            for option in poll.options
        ],
    )


async def create_poll(db: AsyncSession, *, channel: str, user: User, data: PollCreate) -> Poll:
    """A draft poll in ``channel`` (flushed, not committed)."""
    poll = Poll(
        channel=channel,
        question=data.question,
        kind=PollKind(data.kind).value,
        status=PollStatus.draft.value,
        created_by_id=user.id,
        options=[PollOption(label=label, position=i) for i, label in enumerate(data.options)],
    )
    db.add(poll)
    await db.flush()
    return poll


async def lock_row(db: AsyncSession, model: Any, row_id: int) -> None:
    """Take the write lock on one row before reading it, on both databases.

    A no-op UPDATE locks the row on PostgreSQL (like ``FOR UPDATE``) and, on SQLite, begins
    the transaction as the one writer (the driver starts transactions only at the first
    write, so a check made by a plain SELECT first could race): the checks that follow
    see every committed change, and nobody else's can slip in before this commits.
    """
    await db.execute(
        update(model)
        .where(model.id == row_id)
        .values(id=model.id)
        .execution_options(synchronize_session=False)
    )


async def _locked_poll(db: AsyncSession, *, channel: str, poll_id: int) -> Poll:
    # Serialises open/close/vote on one poll: a vote never lands on a poll being closed,
    # and a user's two racing votes are seen one after the other.
    await lock_row(db, Poll, poll_id)
    poll = await db.scalar(select(Poll).where(Poll.id == poll_id, Poll.channel == channel))
    if poll is None:
        raise NotFound("There is no such poll in this session.")
    return poll


async def set_status(db: AsyncSession, *, channel: str, poll_id: int, status: PollStatus) -> Poll:
    """Open a draft poll or close an open one (flushed, not committed)."""
    poll = await _locked_poll(db, channel=channel, poll_id=poll_id)
    if status is PollStatus.open:
        if poll.status != PollStatus.draft.value:
            raise Conflict(f"The poll is {poll.status}: only a draft poll can be opened.")
        poll.opened_at = utcnow()
    else:
        if poll.status != PollStatus.open.value:
            raise Conflict(f"The poll is {poll.status}: only an open poll can be closed.")
        poll.closed_at = utcnow()
    poll.status = status.value
    await db.flush()
    return poll


async def vote(
    db: AsyncSession, *, channel: str, poll_id: int, user: User, option_ids: Sequence[int]
) -> Poll:
    """Record ``user``'s one vote on an open poll and count it (flushed, not committed)."""
    poll = await _locked_poll(db, channel=channel, poll_id=poll_id)
    if poll.status != PollStatus.open.value:
        raise NotOpen(f"The poll is {poll.status}: votes are taken only while it is open.")
    chosen = set(option_ids)
    if len(chosen) != len(option_ids):
        raise InvalidInput("option_ids: choose each option at most once.")
    if poll.kind == PollKind.single.value and len(chosen) != 1:
        raise InvalidInput("option_ids: this poll takes exactly one choice.")
    if not chosen:
        raise InvalidInput("option_ids: choose at least one option.")
    if not chosen <= {option.id for option in poll.options}:
        raise InvalidInput("option_ids: not an option of this poll.")
    already = await db.scalar(
        select(PollVote.id).where(PollVote.poll_id == poll.id, PollVote.user_id == user.id).limit(1)
    )
    if already is not None:
        raise AlreadyVoted("You have already voted in this poll.")
    db.add_all(PollVote(poll_id=poll.id, option_id=i, user_id=user.id) for i in sorted(chosen))
    try:
        await db.flush()
    except IntegrityError:
        # The same vote racing itself from a second connection (SQLite has no FOR UPDATE).
        raise AlreadyVoted("You have already voted in this poll.") from None
    # Counted in the database (votes = votes + 1), never read-modify-write in Python.
    await db.execute(
        update(PollOption)
        .where(PollOption.id.in_(chosen))
        .values(votes=PollOption.votes + 1)
        .execution_options(synchronize_session=False)
    )
    return poll


async def results(db: AsyncSession, poll_id: int) -> dict[str, Any]:
    """``poll.results`` data (:class:`PollResults`): votes per option and ``total``, the
    number of people who voted."""
    counts = {
        str(option_id): votes
        for option_id, votes in await db.execute(
            select(PollOption.id, PollOption.votes)
            .where(PollOption.poll_id == poll_id)
            .order_by(PollOption.position)
        )
    }
    total = await db.scalar(
        select(func.count(func.distinct(PollVote.user_id))).where(PollVote.poll_id == poll_id)
    )
    return PollResults(poll_id=poll_id, counts=counts, total=total or 0).wire()


async def session_polls(
    db: AsyncSession, *, channel: str, user: User, moderator: bool
) -> list[PollWithChoices]:
    """The session's polls, oldest first, each with the caller's own choices; drafts only
    for moderators."""
    query = select(Poll).where(Poll.channel == channel).order_by(Poll.id)
    if not moderator:
        query = query.where(Poll.status != PollStatus.draft.value)
    polls = (await db.scalars(query)).all()
    mine: dict[int, list[int]] = {}
    if polls:
        rows = await db.execute(
            select(PollVote.poll_id, PollVote.option_id)
            .where(PollVote.user_id == user.id, PollVote.poll_id.in_([p.id for p in polls]))
            .order_by(PollVote.option_id)
        )
        for poll_id, option_id in rows:
            mine.setdefault(poll_id, []).append(option_id)
    return [
        PollWithChoices(**dict(poll_view(poll)), my_option_ids=mine.get(poll.id, []))
        for poll in polls
    ]


class ResultsPublisher:
    """Coalesces votes into at most one ``poll.results`` frame per poll per second.

    A vote marks its poll dirty; the first mark schedules a flush (at once if the last
    one was over a second ago, else when the second is up) and later marks ride on it.
    The flush unmarks the poll *before* reading the counts, so a vote committed after the
    read schedules the next flush: no vote is ever left out of the final results.

    One per app: a part of its realtime registry (:func:`publisher`), started and closed
    by the app's lifespan.
    """

    def __init__(self) -> None:
        self._ctx: AppContext | None = None
        self._last: dict[int, float] = {}
        self._pending: dict[int, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, ctx: AppContext) -> None:
        self._ctx = ctx

    def touch(self, poll_id: int, channel: str) -> None:
        if poll_id in self._pending or self._ctx is None:  # None: the app is not serving
            return
        loop = asyncio.get_running_loop()
        delay = max(
            0.0, self._last.get(poll_id, -RESULTS_INTERVAL) + RESULTS_INTERVAL - loop.time()
        )
        self._pending[poll_id] = loop.call_later(delay, self._spawn, poll_id, channel)

    def _spawn(self, poll_id: int, channel: str) -> None:
        task = asyncio.create_task(self._flush(poll_id, channel), name=f"poll-results-{poll_id}")
        # Hold a reference until done: the loop keeps only weak ones.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(self, poll_id: int, channel: str) -> None:
        self._pending.pop(poll_id, None)
        self._last[poll_id] = asyncio.get_running_loop().time()
        ctx = self._ctx
        if ctx is None:
            return
        try:
            async with ctx.db.session() as db:
                data = await results(db, poll_id)
            await ctx.realtime.hub.publish(
                channel, encode("poll.results", channel=channel, data=data)
            )
        except Exception:  # a lost tally is repaired by the next vote or poll.closed
            logger.warning("poll results flush failed", exc_info=True)

    async def close(self) -> None:
        """Drop pending flushes and stop those running (the app is stopping: the durable
        counts stay, and ``poll.closed`` carries them)."""
        for handle in self._pending.values():
            handle.cancel()
        self._pending.clear()
        tasks = tuple(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._ctx = None


def publisher(ctx: AppContext) -> ResultsPublisher:
    """The app's results publisher."""
    return ctx.realtime.part(ResultsPublisher)
