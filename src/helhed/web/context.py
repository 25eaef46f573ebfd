"""Template context: the logged-in staff member, their roles and the main navigation.

Computed once per request and cached on the request, so that views and the context processor
share it. Its two queries (staff member, roles) are shared with the policy door and the
access log: ``organisation.services`` remembers them on the request's user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helhed.organisation import services
from helhed.organisation.models import Role, StaffMember


@dataclass
class NavItem:
    label: str
    url: str
    active: bool = False


@dataclass
class Who:
    """The logged-in user as the pages see them."""

    member: StaffMember | None
    roles: list[Role] = field(default_factory=list)

    @property
    def may_look_up_citizens(self) -> bool:
        return any(role.may_look_up_citizens for role in self.roles)

    @property
    def primary_role(self) -> Role | None:
        return self.roles[0] if self.roles else None


def who(request: HttpRequest) -> Who:
    cached = getattr(request, "_helhed_who", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    # roles_of keeps Role's ordering (sort_order, name): the first role is the primary one.
    result = Who(services.staff_of(user), services.roles_of(user))
    request._helhed_who = result  # type: ignore[attr-defined]
    return result


SECTIONS = {
    "start": "start", "start-page": "start",
    "citizen-search": "citizens", "citizen-detail": "citizens",
    "citizen-contact-edit": "citizens", "citizen-grants": "citizens",
    "work-list": "work", "notification-new": "work", "notification-detail": "work",
    "case-search": "search", "outbox-list": "outbox", "outbox-detail": "outbox",
}


def navigation(request: HttpRequest, current: Who) -> list[NavItem]:
    match = getattr(request, "resolver_match", None)
    section = SECTIONS.get(match.url_name if match else "", "")
    items = [NavItem(str(_("Start")), reverse("start"), section == "start")]
    if current.may_look_up_citizens:
        items.append(NavItem(str(_("Arbejdsliste")), reverse("work-list"), section == "work"))
        items.append(NavItem(str(_("Find borger")), reverse("citizen-search"),
                             section == "citizens"))
        items.append(NavItem(str(_("Søg i sager")), reverse("case-search"),
                             section == "search"))
        items.append(NavItem(str(_("Forsendelser")), reverse("outbox-list"),
                             section == "outbox"))
    return items


def staff(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = who(request)
    return {
        "staff": current.member,
        "staff_roles": current.roles,
        "may_look_up_citizens": current.may_look_up_citizens,
        "main_navigation": navigation(request, current),
    }
