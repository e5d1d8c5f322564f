"""The rules of posters: who sees and edits which poster, and writing one whole.

Organizers create and edit every poster. A presenter (the poster's ``presenter_id``) edits
their own until the meeting's edit deadline, may hand it in (submitted) or take it back
(draft, withdrawn), but never publishes it or moves it to another board: those are the
organizers'. Attendees see published posters only; a withdrawn poster is a 404 to anyone
but organizers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from conference.accounts.models import Role, User
from conference.errors import Conflict, Forbidden, InvalidInput, NotFound
from conference.program.models import SessionType
from conference.program.published.program import PublishedProgram
from conference.program.service import current_meeting
from conference.realtime.protocol import channel_kind
from posters import content
from posters.models import Poster, PosterAuthor, PosterKeyword, PosterSettings, PosterState
from posters.schemas import AuthorIn, AuthorOut, LinkOut, PosterChanges, PosterIn, PosterOut
from posters.tiles import jobs as render_jobs

# States a presenter may put their own poster in.
PRESENTER_STATES = {PosterState.draft, PosterState.submitted, PosterState.withdrawn}


def is_organizer(user: User | None) -> bool:
    return user is not None and user.has_role(Role.organizer)


def is_presenter(poster: Poster, user: User | None) -> bool:
    return user is not None and poster.presenter_id == user.id


async def poster_settings(db: AsyncSession, *, meeting_id: int) -> PosterSettings:
    """The meeting's poster settings (defaults, unsaved, when none were set)."""
    found = await db.get(PosterSettings, meeting_id)
    return found or PosterSettings(meeting_id=meeting_id, edit_deadline=None)


async def set_edit_deadline(
    db: AsyncSession, *, meeting_id: int, actor: User, deadline: datetime | None
) -> PosterSettings:
    """Set until when presenters may edit their posters (organizers only)."""
    if not is_organizer(actor):
        raise Forbidden("Only organizers set the poster deadline.")
    if deadline is not None and deadline.tzinfo is None:
        raise InvalidInput("The deadline needs a time zone offset.", field="edit_deadline")
    found = await db.get(PosterSettings, meeting_id)
    if found is None:
        found = PosterSettings(meeting_id=meeting_id)
        db.add(found)
    found.edit_deadline = deadline
    await db.flush()
    return found


def may_edit(
    poster: Poster, user: User | None, *, deadline: datetime | None, now: datetime
) -> bool:
    """Organizers always; the presenter until the deadline (none set: any time)."""
    if is_organizer(user):
        return True
    return is_presenter(poster, user) and (deadline is None or now < deadline)


def may_see(poster: Poster, user: User | None) -> bool:
    """Published posters to everyone; others to their presenter and organizers, except
    that a withdrawn poster is for organizers only."""
    if is_organizer(user):
        return True
    if poster.state == PosterState.published:
        return True
    return poster.state != PosterState.withdrawn and is_presenter(poster, user)


async def load_poster(
    db: AsyncSession, *, meeting_id: int, poster_id: int, fresh: bool = False
) -> Poster | None:
    """The poster with its authors and keywords, or None; ``fresh`` reads it again over
    what the session holds (after a rollback)."""
    return await db.scalar(
        select(Poster)
        .where(Poster.id == poster_id, Poster.meeting_id == meeting_id)
        .options(selectinload(Poster.authors), selectinload(Poster.keywords))
        .execution_options(populate_existing=fresh)
    )


async def visible_poster(
    db: AsyncSession, *, meeting_id: int, poster_id: int, viewer: User | None
) -> Poster:
    """The poster if ``viewer`` may see it; NotFound otherwise (never saying it exists)."""
    poster = await load_poster(db, meeting_id=meeting_id, poster_id=poster_id)
    if poster is None or not may_see(poster, viewer):
        raise NotFound("There is no poster at this address.")
    return poster


async def channel_poster(db: AsyncSession, *, channel: str | None, viewer: User) -> Poster:
    """The poster of a /ws action's ``poster:<id>`` channel, if ``viewer`` may see it now
    (it may have been withdrawn since they subscribed): InvalidInput for another channel,
    NotFound for a poster they may not see."""
    if channel is None or channel_kind(channel)[0] != "poster":
        raise InvalidInput("This action belongs on a poster channel, poster:<id>.", field="channel")
    meeting = await current_meeting(db)
    if meeting is None:
        raise NotFound("There is no meeting.")
    return await visible_poster(
        db, meeting_id=meeting.id, poster_id=int(channel_kind(channel)[1]), viewer=viewer
    )


async def editable_poster(
    db: AsyncSession, *, meeting_id: int, poster_id: int, actor: User, now: datetime
) -> Poster:
    """The poster if ``actor`` may edit it now: NotFound if they may not see it, Forbidden
    if they see it but may not edit it (an attendee, or a presenter past the deadline)."""
    poster = await visible_poster(db, meeting_id=meeting_id, poster_id=poster_id, viewer=actor)
    refusal = await edit_refusal(db, poster=poster, actor=actor, now=now)
    if refusal is not None:
        raise refusal
    return poster


async def edit_refusal(
    db: AsyncSession, *, poster: Poster, actor: User, now: datetime
) -> Forbidden | None:
    """Why ``actor`` may not edit ``poster`` now (the error to raise), or None if they may."""
    deadline = (await poster_settings(db, meeting_id=poster.meeting_id)).edit_deadline
    if may_edit(poster, actor, deadline=deadline, now=now):
        return None
    if is_presenter(poster, actor):
        return Forbidden("The deadline for editing posters has passed.")
    return Forbidden("Only the poster's presenter and organizers edit it.")


def settable_states(poster: Poster, actor: User) -> list[PosterState]:
    """The states ``actor`` may give ``poster`` (its current one included), in the
    lifecycle's order; empty when they may not change it (a presenter's published poster)."""
    if is_organizer(actor):
        return list(PosterState)
    if poster.state == PosterState.published:
        return []
    return [s for s in PosterState if s in PRESENTER_STATES]


async def delete_poster(
    db: AsyncSession, *, meeting_id: int, poster_id: int, actor: User
) -> Poster:
    """Delete a poster with everything hanging off it (organizers); flushed, not committed.
    Its renders still queued are dropped with it. Its files stay until the caller has
    committed and removes them (``posters.tiles.pdfs.remove_poster_files``): a rollback
    must not leave a poster without its PDF."""
    if not is_organizer(actor):
        raise Forbidden("Only organizers delete posters.")
    poster = await load_poster(db, meeting_id=meeting_id, poster_id=poster_id)
    if poster is None:
        raise NotFound("There is no poster at this address.")
    await render_jobs.drop_queued(db, poster_id=poster.id)
    await db.delete(poster)
    await db.flush()
    return poster


def check_session(program: PublishedProgram | None, guid: str | None) -> None:
    """A poster's session must be a poster session of the published program (when one is
    published: posters may be imported before the program)."""
    if guid is None or program is None:
        return
    session = program.by_guid.get(guid)
    if session is None:
        raise InvalidInput("There is no published session with this id.", field="session_guid")
    if session.type != SessionType.poster_session:
        raise InvalidInput(f"“{session.title}” is not a poster session.", field="session_guid")


async def create_poster(
    db: AsyncSession,
    *,
    meeting_id: int,
    actor: User,
    data: PosterIn,
    program: PublishedProgram | None,
) -> Poster:
    """A new poster (organizers only); Conflict if its board number is taken."""
    if not is_organizer(actor):
        raise Forbidden("Only organizers create posters.")
    check_session(program, data.session_guid)
    await _check_board_free(db, meeting_id=meeting_id, board=data.board, poster_id=None)
    poster = Poster(meeting_id=meeting_id, authors=[], keywords=[])
    db.add(poster)
    await write_poster(db, poster, data.model_dump(exclude_unset=False))
    await db.flush()
    return poster


async def update_poster(
    db: AsyncSession,
    *,
    poster: Poster,
    actor: User,
    changes: PosterChanges,
    program: PublishedProgram | None,
) -> Poster:
    """Apply ``changes`` to a poster ``actor`` may edit (see :func:`editable_poster`)."""
    fields = changes.model_dump(exclude_unset=True)
    if not is_organizer(actor):
        if "board" in fields and fields["board"] != poster.board:
            raise Forbidden("Only organizers move a poster to another board.")
        if "state" in fields and fields["state"] not in PRESENTER_STATES:
            raise Forbidden("Only organizers publish posters.")
        if poster.state == PosterState.published and fields.get("state") is None:
            fields.pop("state", None)
    for required in ("board", "title"):
        if required in fields and fields[required] is None:
            raise InvalidInput(f"The {required} cannot be empty.", field=required)
    if "session_guid" in fields:
        check_session(program, fields["session_guid"])
    if "board" in fields:
        await _check_board_free(
            db, meeting_id=poster.meeting_id, board=fields["board"], poster_id=poster.id
        )
    await write_poster(db, poster, fields)
    await db.flush()
    return poster


async def write_poster(db: AsyncSession, poster: Poster, fields: dict[str, Any]) -> None:
    """Set the given fields (``PosterIn``'s, dumped) of a poster with its authors and
    keywords loaded, and what is derived from them: the abstract's HTML, the board's order,
    the presenter and the search text. A field given as None is left as it is, except the
    session (None detaches the poster from its session)."""
    for name in ("board", "title", "abstract", "topic", "session_guid", "doi", "state"):
        if name in fields and (fields[name] is not None or name == "session_guid"):
            setattr(poster, name, fields[name])
    if "board" in fields:
        poster.board_order = content.board_order(poster.board)
    if "abstract" in fields:
        poster.abstract_html = content.abstract_html(poster.abstract)
    if fields.get("links") is not None:
        poster.links = [
            {"label": link["label"], "url": str(link["url"])} for link in fields["links"]
        ]
    if fields.get("authors") is not None:
        await _set_authors(db, poster, [AuthorIn.model_validate(a) for a in fields["authors"]])
    if fields.get("keywords") is not None:
        # Kept keywords keep their rows: a replaced row would be inserted before the old
        # one is deleted, against the (poster, keyword) unique key.
        current = {k.keyword: k for k in poster.keywords}
        kept = []
        for i, (key, label) in enumerate(content.clean_keywords(fields["keywords"])):
            item = current.pop(key, None) or PosterKeyword(keyword=key)
            item.position, item.label = i, label
            kept.append(item)
        poster.keywords = kept
    poster.search_text = content.search_text(
        title=poster.title,
        abstract=poster.abstract,
        authors=[(a.name, a.affiliation) for a in poster.authors],
        keywords=[k.label for k in poster.keywords],
    )


async def _set_authors(db: AsyncSession, poster: Poster, authors: Sequence[AuthorIn]) -> None:
    presenting = [a for a in authors if a.presenting]
    if len(presenting) > 1:
        raise InvalidInput("Only one author presents the poster.", field="authors")
    emails = {a.email.casefold() for a in authors if a.email}
    accounts: dict[str, User] = {}
    if emails:
        found = await db.scalars(select(User).where(func.lower(User.email).in_(emails)))
        accounts = {user.email.casefold(): user for user in found}
    poster.authors = [
        PosterAuthor(
            position=i,
            name=a.name,
            affiliation=a.affiliation,
            presenting=a.presenting,
            user_id=accounts[a.email.casefold()].id if a.email.casefold() in accounts else None,
        )
        for i, a in enumerate(authors)
    ]
    # The presenting author's account edits the poster; without one, the first author's.
    chosen = presenting[0] if presenting else (authors[0] if authors else None)
    user = accounts.get(chosen.email.casefold()) if chosen and chosen.email else None
    if user is not None:
        poster.presenter_id = user.id


async def _check_board_free(
    db: AsyncSession, *, meeting_id: int, board: str, poster_id: int | None
) -> None:
    taken = await db.scalar(
        select(Poster.id).where(Poster.meeting_id == meeting_id, Poster.board == board)
    )
    if taken is not None and taken != poster_id:
        raise Conflict(f"Board {board} already has a poster.")


def poster_out(poster: Poster) -> PosterOut:
    """The API's view of a poster with its authors and keywords loaded."""
    return PosterOut(
        id=poster.id,
        board=poster.board,
        title=poster.title,
        abstract=poster.abstract,
        abstract_html=poster.abstract_html,
        authors=[
            AuthorOut(
                name=a.name,
                affiliation=a.affiliation,
                presenting=a.presenting,
                has_account=a.user_id is not None,
            )
            for a in poster.authors
        ],
        topic=poster.topic,
        keywords=[k.label for k in poster.keywords],
        session_guid=poster.session_guid,
        doi=poster.doi,
        links=[LinkOut(label=link["label"], url=link["url"]) for link in poster.links],
        state=PosterState(poster.state),
        render_state=poster.render_state,
        render_progress=poster.render_progress,
        render_error=poster.render_error,
        has_pdf=bool(poster.pdf_path),
        updated_at=poster.updated_at,
    )
