"""The sharing API under /api/v1/sharing/: each part of the app keeps its own router;
add yours with one ``router.add_router("", <module>.router)`` line."""

from ninja import Router

from helhed.sharing.api import advis, consents, overview, targets

router = Router(tags=["Deling"])
router.add_router("", overview.router)
router.add_router("", targets.router)
router.add_router("", consents.router)
router.add_router("", advis.router)
