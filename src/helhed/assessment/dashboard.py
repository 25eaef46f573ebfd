"""The caseworker time digital information requests saved, from the catalogue's minutes.

The model (simple, and honest about what it counts). The catalogue of the 43 data needs
(Deloitte 2014) gives, per need, the minutes a caseworker spends the manual way on
*identification* (working out what is needed and who has it), *request* (phoning, writing),
*delivery* (receiving, chasing) and *documentation* (writing it into the journal).

For every request **answered by the supplier in helhed** (``InformationAnswer.digital``) we
count ``minutes_request + minutes_delivery + minutes_documentation`` as saved: the request is
a form, the answer arrives in the case and is journalised by itself. *Identification* is not
counted — the caseworker still decides what to ask and whom. Not counted either: answers a
caseworker registered from a letter or a phone call, requests still open, cancelled or
unanswered, and the caseworker's minute or two filling in the form (so the figure is an upper
bound for a request that took longer to fill in than the catalogue assumes for a phone call).

Figures: per month of the answer, per department of the case, and in total; only aggregated
numbers (no citizen), for the actor's municipality.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_noop

from helhed.assessment import structured
from helhed.assessment.models import InformationAnswer, InformationRequest
from helhed.core.errors import AccessDenied
from helhed.organisation.services import roles_of, staff_of
from helhed.sharing.policy import Actor

MAY_SEE = frozenset({"leder", "analytiker", "administrator", "koordinator"})


@dataclass
class Row:
    label: str
    answered: int = 0
    minutes: int = 0

    @property
    def hours(self) -> str:
        return f"{self.minutes / 60:.1f}".replace(".", ",")


@dataclass
class Savings:
    months: list[Row] = field(default_factory=list)
    departments: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row("I alt"))
    registered_by_caseworker: int = 0
    open: int = 0
    overdue: int = 0


def minutes_saved(request: int, delivery: int, documentation: int) -> int:
    """The minutes one digitally answered request saves (see the module's docstring)."""
    return request + delivery + documentation


def _may_see(actor: Actor) -> int:
    staff = staff_of(actor)
    roles = roles_of(actor)
    if staff is None or staff.provider_id is not None or not any(
            r.code in MAY_SEE or (r.may_look_up_citizens and not r.is_provider)
            for r in roles):
        raise AccessDenied(message=gettext_noop(
            "Kun ledere, analytikere og sagsbehandlere kan se besparelsen."))
    return staff.municipality_id


def savings(actor: Actor, *, since: dt.date | None = None) -> Savings:
    municipality = _may_see(actor)
    answers = InformationAnswer.objects.filter(
        request__case__department__municipality_id=municipality)
    if since is not None:
        answers = answers.filter(answered_at__date__gte=since)
    result = Savings()
    months: dict[str, Row] = defaultdict(lambda: Row(""))
    departments: dict[str, Row] = defaultdict(lambda: Row(""))
    for answered_at, digital, department, request, delivery, documentation in (
            answers.values_list("answered_at", "digital", "request__case__department__name",
                                "request__data_need__minutes_request",
                                "request__data_need__minutes_delivery",
                                "request__data_need__minutes_documentation")):
        if not digital:
            result.registered_by_caseworker += 1
            continue
        minutes = minutes_saved(request, delivery, documentation)
        month = f"{timezone.localtime(answered_at):%Y-%m}"
        for row in (months[month], departments[department], result.total):
            row.answered += 1
            row.minutes += minutes
    for key in sorted(months):
        months[key].label = structured.month_label(key)
        result.months.append(months[key])
    for key in sorted(departments):
        departments[key].label = key
        result.departments.append(departments[key])
    open_requests = InformationRequest.objects.filter(
        case__department__municipality_id=municipality,
        state__in=InformationRequest.OPEN_STATES)
    result.open = open_requests.count()
    result.overdue = open_requests.filter(state=InformationRequest.State.OVERDUE).count()
    return result
