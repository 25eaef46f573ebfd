"""Template context: the logged-in staff member and their roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from helhed.organisation import services


def staff(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    member = services.staff_of(user)
    return {"staff": member, "staff_roles": services.roles_of(user) if member else []}
