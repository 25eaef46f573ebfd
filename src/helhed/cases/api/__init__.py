"""The cases API under /api/v1/cases/: each part of the app keeps its own router."""

from ninja import Router

from helhed.cases.api import cases, decisions, documents, notifications

router = Router(tags=["Sager"])
router.add_router("", cases.router)
router.add_router("", notifications.router)
router.add_router("", documents.router)
router.add_router("", decisions.router)
