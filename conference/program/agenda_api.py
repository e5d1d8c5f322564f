"""Personal agenda (stars, calendar feed) and iCalendar downloads."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
