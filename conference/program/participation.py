"""Who chairs and who speaks: a user's part in the published program, and what it allows.

A user takes part in the program through the people linked to their account
(``Person.user_id``): they chair a session when one of those people is among its chairs,
and speak in it when one of them speaks in one of its talks. Every rule that depends on
that (moderating a session's chat and Q&A, uploading a talk, joining or directing a
stage's panel, going live from the studio) reads it from here: :func:`of_user` runs the one
query, the methods of :class:`Participation` are pure and answer over the published
program, so a change to the draft grants nothing until it is published.

Organizers (and admins, who hold every role) may do all of it on every session and stage:
every caller had that same override, so the predicates that grant rights include it; the
predicates that only describe a part (:meth:`Participation.is_chair_of` ...) do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import Role, User
from conference.program.models import Person
from conference.program.published.program import PublishedProgram, SessionView, TalkView


@dataclass(frozen=True)
class Participation:
    """One user's part in the program: whether they organize, and their linked people."""

    organizer: bool
    people: frozenset[str]  # GUIDs of the program people linked to the account

    # What they do -----------------------------------------------------------------------

    def is_chair_of(self, session: SessionView) -> bool:
        """One of the user's people chairs ``session``."""
        return any(person.guid in self.people for person in session.chairs)

    def is_speaker_of(self, talk: TalkView) -> bool:
        """One of the user's people speaks in ``talk``."""
        return any(person.guid in self.people for person in talk.speakers)

    def speaks_in(self, session: SessionView) -> bool:
        """One of the user's people speaks in one of ``session``'s talks."""
        return any(self.is_speaker_of(talk) for talk in session.talks)

    def takes_part_in(self, session: SessionView) -> bool:
        """The user chairs ``session`` or speaks in it."""
        return self.is_chair_of(session) or self.speaks_in(session)

    # What that allows -------------------------------------------------------------------

    def may_moderate(self, session: SessionView) -> bool:
        """Moderate the session's chat, Q&A and polls: organizers and its chairs."""
        return self.organizer or self.is_chair_of(session)

    def may_upload_for(self, session: SessionView, talk: TalkView | None) -> bool:
        """Upload a video for ``session`` (or its ``talk``): organizers, the session's
        chairs, and the talk's speakers (a speaker only for a talk named)."""
        if self.may_moderate(session):
            return True
        return talk is not None and self.is_speaker_of(talk)

    def sessions_on(
        self, program: PublishedProgram | None, stage_guid: str, *, day_of: datetime | None = None
    ) -> list[SessionView]:
        """The sessions on the stage the user may present in, in program order: every one
        for an organizer, those they chair or speak in for anyone else; with ``day_of``,
        only those starting on that instant's date in the meeting's zone."""
        if program is None:
            return []
        day = day_of.astimezone(program.zone).date() if day_of is not None else None
        return [
            session
            for session in program.sessions
            if session.stage is not None
            and session.stage.guid == stage_guid
            and (day is None or session.starts_at.astimezone(program.zone).date() == day)
            and (self.organizer or self.takes_part_in(session))
        ]

    def may_present_on(
        self, program: PublishedProgram | None, stage_guid: str, *, day_of: datetime | None = None
    ) -> bool:
        """Present on the stage (studio, going live, its panel): organizers on every stage;
        the chairs and speakers of its sessions (of ``day_of``'s date, if given)."""
        return self.organizer or bool(self.sessions_on(program, stage_guid, day_of=day_of))

    def may_direct_on(self, program: PublishedProgram | None, stage_guid: str) -> bool:
        """Direct the stage's panel (layout, going live): organizers, and the chairs of
        its sessions."""
        return self.organizer or any(
            self.is_chair_of(session) for session in self.sessions_on(program, stage_guid)
        )


async def of_user(db: AsyncSession, *, user: User) -> Participation:
    """``user``'s part in the program: one query, for the people linked to the account."""
    people = await db.scalars(select(Person.guid).where(Person.user_id == user.id))
    return Participation(organizer=user.has_role(Role.organizer), people=frozenset(people))
