"""When program items may take place, and how long they may last.

Every way into the program (the organizer API and console, frab/pretalx/CSV imports,
shifting and duplicating) keeps sessions and talks

- within the meeting's dates (stretched to today when the meeting is past or far ahead)
  widened by :data:`MARGIN` on both sides (a year: room for a pre-conference webinar
  series or an on-demand follow-up, none for year 9999), and
- no longer than :data:`MAX_DURATION` (24 hours; longer events belong split into days),

and refuses anything else with a 422 naming the field. Stored data from before these
rules (or written around them) must still never break a public page:
:func:`renderable` is what the published view keeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from conference.db.types import utcnow
from conference.errors import InvalidInput
from conference.program.models import Meeting

MARGIN = timedelta(days=366)
MAX_DURATION = timedelta(hours=24)
MAX_DURATION_MINUTES = 24 * 60
# Far inside datetime's range (years 1-9999) yet past any meeting: an instant here can be
# shifted by a day or a margin, and shown in any time zone, without OverflowError.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def window(meeting: Meeting) -> tuple[datetime, datetime]:
    """The earliest start and latest end allowed for the meeting's program (UTC): the
    meeting's dates, stretched to today if need be (a rehearsal or a late-breaking session
    is scheduled around now, even for a meeting's archive), and a year either side."""
    zone = ZoneInfo(meeting.time_zone)
    first = datetime.combine(meeting.starts_on, time(0), zone)
    last = datetime.combine(meeting.ends_on, time(0), zone) + timedelta(days=1)
    now = utcnow()
    first, last = min(first, now), max(last, now)
    return (first - MARGIN).astimezone(UTC), (last + MARGIN).astimezone(UTC)


def representable(moment: datetime) -> bool:
    """``moment`` lies where date arithmetic and time zone conversion cannot overflow."""
    # The year first: comparing an aware instant near year 9999 to another converts it to
    # UTC, which can itself overflow.
    return EARLIEST.year <= moment.year < LATEST.year and EARLIEST <= moment <= LATEST


def problem(meeting: Meeting, starts: datetime, ends: datetime, *, what: str) -> str | None:
    """Why ``starts``-``ends`` cannot be in the program, or None when it can."""
    if not (representable(starts) and representable(ends)):
        return f"{what} is out of range: keep it near the meeting's dates"
    earliest, latest = window(meeting)
    if starts < earliest or ends > latest:
        zone = ZoneInfo(meeting.time_zone)
        first = earliest.astimezone(zone).date()
        last = (latest - timedelta(seconds=1)).astimezone(zone).date()
        return (
            f"{what} must take place between {first} and {last} "
            f"(the meeting's dates, or today, and a year either side)"
        )
    if ends - starts > MAX_DURATION:
        return f"{what} must not last over 24 hours"
    return None


def check_session(meeting: Meeting, starts: datetime, ends: datetime) -> None:
    """Refuse (422) a session placed outside the meeting's window or lasting too long."""
    if ends <= starts:
        raise InvalidInput("A session must end after it starts.", field="ends_at")
    found = problem(meeting, starts, ends, what="A session")
    if found is not None:
        field = (
            "starts_at" if not representable(starts) or ends - starts <= MAX_DURATION else "ends_at"
        )
        raise InvalidInput(found + ".", field=field)


def check_talk(meeting: Meeting, starts: datetime, minutes: int) -> None:
    """Refuse (422) a talk placed outside the meeting's window or lasting too long."""
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise InvalidInput("A talk lasts 1 to 1440 minutes.", field="duration_minutes")
    if not representable(starts):
        raise InvalidInput(
            "A talk is out of range: keep it near the meeting's dates.", field="starts_at"
        )
    found = problem(meeting, starts, starts + timedelta(minutes=minutes), what="A talk")
    if found is not None:
        raise InvalidInput(found + ".", field="starts_at")


def renderable(starts: datetime, ends: datetime) -> bool:
    """Whether a published item can be shown safely: representable and at most a day long
    (a grid or a calendar spanning centuries is not a page, it is a denial of service)."""
    return (
        representable(starts)
        and representable(ends)
        and timedelta(0) < ends - starts <= MAX_DURATION
    )
