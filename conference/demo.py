"""``conference demo``: seed the demo meeting, its accounts, and every domain's demo data."""

from __future__ import annotations

from dataclasses import dataclass

from conference.accounts import service as accounts
from conference.accounts.models import Role
from conference.accounts.passwords import Passwords
from conference.db.engine import Database
from conference.extensions import Extensions
from conference.program.demo.meeting import seed_meeting
from conference.program.demo.program import seed_program

DEMO_PASSWORD = "cytokines2021"  # noqa: S105 - the published demo password
# Judges no posters of their own: the posters' demo assigns it a few, some already scored.
JUDGE_EMAIL = "judge@demo.test"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: tuple[Role, ...]
    affiliation: str
    country: str
    time_zone: str
    is_healthcare_professional: bool = False
    # What the account is for beyond its roles, for the operator (judging is no role).
    note: str = ""


DEMO_ACCOUNTS = (
    DemoAccount(
        "organizer@demo.test",
        "Olwen Organiser",
        (Role.organizer, Role.attendee),
        "ICIS Meeting Office",
        "GB",
        "Europe/London",
    ),
    DemoAccount(
        "attendee@demo.test",
        "Aiko Attendee",
        (Role.attendee,),
        "Osaka University",
        "JP",
        "Asia/Tokyo",
        is_healthcare_professional=True,
    ),
    DemoAccount(
        "speaker@demo.test",
        "Sam Speaker",
        (Role.speaker, Role.attendee),
        "University of Pennsylvania",
        "US",
        "America/New_York",
    ),
    DemoAccount(
        "exhibitor@demo.test",
        "Eli Exhibitor",
        (Role.exhibitor,),
        "PBL Assay Science",
        "US",
        "America/New_York",
    ),
    DemoAccount(
        JUDGE_EMAIL,
        "Jo Judge",
        (Role.attendee,),
        "University of Auckland",
        "NZ",
        "Pacific/Auckland",
        note="poster judge",
    ),
    DemoAccount(
        "admin@demo.test",
        "Ada Admin",
        (Role.admin,),
        "ICIS Platform Team",
        "GB",
        "Europe/London",
    ),
)


async def seed_demo(
    database: Database, passwords: Passwords, extensions: Extensions, *, base_url: str
) -> list[str]:
    """Seed everything; running it twice leaves the same data as running it once.

    ``base_url`` is the server's address, for the lines that tell the operator where to go.
    """
    lines: list[str] = []
    async with database.session() as db:
        lines += await seed_meeting(db)
        for account in DEMO_ACCOUNTS:
            await accounts.ensure_user(
                db,
                email=account.email,
                name=account.name,
                password=DEMO_PASSWORD,
                roles=account.roles,
                passwords=passwords,
                affiliation=account.affiliation,
                country=account.country,
                time_zone=account.time_zone,
                is_healthcare_professional=account.is_healthcare_professional,
            )
        # After the accounts: the program links speaker@demo.test to a talk and is
        # published in the organizer's name.
        lines += await seed_program(db)
        for seeder in extensions.demo_seeders:
            lines += await seeder(db, base_url)
    return lines


def demo_accounts_text(base_url: str) -> str:
    rows = [f"Demo accounts (password for all: {DEMO_PASSWORD}), sign in at {base_url}/signin"]
    for account in DEMO_ACCOUNTS:
        roles = ", ".join(role.value for role in account.roles)
        note = f" ({account.note})" if account.note else ""
        rows.append(f"  {account.email:<22} {roles:<20} zone {account.time_zone}{note}")
    return "\n".join(rows)
