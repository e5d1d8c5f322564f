"""Session chat: send, edit, delete, moderation (delete any, mute), paged history."""

from __future__ import annotations

from fastapi import APIRouter

from conference.realtime.registry import Realtime

router = APIRouter()


def register(realtime: Realtime) -> None:
    """Add this feature's client actions and channel policies to the gateway."""
