"""The demo meeting: Cytokines 2021, the 9th Annual Meeting of ICIS, Cardiff, 17-20 Oct 2021.

Committee names follow the meeting's public announcements where known; the demo
accounts are fictitious and use the reserved ``demo.test`` domain.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.program.models import Committee, CommitteeMember, Meeting, MeetingFormat, Person

DEMO_SLUG = "cytokines-2021"
LONDON = ZoneInfo("Europe/London")

MEETING = {
    "slug": DEMO_SLUG,
    "name": (
        "Cytokines 2021 Hybrid: 9th Annual Meeting of the "
        "International Cytokine & Interferon Society"
    ),
    "short_name": "Cytokines 2021",
    "society": "International Cytokine & Interferon Society (ICIS)",
    "description": (
        "The annual gathering of 700-1,100 investigators from academia, government and "
        "industry to discuss how cytokines, interferons and chemokines regulate immunity, "
        "inflammation, metabolism and cancer, and how the network can be targeted for "
        "therapy. Hosted from a studio in Cardiff City Hall and run fully virtually, with "
        "live and on-demand sessions, iPosters, exhibitor booths and a trivia tournament."
    ),
    "venue": "Cardiff City Hall (studio)",
    "city": "Cardiff, Wales",
    "country": "GB",
    "format": MeetingFormat.virtual.value,
    "time_zone": "Europe/London",
    "starts_on": date(2021, 10, 17),
    "ends_on": date(2021, 10, 20),
    "opens_at": datetime(2021, 10, 17, 13, 0, tzinfo=LONDON),
    "closes_at": datetime(2021, 10, 20, 18, 30, tzinfo=LONDON),
    "website": "https://cardiff.cytokinesociety.org/",
}

# (name, affiliation, country, role)
LOCAL_ORGANIZING = [
    ("Simon A. Jones", "Cardiff University", "GB", "Conference Chair"),
    ("Luke A. J. O'Neill", "Trinity College Dublin", "IE", ""),
    ("Iain B. McInnes", "University of Glasgow", "GB", ""),
    ("Gareth W. Jones", "University of Bristol", "GB", ""),
    ("Ian R. Humphreys", "Cardiff University", "GB", ""),
    ("Philip R. Taylor", "Cardiff University", "GB", ""),
    ("Awen M. Gallimore", "Cardiff University", "GB", ""),
]
SCIENTIFIC_ADVISORY = [
    ("Christopher A. Hunter", "University of Pennsylvania", "US", ""),
    ("Sarah L. Gaffen", "University of Pittsburgh", "US", ""),
    ("Eleanor N. Fish", "University of Toronto", "CA", ""),
    ("Michael Gale Jr.", "University of Washington", "US", ""),
    ("Anne O'Garra", "The Francis Crick Institute", "GB", ""),
    ("Warren J. Leonard", "National Institutes of Health", "US", ""),
    ("Lionel B. Ivashkiv", "Hospital for Special Surgery", "US", ""),
    ("Ganes C. Sen", "Cleveland Clinic", "US", ""),
]


async def seed_meeting(db: AsyncSession) -> list[str]:
    """Create or refresh the demo meeting and its committees; safe to run again."""
    meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
    if meeting is None:
        meeting = Meeting(**MEETING)
        db.add(meeting)
    else:
        for key, value in MEETING.items():
            setattr(meeting, key, value)
    await db.flush()

    members = 0
    for committee, people in (
        (Committee.local_organizing, LOCAL_ORGANIZING),
        (Committee.scientific_advisory, SCIENTIFIC_ADVISORY),
    ):
        for position, (name, affiliation, country, role) in enumerate(people):
            person = await db.scalar(select(Person).where(Person.name == name))
            if person is None:
                person = Person(name=name, affiliation=affiliation, country=country)
                db.add(person)
                await db.flush()
            member = await db.scalar(
                select(CommitteeMember).where(
                    CommitteeMember.meeting_id == meeting.id,
                    CommitteeMember.person_id == person.id,
                    CommitteeMember.committee == committee.value,
                )
            )
            if member is None:
                member = CommitteeMember(
                    meeting_id=meeting.id, person_id=person.id, committee=committee.value
                )
                db.add(member)
            member.role = role
            member.position = position
            members += 1
    await db.commit()
    return [f"Meeting: {meeting.name} ({members} committee members)"]
