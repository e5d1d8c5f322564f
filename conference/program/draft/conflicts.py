"""Conflict warnings for a program snapshot. Pure functions: no database, no clock."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from conference.program.documents import SessionDoc, Snapshot
from conference.program.models import SessionType
from conference.program.schemas import Warning


def _span(session: SessionDoc) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(session["starts_at"]), datetime.fromisoformat(session["ends_at"])


def _overlapping_pairs(
    sessions: list[SessionDoc],
) -> list[tuple[SessionDoc, SessionDoc]]:
    """Pairs that overlap in time (touching end-to-start is not an overlap); sweep by start."""
    spans = sorted(((*_span(s), i) for i, s in enumerate(sessions)), key=lambda span: span[0])
    pairs: list[tuple[SessionDoc, SessionDoc]] = []
    active: list[tuple[datetime, datetime, int]] = []
    for start, end, index in spans:
        active = [span for span in active if span[1] > start]
        pairs.extend((sessions[other], sessions[index]) for _, _, other in active)
        active.append((start, end, index))
    return pairs


def find_conflicts(snapshot: Snapshot) -> list[Warning]:
    """Every warning an organizer should see before publishing ``snapshot``."""
    meeting = snapshot["meeting"]
    zone = ZoneInfo(meeting["time_zone"])
    first_day = date.fromisoformat(meeting["starts_on"])
    last_day = date.fromisoformat(meeting["ends_on"])
    people = snapshot["people"]
    stage_names = {s["guid"]: s["name"] for s in snapshot["stages"]}
    sessions = snapshot["sessions"]
    warnings: list[Warning] = []

    for session in sessions:
        start, end = _span(session)
        title = session["title"]
        if session["stage"] is None and session["type"] != SessionType.break_.value:
            warnings.append(
                Warning(
                    code="no_stage",
                    message=f'"{title}" has no stage.',
                    session_guids=[session["guid"]],
                )
            )
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        if local_start.date() < first_day or local_end.date() > last_day:
            warnings.append(
                Warning(
                    code="outside_meeting_days",
                    message=(
                        f'"{title}" is outside the meeting days '
                        f"({first_day:%d %b} to {last_day:%d %b %Y}, {meeting['time_zone']})."
                    ),
                    session_guids=[session["guid"]],
                )
            )
        for talk in session["talks"]:
            talk_start = datetime.fromisoformat(talk["starts_at"])
            talk_end = talk_start.timestamp() + talk["duration_minutes"] * 60
            if talk_start < start or talk_end > end.timestamp():
                warnings.append(
                    Warning(
                        code="talk_outside_session",
                        message=f'The talk "{talk["title"]}" runs outside its session "{title}".',
                        session_guids=[session["guid"]],
                    )
                )

    by_stage: defaultdict[str, list[SessionDoc]] = defaultdict(list)
    for session in sessions:
        if session["stage"] is not None:
            by_stage[session["stage"]].append(session)
    for stage, stage_sessions in by_stage.items():
        for a, b in _overlapping_pairs(stage_sessions):
            warnings.append(
                Warning(
                    code="stage_overlap",
                    message=(
                        f'"{a["title"]}" and "{b["title"]}" overlap on '
                        f"{stage_names.get(stage, stage)}."
                    ),
                    session_guids=[a["guid"], b["guid"]],
                )
            )

    by_person: defaultdict[str, list[SessionDoc]] = defaultdict(list)
    for session in sessions:
        involved = set(session["chairs"])
        for talk in session["talks"]:
            involved.update(talk["speakers"])
        for person in involved:
            by_person[person].append(session)
    for person, person_sessions in sorted(by_person.items()):
        for a, b in _overlapping_pairs(person_sessions):
            known = people.get(person)
            name = known["name"] if known else person
            warnings.append(
                Warning(
                    code="person_overlap",
                    message=(
                        f'{name} is in two overlapping sessions: "{a["title"]}" and "{b["title"]}".'
                    ),
                    session_guids=[a["guid"], b["guid"]],
                )
            )
    return warnings
