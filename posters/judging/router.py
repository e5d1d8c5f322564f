"""JSON API of poster judging and awards.

Judges: ``/api/v1/posters/judging/mine`` and ``/api/v1/posters/{id}/score`` (their own
assignments only). Organizers: assignments (``/api/v1/posters/{id}/judges/{user_id}``,
``/api/v1/posters/judging/auto``), the judging switch, the ranking and awards.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from conference.accounts.models import User
from conference.deps import CurrentMeeting, CurrentUser, DbSession, Organizer, PathId
from posters.judging import awards
from posters.judging import service as judging
from posters.judging.models import JudgeAssignment, PosterAward
from posters.judging.schemas import (
    AssignmentOut,
    AutoAssignIn,
    AutoAssignOut,
    AwardChanges,
    AwardIn,
    AwardOut,
    JudgeScoreOut,
    JudgingSettingsIn,
    JudgingSettingsOut,
    PeoplesChoiceRowOut,
    RankingOut,
    RankingRowOut,
    ScoreIn,
    ScoreOut,
)
from posters.models import Poster
from posters.service import visible_poster

router = APIRouter(prefix="/api/v1/posters", tags=["poster judging"])


def score_out(a: JudgeAssignment) -> ScoreOut:
    return ScoreOut(
        content=a.content,
        clarity=a.clarity,
        design=a.design,
        presentation=a.presentation,
        total=a.total,
        comment=a.comment,
        scored_at=a.scored_at,
    )


def assignment_out(a: JudgeAssignment, poster: Poster, judge: User | None) -> AssignmentOut:
    return AssignmentOut(
        poster_id=poster.id,
        board=poster.board,
        title=poster.title,
        topic=poster.topic,
        judge_id=a.judge_id,
        judge_name=judge.name if judge is not None else judging.DELETED_JUDGE,
        score=score_out(a),
    )


def award_out(award: PosterAward) -> AwardOut:
    return AwardOut(
        id=award.id, poster_id=award.poster_id, title=award.title, published=award.published
    )


@router.get("/judging/mine", response_model=list[AssignmentOut])
async def my_assignments(
    db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> list[AssignmentOut]:
    """The posters the signed-in judge is assigned, with their own scores."""
    found = await judging.assignments_of(db, meeting_id=meeting.id, judge=user)
    return [assignment_out(a, p, user) for a, p in found]


@router.get("/{poster_id}/score", response_model=ScoreOut)
async def read_my_score(
    poster_id: PathId, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> ScoreOut:
    """The signed-in judge's score of a poster they judge (403 for any other)."""
    assignment, _ = await judging.my_assignment(
        db, meeting_id=meeting.id, poster_id=poster_id, judge=user
    )
    return score_out(assignment)


@router.put("/{poster_id}/score", response_model=ScoreOut)
async def score_poster(
    poster_id: PathId, body: ScoreIn, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> ScoreOut:
    """Score (or score again) a poster the signed-in judge is assigned, while judging is
    open (409 once closed, or when a conflict of interest has appeared)."""
    assignment = await judging.score_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, judge=user, data=body
    )
    await db.commit()
    return score_out(assignment)


@router.get("/judging/settings", response_model=JudgingSettingsOut)
async def read_judging_settings(
    db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> JudgingSettingsOut:
    """Whether judging is open (organizers)."""
    return JudgingSettingsOut(judging_open=await judging.judging_open(db, meeting_id=meeting.id))


@router.put("/judging/settings", response_model=JudgingSettingsOut)
async def change_judging_settings(
    body: JudgingSettingsIn, db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> JudgingSettingsOut:
    """Open or close judging (organizers)."""
    is_open = await judging.set_judging_open(
        db, meeting_id=meeting.id, actor=user, is_open=body.judging_open
    )
    await db.commit()
    return JudgingSettingsOut(judging_open=is_open)


@router.get("/judging/assignments", response_model=list[AssignmentOut])
async def all_assignments(
    db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> list[AssignmentOut]:
    """Every judge's assignments and scores, by board (organizers)."""
    judging.require_organizer(user)
    found = await judging.all_assignments(db, meeting_id=meeting.id)
    return [assignment_out(a, p, u) for a, p, u in found]


@router.put("/{poster_id}/judges/{user_id}", response_model=AssignmentOut)
async def assign_judge(
    poster_id: PathId,
    user_id: PathId,
    response: Response,
    db: DbSession,
    meeting: CurrentMeeting,
    user: Organizer,
) -> AssignmentOut:
    """Assign a judge to a poster (organizers): 201 when new, 200 when it already was;
    409 on a conflict of interest."""
    assignment, created = await judging.assign_judge(
        db, meeting_id=meeting.id, actor=user, poster_id=poster_id, judge_id=user_id
    )
    await db.commit()
    poster = await judging.judged_poster(db, meeting_id=meeting.id, poster_id=poster_id)
    judge = await db.get(User, user_id)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return assignment_out(assignment, poster, judge)


@router.delete("/{poster_id}/judges/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unassign_judge(
    poster_id: PathId, user_id: PathId, db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> Response:
    """Take a judge off a poster, with their score of it (organizers)."""
    await judging.unassign_judge(
        db, meeting_id=meeting.id, actor=user, poster_id=poster_id, judge_id=user_id
    )
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/judging/auto", response_model=AutoAssignOut)
async def auto_assign(
    body: AutoAssignIn, db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> AutoAssignOut:
    """Give every published poster ``per_poster`` judges from ``judge_ids``, evenly and by
    topic, skipping conflicts of interest (organizers)."""
    result = await judging.auto_assign(
        db,
        meeting_id=meeting.id,
        actor=user,
        judge_ids=body.judge_ids,
        per_poster=body.per_poster,
    )
    await db.commit()
    return AutoAssignOut(created=result.created, unfilled=result.unfilled, loads=result.loads)


@router.get("/judging/ranking", response_model=RankingOut)
async def read_ranking(db: DbSession, meeting: CurrentMeeting, user: Organizer) -> RankingOut:
    """The judges' ranking with every score and comment, and the people's choice by
    votes (organizers)."""
    rows = await judging.ranking(db, meeting_id=meeting.id, actor=user)
    choice = await judging.peoples_choice(db, meeting_id=meeting.id, actor=user)
    return RankingOut(
        judging=[
            RankingRowOut(
                rank=r.rank,
                poster_id=r.poster.id,
                board=r.poster.board,
                title=r.poster.title,
                topic=r.poster.topic,
                mean_total=r.mean_total,
                scores=r.scores,
                judges=[
                    JudgeScoreOut(judge_name=line.judge_name, score=score_out(line.assignment))
                    for line in r.judges
                ],
            )
            for r in rows
        ],
        peoples_choice=[
            PeoplesChoiceRowOut(
                rank=c.rank,
                poster_id=c.poster.id,
                board=c.poster.board,
                title=c.poster.title,
                votes=c.poster.vote_count,
            )
            for c in choice
        ],
    )


@router.get("/{poster_id}/awards", response_model=list[AwardOut])
async def poster_awards(
    poster_id: PathId, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> list[AwardOut]:
    """A poster's awards: the published ones, or all of them for organizers."""
    poster = await visible_poster(db, meeting_id=meeting.id, poster_id=poster_id, viewer=user)
    found = await awards.awards_of_poster(db, poster=poster, actor=user)
    return [award_out(a) for a in found]


@router.post("/{poster_id}/awards", response_model=AwardOut, status_code=201)
async def add_award(
    poster_id: PathId, body: AwardIn, db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> AwardOut:
    """Give a poster an award, published or not yet (organizers)."""
    award = await awards.add_award(
        db,
        meeting_id=meeting.id,
        actor=user,
        poster_id=poster_id,
        title=body.title,
        published=body.published,
    )
    await db.commit()
    return award_out(award)


@router.patch("/awards/{award_id}", response_model=AwardOut)
async def change_award(
    award_id: PathId, body: AwardChanges, db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> AwardOut:
    """Publish or hide an award (organizers)."""
    award = await awards.publish_award(
        db, meeting_id=meeting.id, actor=user, award_id=award_id, published=body.published
    )
    await db.commit()
    return award_out(award)


@router.delete("/awards/{award_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_award(
    award_id: PathId, db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> Response:
    """Take an award away (organizers)."""
    await awards.delete_award(db, meeting_id=meeting.id, actor=user, award_id=award_id)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
