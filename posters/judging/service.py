"""The rules of poster judging and awards.

Organizers assign judges (any active account) to posters, by hand or automatically
(``posters.judging.plan``), and open or close judging. A judge may not judge a poster one
of whose authors shares their affiliation, or that they wrote: a conflict of interest,
checked when the judge is assigned and again when they score (the authors may have
changed since). A judge sees and scores only their own assignments, while judging is
open. Organizers read the ranking and publish awards, which show on the poster and in the
gallery.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.db.unique import add_unless_taken
from conference.errors import Conflict, Forbidden, InvalidInput, NotFound
from posters.judging.models import CRITERIA, JudgeAssignment, JudgingSettings
from posters.judging.plan import Plan, PlanPoster, plan_assignments
from posters.judging.schemas import ScoreIn
from posters.models import Poster, PosterState
from posters.service import is_organizer

DELETED_JUDGE = "Deleted account"
_NOT_WORD = re.compile(r"[\W_]+")


def normalise_affiliation(text: str) -> str:
    """An affiliation for comparison: Unicode-normalised, case-folded, punctuation and
    runs of spaces made one space ("Karolinska  Institutet." = "karolinska institutet")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def conflict_reason(poster: Poster, judge: User) -> str | None:
    """Why ``judge`` may not judge ``poster`` (authors loaded), or None."""
    if poster.presenter_id == judge.id or any(a.user_id == judge.id for a in poster.authors):
        return f"{judge.name} is an author of poster {poster.board}."
    mine = normalise_affiliation(judge.affiliation)
    if not mine:
        return None
    for author in poster.authors:
        if normalise_affiliation(author.affiliation) == mine:
            return (
                f"Conflict of interest: {judge.name} shares an affiliation "
                f"({author.affiliation}) with {author.name}, an author of poster {poster.board}."
            )
    return None


def require_organizer(actor: User) -> None:
    if not is_organizer(actor):
        raise Forbidden("Only organizers manage judging.")


async def judging_open(db: AsyncSession, *, meeting_id: int) -> bool:
    """Whether judges may score now (open until the organizers close it)."""
    found = await db.get(JudgingSettings, meeting_id)
    return True if found is None else found.judging_open


async def set_judging_open(
    db: AsyncSession, *, meeting_id: int, actor: User, is_open: bool
) -> bool:
    """Open or close judging (organizers)."""
    require_organizer(actor)
    found = await db.get(JudgingSettings, meeting_id)
    if found is None:
        made = JudgingSettings(meeting_id=meeting_id, judging_open=is_open)
        if await add_unless_taken(db, made):
            return is_open
        # Another organizer's first switch made the row meanwhile: set it as asked (the
        # later of two switches wins, as it would have a moment later).
        found = await db.get(JudgingSettings, meeting_id, populate_existing=True)
        if found is None:
            raise Conflict("The judging settings changed meanwhile: try again.")
    found.judging_open = is_open
    await db.flush()
    return is_open


async def judged_poster(db: AsyncSession, *, meeting_id: int, poster_id: int) -> Poster:
    poster = await db.scalar(
        select(Poster)
        .where(Poster.id == poster_id, Poster.meeting_id == meeting_id)
        .options(selectinload(Poster.authors))
    )
    if poster is None or poster.state == PosterState.withdrawn:
        raise NotFound("There is no poster at this address.")
    return poster


async def _judge(db: AsyncSession, *, judge_id: int) -> User:
    judge = await db.get(User, judge_id)
    if judge is None or not judge.is_active:
        raise NotFound("There is no account with this number.")
    return judge


async def _assignment(db: AsyncSession, *, poster_id: int, judge_id: int) -> JudgeAssignment | None:
    found: JudgeAssignment | None = await db.scalar(
        select(JudgeAssignment).where(
            JudgeAssignment.poster_id == poster_id, JudgeAssignment.judge_id == judge_id
        )
    )
    return found


async def assign_judge(
    db: AsyncSession, *, meeting_id: int, actor: User, poster_id: int, judge_id: int
) -> tuple[JudgeAssignment, bool]:
    """Assign a judge to a poster (organizers); the assignment and whether it is new.
    Conflict when the judge has a conflict of interest with the poster."""
    require_organizer(actor)
    poster = await judged_poster(db, meeting_id=meeting_id, poster_id=poster_id)
    judge = await _judge(db, judge_id=judge_id)
    reason = conflict_reason(poster, judge)
    if reason:
        raise Conflict(reason)
    found = await _assignment(db, poster_id=poster.id, judge_id=judge.id)
    if found is not None:
        return found, False
    assignment = JudgeAssignment(meeting_id=meeting_id, poster_id=poster.id, judge_id=judge.id)
    if await add_unless_taken(db, assignment):
        return assignment, True
    # A concurrent request assigned the same judge: the same outcome, not an error.
    found = await _assignment(db, poster_id=poster.id, judge_id=judge.id)
    if found is None:
        # Refused for another reason (the poster or the account went meanwhile).
        raise Conflict("The poster or the judge changed meanwhile: try again.")
    return found, False


async def unassign_judge(
    db: AsyncSession, *, meeting_id: int, actor: User, poster_id: int, judge_id: int
) -> None:
    """Take a judge off a poster (organizers); their score of it goes with it."""
    require_organizer(actor)
    found = await db.scalar(
        select(JudgeAssignment).where(
            JudgeAssignment.meeting_id == meeting_id,
            JudgeAssignment.poster_id == poster_id,
            JudgeAssignment.judge_id == judge_id,
        )
    )
    if found is None:
        raise NotFound("This judge is not assigned to this poster.")
    await db.delete(found)
    await db.flush()


@dataclass(frozen=True)
class AutoResult:
    created: int
    unfilled: dict[str, int]
    loads: dict[int, int]


async def auto_assign(
    db: AsyncSession, *, meeting_id: int, actor: User, judge_ids: Sequence[int], per_poster: int
) -> AutoResult:
    """Give every published poster ``per_poster`` judges from ``judge_ids``, evenly and
    by topic (see ``posters.judging.plan``); pairs with a conflict of interest are skipped."""
    require_organizer(actor)
    if not 1 <= per_poster <= len(set(judge_ids)):
        raise InvalidInput(
            "Each poster needs between one judge and as many judges as are listed.",
            field="per_poster",
        )
    judges = {u.id: u for u in await db.scalars(select(User).where(User.id.in_(set(judge_ids))))}
    unknown = [j for j in judge_ids if j not in judges or not judges[j].is_active]
    if unknown:
        raise InvalidInput(f"There is no account number {unknown[0]}.", field="judge_ids")
    posters = list(
        await db.scalars(
            select(Poster)
            .where(Poster.meeting_id == meeting_id, Poster.state == PosterState.published)
            .options(selectinload(Poster.authors))
        )
    )
    by_id = {p.id: p for p in posters}
    rows = await db.execute(
        select(JudgeAssignment.judge_id, JudgeAssignment.poster_id).where(
            JudgeAssignment.meeting_id == meeting_id, JudgeAssignment.judge_id.is_not(None)
        )
    )
    held: dict[int, set[int]] = {}
    for judge_id, poster_id in rows:
        if judge_id is not None:
            held.setdefault(judge_id, set()).add(poster_id)
    order = sorted(judges)
    plan: Plan = plan_assignments(
        posters=[PlanPoster(p.id, p.topic, p.board_order, p.board) for p in posters],
        judges=order,
        per_poster=per_poster,
        existing={j: frozenset(held.get(j, set()) & by_id.keys()) for j in order},
        conflict=lambda j, p: conflict_reason(by_id[p], judges[j]) is not None,
    )
    made = [
        JudgeAssignment(meeting_id=meeting_id, poster_id=poster_id, judge_id=judge_id)
        for judge_id, poster_id in plan.pairs
    ]
    # The plan spreads the load from the assignments read above: if another request
    # assigned one of these pairs since, the plan is stale. None of it is written then.
    if not await add_unless_taken(db, *made):
        raise Conflict("The assignments changed while these were being planned: try again.")
    for judge_id, poster_id in plan.pairs:
        held.setdefault(judge_id, set()).add(poster_id)
    return AutoResult(
        created=len(plan.pairs),
        unfilled={by_id[p].board: n for p, n in plan.unfilled.items()},
        loads={j: len(held.get(j, set())) for j in order},
    )


async def assignments_of(
    db: AsyncSession, *, meeting_id: int, judge: User
) -> list[tuple[JudgeAssignment, Poster]]:
    """A judge's own assignments with their posters, by board (withdrawn posters left out)."""
    rows = await db.execute(
        select(JudgeAssignment, Poster)
        .join(Poster, Poster.id == JudgeAssignment.poster_id)
        .where(
            JudgeAssignment.meeting_id == meeting_id,
            JudgeAssignment.judge_id == judge.id,
            Poster.state != PosterState.withdrawn,
        )
        .order_by(Poster.board_order, Poster.board, Poster.id)
    )
    return [(a, p) for a, p in rows]


async def assignment_count(db: AsyncSession, *, meeting_id: int, judge: User) -> int:
    """How many posters the judge is assigned (for the home page's pointer)."""
    found = await db.scalar(
        select(func.count())
        .select_from(JudgeAssignment)
        .where(JudgeAssignment.meeting_id == meeting_id, JudgeAssignment.judge_id == judge.id)
    )
    return int(found or 0)


async def my_assignment(
    db: AsyncSession, *, meeting_id: int, poster_id: int, judge: User
) -> tuple[JudgeAssignment, Poster]:
    """The judge's assignment to this poster; Forbidden when they are not its judge."""
    poster = await judged_poster(db, meeting_id=meeting_id, poster_id=poster_id)
    found = await _assignment(db, poster_id=poster.id, judge_id=judge.id)
    if found is None:
        raise Forbidden("You are not a judge of this poster.")
    return found, poster


async def score_poster(
    db: AsyncSession, *, meeting_id: int, poster_id: int, judge: User, data: ScoreIn
) -> JudgeAssignment:
    """Record (or change) a judge's score of a poster they are assigned to, while judging
    is open and no conflict of interest has appeared since they were assigned."""
    assignment, poster = await my_assignment(
        db, meeting_id=meeting_id, poster_id=poster_id, judge=judge
    )
    if not await judging_open(db, meeting_id=meeting_id):
        raise Conflict("Judging is closed: scores can no longer be changed.")
    reason = conflict_reason(poster, judge)
    if reason:
        raise Conflict(reason + " Ask the organizers to reassign this poster.")
    try:
        async with db.begin_nested():
            for name in CRITERIA:
                setattr(assignment, name, getattr(data, name))
            assignment.comment = data.comment.strip()
            assignment.scored_at = utcnow()
    except StaleDataError:
        # An organizer took the judge off the poster since it was read above.
        raise Forbidden("You are not a judge of this poster.") from None
    return assignment


@dataclass(frozen=True)
class JudgeLine:
    judge_id: int | None
    judge_name: str
    assignment: JudgeAssignment


@dataclass(frozen=True)
class RankingRow:
    rank: int | None
    poster: Poster
    mean: Fraction | None
    judges: list[JudgeLine]

    @property
    def scores(self) -> int:
        return sum(1 for line in self.judges if line.assignment.scored)

    @property
    def mean_total(self) -> float | None:
        return None if self.mean is None else round(float(self.mean), 2)


async def all_assignments(
    db: AsyncSession, *, meeting_id: int
) -> list[tuple[JudgeAssignment, Poster, User | None]]:
    """Every assignment of the meeting with its poster and judge, by board then judge."""
    rows = await db.execute(
        select(JudgeAssignment, Poster, User)
        .join(Poster, Poster.id == JudgeAssignment.poster_id)
        .outerjoin(User, User.id == JudgeAssignment.judge_id)
        .where(JudgeAssignment.meeting_id == meeting_id)
        .order_by(Poster.board_order, Poster.board, Poster.id, JudgeAssignment.id)
    )
    return [(a, p, u) for a, p, u in rows]


async def ranking(db: AsyncSession, *, meeting_id: int, actor: User) -> list[RankingRow]:
    """Posters with judges, best mean total first (organizers).

    The mean is exact (a fraction), so ties are real ties: tied posters share a rank and
    are listed by board number; posters not scored yet come last, unranked."""
    require_organizer(actor)
    grouped: dict[int, tuple[Poster, list[JudgeLine]]] = {}
    for assignment, poster, user in await all_assignments(db, meeting_id=meeting_id):
        if poster.state == PosterState.withdrawn:
            continue
        name = user.name if user is not None else DELETED_JUDGE
        line = JudgeLine(assignment.judge_id, name, assignment)
        grouped.setdefault(poster.id, (poster, []))[1].append(line)
    rows: list[RankingRow] = []
    for poster, lines in grouped.values():
        totals = [line.assignment.total for line in lines if line.assignment.total is not None]
        mean = Fraction(sum(totals), len(totals)) if totals else None
        rows.append(RankingRow(None, poster, mean, lines))
    rows.sort(
        key=lambda r: (
            r.mean is None,
            -(r.mean or 0),
            r.poster.board_order,
            r.poster.board,
            r.poster.id,
        )
    )
    ranked: list[RankingRow] = []
    for index, row in enumerate(rows):
        rank: int | None = None
        if row.mean is not None:
            before = ranked[-1] if ranked else None
            same = before is not None and before.mean == row.mean
            rank = before.rank if same and before is not None else index + 1
        ranked.append(RankingRow(rank, row.poster, row.mean, row.judges))
    return ranked


@dataclass(frozen=True)
class ChoiceRow:
    rank: int
    poster: Poster


async def peoples_choice(db: AsyncSession, *, meeting_id: int, actor: User) -> list[ChoiceRow]:
    """Published posters by attendees' votes, most first; equal votes share a rank and are
    listed by board number (organizers)."""
    require_organizer(actor)
    posters = await db.scalars(
        select(Poster)
        .where(Poster.meeting_id == meeting_id, Poster.state == PosterState.published)
        .order_by(Poster.vote_count.desc(), Poster.board_order, Poster.board, Poster.id)
    )
    rows: list[ChoiceRow] = []
    for index, poster in enumerate(posters):
        same = rows and rows[-1].poster.vote_count == poster.vote_count
        rows.append(ChoiceRow(rows[-1].rank if same else index + 1, poster))
    return rows


async def poster_id_by_board(db: AsyncSession, *, meeting_id: int, board: str) -> int:
    """The id of the poster on ``board`` (as organizers type it in the console)."""
    found = await db.scalar(
        select(Poster.id).where(Poster.meeting_id == meeting_id, Poster.board == board.strip())
    )
    if found is None:
        raise NotFound(f"There is no poster on board “{board.strip()}”.")
    return found


async def user_ids_by_email(db: AsyncSession, *, emails: Sequence[str]) -> list[int]:
    """The account ids of these addresses, in their order; NotFound names the first
    address without an account."""
    wanted = [e.strip() for e in emails if e.strip()]
    if not wanted:
        raise InvalidInput("Enter at least one judge's email address.", field="judges")
    rows = await db.execute(
        select(User.email, User.id).where(func.lower(User.email).in_({e.lower() for e in wanted}))
    )
    by_email = {email.casefold(): user_id for email, user_id in rows}
    for email in wanted:
        if email.casefold() not in by_email:
            raise NotFound(f"There is no account with the address {email}.")
    return list(dict.fromkeys(by_email[e.casefold()] for e in wanted))
