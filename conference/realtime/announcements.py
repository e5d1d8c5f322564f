"""Announcements: banners for everyone, now or scheduled, with an end time."""

from __future__ import annotations

from fastapi import APIRouter

from conference.realtime.registry import Realtime

router = APIRouter()


def register(realtime: Realtime) -> None:
    """Add this feature's client actions and channel policies to the gateway."""
