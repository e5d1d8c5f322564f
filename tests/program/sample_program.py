"""A small published program for the attendee tests (pages, agenda, iCalendar).

Cytokines 2021 runs in Europe/London, on British Summer Time (UTC+1) in October 2021, so
09:00 there is 08:00 UTC and 17:00 in Tokyo (UTC+9).

- "Interferon keynote": plenary, Main Stage, Interferons track, Mon 18 Oct 09:00-10:00,
  CME 60 min, chaired by Chiara Chair; talk "Type I interferon signalling" (09:00, 30 min)
  by Ana Speaker, whose abstract mentions STAT1.
- "Chemokine symposium": symposium, Stage B, Chemokines track, Mon 18 Oct 09:30-11:00
  (overlaps the keynote); talk "CXCL10 in infection" (09:30, 30 min) by Bo Speaker.
- "Evening posters": poster session, Stage B, Tue 19 Oct 17:00-18:00 London, which is
  Wed 20 Oct 01:00-02:00 in Tokyo.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from conference.accounts.models import Role
from tests.factories import UserFactory, sign_in
from tests.program.factories import ProgramBuilder

ORGANIZER = "organizer@example.org"


@dataclass
class Sample:
    keynote: str
    symposium: str
    posters: str
    ana: str
    chiara: str
    keynote_id: int
    symposium_id: int
    posters_id: int


async def publish_sample(client: httpx.AsyncClient, users: UserFactory) -> Sample:
    """Build and publish the sample as an organizer; the client stays signed in as one."""
    await users.create(Role.organizer, email=ORGANIZER)
    await sign_in(client, ORGANIZER)
    build = ProgramBuilder(client)
    main = await build.stage("Main Stage", room="Hall 1")
    stage_b = await build.stage("Stage B")
    interferons = await build.track("Interferons", color="#1f77b4")
    chemokines = await build.track("Chemokines", color="#2ca02c")
    ana = await build.person(
        "Ana Speaker",
        affiliation="Cardiff University",
        country="GB",
        biography="Studies interferon signalling.\n\nLoves STAT proteins.",
    )
    bo = await build.person("Bo Speaker", affiliation="Kyoto University", country="JP")
    chiara = await build.person("Chiara Chair", affiliation="University of Glasgow")
    keynote = await build.session(
        "Interferon keynote",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:00:00+01:00",
        session_type="plenary",
        stage_id=main["id"],
        track_id=interferons["id"],
        chair_ids=[chiara["id"]],
        cme_accredited=True,
        cme_minutes=60,
        description="The opening keynote.",
    )
    await build.talk(
        keynote["id"],
        "Type I interferon signalling",
        "2021-10-18T09:00:00+01:00",
        30,
        speaker_ids=[ana["id"]],
        abstract="How STAT1 phosphorylation shapes the response.",
    )
    symposium = await build.session(
        "Chemokine symposium",
        "2021-10-18T09:30:00+01:00",
        "2021-10-18T11:00:00+01:00",
        stage_id=stage_b["id"],
        track_id=chemokines["id"],
    )
    await build.talk(
        symposium["id"],
        "CXCL10 in infection",
        "2021-10-18T09:30:00+01:00",
        30,
        speaker_ids=[bo["id"]],
    )
    posters = await build.session(
        "Evening posters",
        "2021-10-19T17:00:00+01:00",
        "2021-10-19T18:00:00+01:00",
        session_type="poster_session",
        stage_id=stage_b["id"],
    )
    published = await build.publish(note="First program")
    assert published.status_code == 201, published.text
    return Sample(
        keynote=keynote["guid"],
        symposium=symposium["guid"],
        posters=posters["guid"],
        ana=ana["guid"],
        chiara=chiara["guid"],
        keynote_id=keynote["id"],
        symposium_id=symposium["id"],
        posters_id=posters["id"],
    )


async def become(client: httpx.AsyncClient, users: UserFactory, *, time_zone: str) -> str:
    """Sign the client out and in again as a new attendee in ``time_zone``; their email."""
    await client.post("/api/v1/auth/logout")
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    user = await users.create(time_zone=time_zone)
    await sign_in(client, user.email)
    return user.email
