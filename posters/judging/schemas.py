"""What the judging API accepts and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from conference.limits import MAX_ID, NoControlCharacters
from posters.judging.models import MAX_COMMENT, MAX_MARK, MIN_MARK

Mark = Annotated[int, Field(ge=MIN_MARK, le=MAX_MARK, strict=True)]
# Plain text: line breaks and tabs are kept, other control characters refused.
Comment = Annotated[str, StringConstraints(max_length=MAX_COMMENT), NoControlCharacters]
AwardTitle = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), NoControlCharacters
]
UserId = Annotated[int, Field(ge=1, le=MAX_ID)]
MAX_JUDGES_PER_POSTER = 5
MAX_JUDGES = 500


class ScoreIn(BaseModel):
    """A judge's rubric for one poster: four marks of 1-5 and a comment."""

    model_config = ConfigDict(extra="forbid")

    content: Mark
    clarity: Mark
    design: Mark
    presentation: Mark
    comment: Comment = ""


class ScoreOut(BaseModel):
    content: int | None
    clarity: int | None
    design: int | None
    presentation: int | None
    total: int | None
    comment: str
    scored_at: datetime | None


class AssignmentOut(BaseModel):
    """A judge's assignment to a poster (with the score once given)."""

    poster_id: int
    board: str
    title: str
    topic: str
    # None once the judge's account is deleted.
    judge_id: int | None
    judge_name: str
    score: ScoreOut


class AutoAssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    judge_ids: list[UserId] = Field(min_length=1, max_length=MAX_JUDGES)
    per_poster: int = Field(ge=1, le=MAX_JUDGES_PER_POSTER, strict=True)


class AutoAssignOut(BaseModel):
    created: int
    # Board numbers of posters left with fewer judges than asked (conflicts of interest).
    unfilled: dict[str, int]
    # Each judge's load after the assignment, by user id.
    loads: dict[int, int]


class JudgingSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    judging_open: bool


class JudgingSettingsOut(BaseModel):
    judging_open: bool


class JudgeScoreOut(BaseModel):
    judge_name: str
    score: ScoreOut


class RankingRowOut(BaseModel):
    rank: int | None
    poster_id: int
    board: str
    title: str
    topic: str
    # The mean of the judges' totals (4-20), rounded to two places; None with no score.
    mean_total: float | None
    scores: int
    judges: list[JudgeScoreOut]


class PeoplesChoiceRowOut(BaseModel):
    rank: int
    poster_id: int
    board: str
    title: str
    votes: int


class RankingOut(BaseModel):
    judging: list[RankingRowOut]
    peoples_choice: list[PeoplesChoiceRowOut]


class AwardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: AwardTitle
    published: bool = False


class AwardChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")

    published: bool


class AwardOut(BaseModel):
    id: int
    poster_id: int
    title: str
    published: bool
