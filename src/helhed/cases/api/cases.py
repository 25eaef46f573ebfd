"""API routes: cases, KLE, journal, history."""

from __future__ import annotations

from ninja import Router

router = Router()
