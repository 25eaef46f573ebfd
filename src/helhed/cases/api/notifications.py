"""API routes: notifications (mounted by cases/api/__init__.py)."""

from __future__ import annotations

from ninja import Router

router = Router()
