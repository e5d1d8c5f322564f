"""Organizer console pages (sessions, stages, tracks, people, warnings, publishing)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
