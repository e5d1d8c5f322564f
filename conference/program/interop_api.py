"""Program interchange: frab/c3voc schedule JSON export and import, CSV import."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
