"""The plans' rows in the family overview (``sharing.overview.SOURCES``, appended in
``plans.apps``): that a plan exists, where and who to ask; its content needs a basis."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils.translation import gettext_noop

from helhed.plans.models import Plan
from helhed.sharing import policy
from helhed.sharing.overview import Kind, Source
from helhed.sharing.policy import CaseScope

# Danish source text: pages translate it (the overview's convention).
STATE_LABELS: dict[str, str] = {Plan.State.DRAFT: gettext_noop("Kladde"),
                Plan.State.PUBLISHED: gettext_noop("Offentliggjort")}


def _name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)


def plans_for_overview(citizen_ids: list[int]) -> Iterable[Source]:
    """One row per plan and member citizen of the family, in one query."""
    known = policy.categories()
    rows = Plan.objects.filter(members__citizen_id__in=citizen_ids).values_list(
        "uuid", "members__citizen_id", "title", "kind", "state", "created_at",
        "department_id", "department__code", "department__name", "responsible_id",
        "responsible__user__first_name", "responsible__user__last_name",
        "responsible__phone", "responsible__unit_id").distinct()
    for (key, citizen, title, _kind, state, created, department_id, code, name,
         responsible_id, first, last, phone, unit_id) in rows:
        scope = CaseScope(department_id=department_id, unit_id=unit_id,
                          responsible_id=responsible_id, department_name=name or "",
                          department_code=code or "",
                          category=policy.category_of_department(code or "", known),
                          responsible_name=_name(first, last), responsible_phone=phone or "")
        yield Source(Kind.PLAN, uuid.UUID(str(key)), citizen, title, state,
                     STATE_LABELS.get(state, state), True, created.date(), None, scope,
                     url_name="plan-detail")
