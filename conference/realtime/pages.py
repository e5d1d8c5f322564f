"""Realtime pages: the chair's projector view and the phone page behind the QR code."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
