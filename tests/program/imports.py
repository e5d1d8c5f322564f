"""Helpers of the program import tests (frab JSON, schedule2, CSV): the data files, posting
a document, and what an import changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from conference.program.models import (
    Person,
    ProgramSession,
    SessionChair,
    Stage,
    Talk,
    TalkSpeaker,
    Track,
)
from tests.program.factories import API

DATA = Path(__file__).parent / "data"
IMPORT = f"{API}/import"


def fixture(name: str) -> dict[str, Any]:
    """A JSON document from ``data/``."""
    data: dict[str, Any] = json.loads((DATA / name).read_text())
    return data


async def row_counts(app: FastAPI) -> dict[str, int]:
    """Rows of every program table, to show that a refused import changed nothing."""
    models = (Stage, Track, Person, ProgramSession, SessionChair, Talk, TalkSpeaker)
    async with app.state.ctx.db.session() as db:
        return {
            m.__tablename__: int(await db.scalar(select(func.count()).select_from(m)) or 0)
            for m in models
        }


async def post_import(
    client: httpx.AsyncClient, document: object, *, dry_run: bool
) -> httpx.Response:
    """POST ``document`` as JSON to the import API (a dry run or not)."""
    return await client.post(
        IMPORT,
        params={"dry_run": str(dry_run).lower()},
        content=json.dumps(document),
        headers={"Content-Type": "application/json"},
    )


def nothing_changed(unchanged: int, *, dry_run: bool = True) -> dict[str, Any]:
    """The answer of an import that changes nothing and finds ``unchanged`` sessions."""
    empty: dict[str, list[str]] = {"added": [], "updated": []}
    return {
        "dry_run": dry_run,
        "sessions": {"added": [], "updated": [], "unchanged": unchanged},
        "stages": empty,
        "tracks": empty,
        "people": empty,
    }


async def draft(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """The draft sessions by title, with stage and track names instead of ids."""
    stages = {s["id"]: s["name"] for s in (await client.get(f"{API}/stages")).json()}
    tracks = {t["id"]: t["name"] for t in (await client.get(f"{API}/tracks")).json()}
    found = {}
    for session in (await client.get(f"{API}/draft/sessions")).json():
        session["stage"] = stages.get(session.pop("stage_id"))
        session["track"] = tracks.get(session.pop("track_id"))
        found[session["title"]] = session
    return found
