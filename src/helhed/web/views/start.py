"""Start pages: one per role (``Role.start_page``), and a clear page for users with none."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from helhed.web.context import who

# The start pages that exist; a role naming another page gets the generic one.
START_PAGES = (
    "sagsbehandler", "koordinator", "doegnvagt", "leder", "udfoerer", "planlaegger",
    "medarbejder", "analytiker", "administrator",
)
GENERIC_PAGE = "medarbejder"


def _template_for(page: str) -> str:
    return f"web/start--{page if page in START_PAGES else GENERIC_PAGE}.html"


def start(request: HttpRequest, page: str | None = None) -> HttpResponse:
    current = who(request)
    if current.member is None or not current.roles:
        return render(request, "web/start--no-role.html", {"has_staff": current.member},
                      status=403)
    role = current.roles[0]
    if page is not None:
        chosen = next((r for r in current.roles if r.start_page == page), None)
        if chosen is None:
            raise Http404
        role = chosen
    # One link per other start page (several roles can share one page).
    others: dict[str, str] = {}
    for other in current.roles:
        if other.start_page != role.start_page:
            others.setdefault(other.start_page, other.name)
    return render(request, "web/start.html", {
        "role": role,
        "role_template": _template_for(role.start_page),
        "other_pages": others,
        "member": current.member,
        "department": current.member.department,
    })
