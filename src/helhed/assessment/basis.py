"""The basis of an information request: a consent or a legal-basis rule, checked before
anything is written and logged either way (ARCHITECTURE.md rule 1).

The same bases as the policy door's (``sharing.policy``), asked the other way round: the door
decides whether an actor may read an item that exists; a request is about data that does not
exist in helhed yet, so the check names the consent or rule the caseworker chose and says
exactly what is missing when it does not cover the request.

- Consent: for the request's subject, not withdrawn, valid today, covering the data need's
  category; when it names departments ("from which departments"), the recipient must be one
  of them (an external recipient is then not covered).
- Rule: active, for one of the actor's roles, for case work, covering the category; its
  condition ("an open case in these departments on the citizen or a child of the family")
  holds through the open case the request is made on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from helhed.cases.models import Case
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.organisation.models import Department
from helhed.organisation.services import roles_of
from helhed.sharing import policy
from helhed.sharing.models import AccessRule, Consent, DataCategory
from helhed.sharing.policy import Actor, Purpose


@dataclass(frozen=True)
class Basis:
    consent: Consent | None
    rule: AccessRule | None
    text: str


@dataclass(frozen=True)
class BasisOption:
    """One basis the form offers: ``value`` is ``samtykke:<uuid>`` or ``hjemmel:<code>``."""

    value: str
    label: str
    text: str


def _refuse(actor: Actor, case: Case, category: DataCategory, detail: str,
            error: InvalidInput) -> InvalidInput:
    decision = policy.Decision(False, "", error.message)
    policy.record(actor, [policy.look(decision, case.citizen.uuid, category.code,
                                      purpose=Purpose.CASEWORK, action="request",
                                      detail=f"indhentning: {detail}: {error.message}")])
    return error


def _basis_error(code: str, message: str, **params: object) -> InvalidInput:
    return InvalidInput(f"assessment.{code}", message, field="basis", params=params)


def _consent(case: Case, category: DataCategory, recipient: Department | None,
             key: uuid.UUID | str) -> Basis:
    try:
        parsed = uuid.UUID(str(key))
    except ValueError:
        parsed = None
    consent = (Consent.objects.prefetch_related("categories", "from_departments", "given_by")
               .filter(uuid=parsed).first() if parsed else None)
    if consent is None or consent.citizen_id != case.citizen_id:
        raise _basis_error("consent_unknown",
                           gettext_noop("Der er intet sådant samtykke fra %(name)s."),
                           name=case.citizen.full_name)
    today = clock.today()
    if consent.withdrawn_at is not None:
        raise _basis_error("consent_withdrawn",
                           gettext_noop("Samtykket blev trukket tilbage %(date)s. Indhent et "
                                        "nyt samtykke, eller vælg en hjemmel."),
                           date=f"{consent.withdrawn_at:%d.%m.%Y}")
    if not consent.valid_from <= today <= consent.valid_to:
        raise _basis_error("consent_not_valid",
                           gettext_noop("Samtykket gælder kun %(start)s–%(end)s."),
                           start=f"{consent.valid_from:%d.%m.%Y}",
                           end=f"{consent.valid_to:%d.%m.%Y}")
    if category not in consent.categories.all():
        raise _basis_error("consent_category",
                           gettext_noop("Samtykket dækker ikke “%(category)s”. Det dækker: "
                                        "%(covered)s."),
                           category=category.name,
                           covered=", ".join(c.name for c in consent.categories.all()))
    departments = list(consent.from_departments.all())
    if departments and (recipient is None or recipient not in departments):
        raise _basis_error("consent_source",
                           gettext_noop("Samtykket dækker kun oplysninger fra %(departments)s."),
                           departments=", ".join(d.name for d in departments))
    givers = " og ".join(c.full_name for c in consent.given_by.all())
    return Basis(consent, None, f"Samtykke fra {givers} "
                                f"({consent.valid_from:%d.%m.%Y}–{consent.valid_to:%d.%m.%Y})")


def _rule(actor: Actor, case: Case, category: DataCategory, code: str) -> Basis:
    rule = (AccessRule.objects.prefetch_related("categories", "roles")
            .filter(code=code, active=True).first())
    if rule is None:
        raise _basis_error("rule_unknown", gettext_noop("Hjemlen findes ikke."))
    if not {r.pk for r in rule.roles.all()} & {r.pk for r in roles_of(actor)}:
        raise _basis_error("rule_role",
                           gettext_noop("Din rolle er ikke omfattet af hjemlen %(rule)s."),
                           rule=rule.paragraph)
    if Purpose.CASEWORK.value not in (rule.purposes or []):
        raise _basis_error("rule_purpose",
                           gettext_noop("Hjemlen %(rule)s gælder ikke sagsbehandling."),
                           rule=rule.paragraph)
    if category not in rule.categories.all():
        raise _basis_error("rule_category",
                           gettext_noop("Hjemlen %(rule)s dækker ikke “%(category)s”."),
                           rule=rule.paragraph, category=category.name)
    if (rule.condition != AccessRule.Condition.NONE
            and case.department.code not in (rule.condition_departments or [])):
        raise _basis_error("rule_condition",
                           gettext_noop("Hjemlen %(rule)s kræver en åben sag i %(departments)s."),
                           rule=rule.paragraph,
                           departments=", ".join(rule.condition_departments or []))
    return Basis(None, rule, f"Hjemmel: {rule.paragraph} ({rule.name})")


def check_basis(actor: Actor, case: Case, category: DataCategory,
                recipient: Department | None, *, consent_uuid: uuid.UUID | str | None,
                rule_code: str | None, detail: str) -> Basis:
    """The request's basis, or ``InvalidInput`` (field ``basis``) naming what is missing.
    Logged either way, before any write."""
    try:
        if consent_uuid and rule_code:
            raise _basis_error("basis_ambiguous",
                               gettext_noop("Vælg ét grundlag: et samtykke eller en hjemmel."))
        if consent_uuid:
            basis = _consent(case, category, recipient, consent_uuid)
        elif rule_code:
            basis = _rule(actor, case, category, rule_code)
        else:
            raise _basis_error("basis_required",
                               gettext_noop("Vælg grundlaget for indhentningen: et samtykke "
                                            "fra %(name)s eller en hjemmel."),
                               name=case.citizen.full_name)
    except InvalidInput as error:
        raise _refuse(actor, case, category, detail, error) from None
    decision = policy.Decision(True, basis.text[:200])
    policy.record(actor, [policy.look(decision, case.citizen.uuid, category.code,
                                      purpose=Purpose.CASEWORK, action="request",
                                      detail=f"indhentning: {detail}")])
    return basis


def options(actor: Actor, case: Case) -> tuple[list[BasisOption], list[BasisOption]]:
    """The bases the form lists: the citizen's active consents and the active rules of the
    actor's roles for case work, each with the text the caseworker must see."""
    today = clock.today()
    consents = (Consent.objects.filter(citizen=case.citizen, withdrawn_at__isnull=True,
                                       valid_from__lte=today, valid_to__gte=today)
                .prefetch_related("categories", "from_departments", "given_by")
                .order_by("-recorded_at"))
    found = []
    for consent in consents:
        givers = " og ".join(c.full_name for c in consent.given_by.all())
        scope = ", ".join(c.name for c in consent.categories.all())
        sources = ", ".join(d.name for d in consent.from_departments.all())
        text = f"Dækker: {scope}." + (f" Kun fra: {sources}." if sources else "")
        if consent.note:
            text += f" {consent.note}"
        found.append(BasisOption(
            f"samtykke:{consent.uuid}",
            f"Samtykke fra {givers}, {consent.get_purpose_display()}, "
            f"{consent.valid_from:%d.%m.%Y}–{consent.valid_to:%d.%m.%Y}", text))
    role_ids = [r.pk for r in roles_of(actor)]
    rules = (AccessRule.objects.filter(active=True, roles__in=role_ids).distinct()
             .order_by("code")) if role_ids else AccessRule.objects.none()
    laws = [BasisOption(f"hjemmel:{r.code}", f"{r.paragraph}: {r.name}", r.description)
            for r in rules if Purpose.CASEWORK.value in (r.purposes or [])]
    return found, laws
