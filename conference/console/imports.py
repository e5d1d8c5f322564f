"""Organizer console page for importing a program (frab/pretalx JSON, CSV)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
