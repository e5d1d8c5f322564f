"""JSON API of a poster's talk: comments, people's-choice votes, contacting the presenter
and the presenter's statistics (``/api/v1/posters/...``).

Included before ``posters.router``: its fixed paths (``/people-choice``, ``/vote``) must
win over ``/{poster_id}``. Comments written here are published on ``poster:<id>`` exactly
as the /ws action's are.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from conference.accounts.models import User
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, Organizer, PathId
from conference.realtime.durable import commit_and_publish
from conference.realtime.schemas import Author
from posters import service
from posters.models import Poster
from posters.talk import comments, contact, stats, votes
from posters.talk.schemas import (
    CommentIn,
    CommentOut,
    CommentsOut,
    ContactIn,
    ContactOut,
    PeopleChoiceOut,
    PosterStatsOut,
    VoteOut,
)

router = APIRouter(prefix="/api/v1/posters", tags=["posters"])


async def _poster(db: DbSession, meeting_id: int, poster_id: int, user: User) -> Poster:
    return await service.visible_poster(db, meeting_id=meeting_id, poster_id=poster_id, viewer=user)


async def write_comment(
    ctx: AppContext, db: DbSession, *, poster: Poster, user: User, body: str
) -> CommentOut:
    """Store, commit and publish a comment (shared with the page's form)."""
    comment, event = await comments.add(
        db, poster=poster, user=user, body=body, limiter=ctx.realtime.limiter
    )
    await commit_and_publish(db, ctx.realtime.hub, [event])
    return CommentOut(
        comment_id=comment.id,
        author=Author(id=user.id, name=comment.author_name),
        body=comment.body,
        created_at=comment.created_at,
        may_remove=True,
    )


async def give_vote(ctx: AppContext, db: DbSession, *, poster: Poster, user: User) -> int:
    """Give the vote, commit, publish the changed counts; the poster's count."""
    changed = await votes.cast_vote(db, poster=poster, user=user)
    await db.commit()
    sent = await votes.publish_counts(db, ctx.realtime.hub, changed)
    if poster.id in sent:
        return sent[poster.id]
    return (await votes.counts(db, [poster.id]))[poster.id]


async def take_back_vote(ctx: AppContext, db: DbSession, *, meeting_id: int, user: User) -> None:
    """Withdraw the vote, commit, publish the changed count."""
    changed = await votes.withdraw(db, meeting_id=meeting_id, user=user)
    await db.commit()
    await votes.publish_counts(db, ctx.realtime.hub, changed)


async def send_contact(
    ctx: AppContext, db: DbSession, *, poster: Poster, user: User, body: str, share_email: bool
) -> None:
    """Record the relayed message, commit, then queue the mail."""
    mail = await contact.relay(
        db,
        poster=poster,
        sender=user,
        body=body,
        share_email=share_email,
        site_name=ctx.settings.site_name,
        base_url=ctx.settings.base_url,
    )
    await db.commit()
    ctx.mailer.enqueue(to=mail.to, subject=mail.subject, text=mail.text)


@router.get("/people-choice", response_model=PeopleChoiceOut)
async def people_choice(db: DbSession, meeting: CurrentMeeting, user: Organizer) -> PeopleChoiceOut:
    """The people's choice ranking from attendees' votes (organizers)."""
    return await votes.people_choice(db, meeting_id=meeting.id)


@router.get("/vote", response_model=VoteOut)
async def my_vote(db: DbSession, meeting: CurrentMeeting, user: CurrentUser) -> VoteOut:
    """The poster the viewer's people's-choice vote is for (``poster_id`` null: none)."""
    found = await votes.current(db, meeting_id=meeting.id, user_id=user.id)
    return VoteOut(poster_id=found[1] if found else None)


@router.delete("/vote", response_model=VoteOut)
async def withdraw_vote(
    ctx: Context, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> VoteOut:
    """Take back the viewer's vote (nothing to take back is fine)."""
    await take_back_vote(ctx, db, meeting_id=meeting.id, user=user)
    return VoteOut(poster_id=None)


@router.put("/{poster_id}/vote", response_model=VoteOut)
async def vote(
    poster_id: PathId, ctx: Context, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> VoteOut:
    """Give the viewer's one vote to this published poster (moving it from another)."""
    poster = await _poster(db, meeting.id, poster_id, user)
    count = await give_vote(ctx, db, poster=poster, user=user)
    return VoteOut(poster_id=poster.id, vote_count=count)


@router.get("/{poster_id}/comments", response_model=CommentsOut)
async def list_comments(
    poster_id: PathId, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> CommentsOut:
    """The poster's comments, oldest first, and the event id to subscribe ``since``."""
    poster = await _poster(db, meeting.id, poster_id, user)
    return await comments.snapshot(db, poster=poster, viewer=user)


@router.post(
    "/{poster_id}/comments", response_model=CommentOut, status_code=status.HTTP_201_CREATED
)
async def add_comment(
    poster_id: PathId,
    body: CommentIn,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    user: CurrentUser,
) -> CommentOut:
    """Comment on a published poster (plain text; rate limited like chat)."""
    poster = await _poster(db, meeting.id, poster_id, user)
    return await write_comment(ctx, db, poster=poster, user=user, body=body.body)


@router.delete("/{poster_id}/comments/{comment_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_comment(
    poster_id: PathId,
    comment_id: PathId,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    user: CurrentUser,
) -> Response:
    """Remove a comment: its author, the poster's presenter or an organizer."""
    poster = await _poster(db, meeting.id, poster_id, user)
    event = await comments.remove(db, poster=poster, comment_id=comment_id, user=user)
    await commit_and_publish(db, ctx.realtime.hub, [event])
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{poster_id}/contact", response_model=ContactOut, status_code=status.HTTP_202_ACCEPTED
)
async def contact_author(
    poster_id: PathId,
    body: ContactIn,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    user: CurrentUser,
) -> ContactOut:
    """Relay a message to the presenter by email, without showing either address."""
    poster = await _poster(db, meeting.id, poster_id, user)
    await send_contact(
        ctx, db, poster=poster, user=user, body=body.body, share_email=body.share_email
    )
    return ContactOut(sent=True, shared_email=body.share_email)


@router.get("/{poster_id}/stats", response_model=PosterStatsOut)
async def poster_stats(
    poster_id: PathId, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> PosterStatsOut:
    """Views, unique viewers, votes and comments per day (the presenter and organizers)."""
    poster = await _poster(db, meeting.id, poster_id, user)
    stats.check_may_see_stats(poster, user)
    return await stats.poster_stats(db, poster=poster)
