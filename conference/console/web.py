"""What every console page shares: who may open it, how refusals look, and local times.

Organizers type times in the meeting's own zone (Cytokines 2021: Europe/London), so a
form holds naive ``datetime-local`` values that are placed in that zone here, before any
service sees them; services only ever receive aware instants.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference import timezones
from conference.accounts.models import Role, User
from conference.context import AppContext
from conference.deps import OptionalUser, PathId
from conference.errors import Forbidden, ServiceError, Unauthenticated
from conference.limits import ID_PATTERN, MAX_ID, parse_id
from conference.program import bounds
from conference.program.models import Meeting, Person
from conference.web.errors import render_error_page, sign_in_redirect

FORMAT_HINT = "YYYY-MM-DD HH:MM"
EN_DASH = "\u2013"


class ConsoleRoute(APIRoute):
    """A page route whose refusals are pages, whatever the browser's Accept header says.

    The app-wide handlers answer HTML only to requests that ask for it; a console form
    post must never get JSON back, so the refusals are turned into pages here: sign-in
    for the anonymous, the error page (403, 404, ...) for everything else. A path that
    does not parse (``/console/sessions/abc``) is simply not a page: 404.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except Unauthenticated:
                return sign_in_redirect(request)
            except ServiceError as exc:
                return error_page(request, exc.status_code, exc.detail)
            except RequestValidationError:
                return error_page(request, 404, "There is no such console page.")

        return guarded


def error_page(request: Request, status: int, detail: str) -> Response:
    """The site's error page, with the organizer (if known) in the header: the request
    still holds its database session here, so the user is not read again."""
    user: User | None = getattr(request.state, "console_user", None)
    return render_error_page(request, status, detail, user=user)


async def console_organizer(request: Request, user: OptionalUser) -> User:
    """Admit organizers (and admins); remember the user so a refusal page can greet them."""
    request.state.console_user = user
    if user is None:
        raise Unauthenticated("Please sign in.")
    if not user.has_role(Role.organizer):
        raise Forbidden("The console is for the meeting's organizers.")
    return user


ConsoleUser = Annotated[User, Depends(console_organizer)]


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    user: User,
    meeting: Meeting,
    section: str,
    status_code: int = 200,
) -> Response:
    """Render a console page: the console menu, the meeting zone and its time helpers."""
    ctx: AppContext = request.app.state.ctx
    values = {
        "meeting": meeting,
        "zone": meeting.time_zone,
        "times": LocalTimes(meeting.time_zone),
        "section": section,
        "console_sections": ctx.extensions.console_menu(),
        "format_hint": FORMAT_HINT,
        **context,
    }
    return ctx.pages.render(request, template, values, user=user, status_code=status_code)


async def reload(db: AsyncSession, *objects: object) -> None:
    """Read ``objects`` again after a refused commit: the rollback expired them, and a page
    must not load attributes lazily while it renders."""
    for item in objects:
        await db.refresh(item)


def see_other(url: str) -> RedirectResponse:
    """After a successful POST: go to ``url`` with GET (so a reload does not post again)."""
    return RedirectResponse(url, status_code=303)


# Times -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalTimes:
    """Instants shown in one zone, for templates (``times.short(session.starts_at)``); the
    formats are the site's own (conference/timezones.py)."""

    zone_name: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zone_name)

    def local(self, instant: datetime) -> datetime:
        return timezones.local(instant, self.zone_name)

    def input(self, instant: datetime | None) -> str:
        """The value of a ``datetime-local`` input."""
        return "" if instant is None else f"{self.local(instant):%Y-%m-%dT%H:%M}"

    def clock(self, instant: datetime) -> str:
        return timezones.clock(instant, self.zone_name)

    def day(self, instant: datetime) -> str:
        return timezones.short_day(instant, self.zone_name)

    def full(self, instant: datetime) -> str:
        return timezones.format_instant(instant, self.zone_name)

    def span(self, start: datetime, end: datetime) -> str:
        """``Mon 18 Oct, 09:00-10:30`` (the end's day named only if it differs)."""
        text = f"{self.day(start)}, {self.clock(start)}{EN_DASH}"
        if self.local(end).date() != self.local(start).date():
            text += f"{self.day(end)}, "
        return text + self.clock(end)


def parse_local(value: str, zone_name: str, *, what: str) -> tuple[datetime | None, str | None]:
    """A ``datetime-local`` value read in the meeting's zone: (aware instant, None) or
    (None, a message for the form). A value that carries its own offset is taken as is."""
    text = value.strip()
    if not text:
        return None, f"Enter the {what}."
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None, f"Enter the {what} as {FORMAT_HINT} ({zone_name} time)."
    # The year first: converting a time near year 1 or 9999 between zones overflows.
    if not bounds.representable(parsed.replace(tzinfo=UTC)):
        return None, f"Enter the {what} near the meeting's dates."
    if parsed.tzinfo is not None:
        return parsed, None
    zone = ZoneInfo(zone_name)
    placed = parsed.replace(tzinfo=zone)
    # A wall-clock time skipped when the clocks go forward does not round-trip.
    if placed.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != parsed:
        return None, (
            f"{parsed:%H:%M} on {parsed.day} {parsed:%b %Y} does not exist in {zone_name} "
            "(the clocks go forward then)."
        )
    return placed, None


_WHOLE = re.compile(r"[+-]?[0-9]{1,7}")
Id = PathId


def parse_int(
    value: str, *, what: str, default: int | None = None
) -> tuple[int | None, str | None]:
    """A whole number (of at most seven digits) from a form field: (number, None) or
    (None, a message)."""
    text = value.strip()
    if not text and default is not None:
        return default, None
    if not _WHOLE.fullmatch(text):
        return None, f"Enter the {what} as a whole number."
    return int(text), None


def small_id(value: str) -> int | None:
    """``value`` as a database id, or None for the empty choice and anything else."""
    return parse_id(value.strip())


# People, typed one per line ----------------------------------------------------------

_ID_LINE = re.compile(rf"^(?:.*\()?#({ID_PATTERN})\)?$")


def people_text(people: list[Person]) -> str:
    """People as the form shows them: ``Name (#id)``, one per line, in order."""
    return "\n".join(f"{p.name} (#{p.id})" for p in people)


async def resolve_people(db: AsyncSession, text: str) -> tuple[list[int], str | None]:
    """The ids for a list of people typed one per line, as ``#12``, ``Name (#12)`` or a name.

    A name must match exactly one person (case aside); two people of the same name must
    be told apart by number. Every number must exist and nobody may be listed twice, so
    that once this passes, saving the list cannot fail on its people.
    """
    lines = [line.strip() for line in re.split(r"[\n;]", text) if line.strip()]
    numbered = {line: int(m.group(1)) for line in lines if (m := _ID_LINE.match(line))}
    names = [line for line in lines if line not in numbered]
    by_name: dict[str, list[int]] = {}
    if names:
        # lower() in SQLite folds ASCII only; the exact spelling always matches too.
        rows = await db.execute(
            select(Person.name, Person.id)
            .where(
                or_(
                    func.lower(Person.name).in_({n.lower() for n in names}),
                    Person.name.in_(set(names)),
                )
            )
            .order_by(Person.id)
        )
        for name, person_id in rows:
            by_name.setdefault(name.casefold(), []).append(person_id)
    known: set[int] = set()
    if numbered:
        known = set(
            await db.scalars(
                select(Person.id).where(
                    Person.id.in_({i for i in numbered.values() if i <= MAX_ID})
                )
            )
        )
    ids: list[int] = []
    for line in lines:
        if line in numbered:
            if numbered[line] not in known:
                return [], f"Nobody has the number #{numbered[line]}; see the People page."
            person_id = numbered[line]
        else:
            found = by_name.get(line.casefold(), [])
            if not found:
                return [], (
                    f'No person is named "{line}". Add them on the People page first, '
                    "or write their number as #id."
                )
            if len(found) > 1:
                numbers = ", ".join(f"#{i}" for i in found)
                return [], f'{len(found)} people are named "{line}" ({numbers}): write one number.'
            person_id = found[0]
        if person_id in ids:
            return [], f'"{line}" is listed twice.'
        ids.append(person_id)
    return ids, None
