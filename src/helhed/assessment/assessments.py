"""Adult assessments (VUM 2.0): recording one with its functional levels, reading it, and a
citizen's levels per theme over time.

Recording is a change to the case: the door must let the actor write on it
(``cases.access.write_case``); reading asks ``cases.access.read_case``. Every level is
checked against the Fælles Sprog III scale (0–4, 9 not relevant) before anything is
written; one bad level refuses the whole assessment, naming its field. An assessment is
never changed afterwards: a new one is recorded instead, so the levels over time stay.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from helhed.assessment import vum
from helhed.assessment.assessments_models import AdultAssessment, FunctionalLevel
from helhed.cases import access, history
from helhed.cases.models import Case
from helhed.cases.services import CaseClosed, CaseNotFound
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.people.models import Citizen
from helhed.sharing.policy import Actor

MAX_TEXT = 10000
EVENT_RECORDED = "assessment.adult_assessment.recorded"


class AssessmentNotFound(NotFound):
    code = "assessment.adult_assessment_not_found"
    message = gettext_noop("Udredningen findes ikke.")


@dataclass(frozen=True)
class LevelIn:
    """One theme as the caseworker entered it (page or API)."""

    theme: str
    level: Any = None
    citizen_level: Any = None
    text: str = ""


@dataclass(frozen=True)
class LevelPoint:
    """One theme's levels in one assessment, for the levels over time."""

    assessment: uuid.UUID
    assessed_on: dt.date
    level: int | None
    citizen_level: int | None


# --- validating ---------------------------------------------------------------------------

def _level(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if str(value).strip() != str(number) or number not in vum.LEVELS:
        raise InvalidInput("assessment.level_invalid",
                           gettext_noop("Funktionsniveauet skal være 0, 1, 2, 3, 4 eller 9 "
                                        "(ikke relevant), ikke “%(value)s”."),
                           field=field, params={"value": str(value)[:20]})
    return number


def _rows(levels: Iterable[LevelIn]) -> list[FunctionalLevel]:
    known = vum.themes()
    rows: list[FunctionalLevel] = []
    seen: set[str] = set()
    for entry in levels:
        theme = (entry.theme or "").strip()
        if theme not in known:
            raise InvalidInput("assessment.theme_unknown",
                               gettext_noop("Temaet “%(theme)s” findes ikke i VUM."),
                               field="theme", params={"theme": theme[:40]})
        if theme in seen:
            raise InvalidInput("assessment.theme_twice",
                               gettext_noop("Temaet “%(theme)s” er vurderet to gange."),
                               field=f"level_{theme}", params={"theme": known[theme].title})
        seen.add(theme)
        text = (entry.text or "").strip()
        if len(text) > MAX_TEXT:
            raise InvalidInput("assessment.text_too_long", gettext_noop("Højst 10000 tegn."),
                               field=f"text_{theme}")
        level = _level(entry.level, f"level_{theme}")
        own = _level(entry.citizen_level, f"citizen_level_{theme}")
        if level is None and own is None and not text:
            continue
        rows.append(FunctionalLevel(theme=theme, level=level, citizen_level=own, text=text))
    if not rows:
        raise InvalidInput("assessment.levels_required",
                           gettext_noop("Vurdér mindst ét tema."), field="levels")
    return rows


def _assessed_on(value: dt.date | None) -> dt.date:
    if value is None:
        raise InvalidInput("assessment.date_required",
                           gettext_noop("Angiv datoen for udredningen."), field="assessed_on")
    if value > clock.today():
        raise InvalidInput("assessment.date_in_future",
                           gettext_noop("Udredningsdatoen kan ikke ligge i fremtiden."),
                           field="assessed_on")
    return value


# --- loading ------------------------------------------------------------------------------

def _load_case(case_uuid: uuid.UUID | str) -> Case:
    try:
        key = uuid.UUID(str(case_uuid))
    except ValueError:
        raise CaseNotFound() from None
    case = (Case.objects.select_related("citizen", "department", "responsible__user")
            .filter(uuid=key).first())
    if case is None:
        raise CaseNotFound()
    return case


def assessment_target(actor: Actor, case_uuid: uuid.UUID | str) -> Case:
    """The case a caseworker is about to record an assessment on (the form page)."""
    case = _load_case(case_uuid)
    access.write_case(actor, case, "voksenudredning")
    return case


# --- recording ----------------------------------------------------------------------------

def record_adult_assessment(actor: Actor, case_uuid: uuid.UUID | str, *,
                            assessed_on: dt.date | None, levels: Iterable[LevelIn],
                            summary: str = "") -> AdultAssessment:
    """Record a new assessment with its levels on an open case. Emits
    ``assessment.adult_assessment.recorded`` with the levels per theme (codes and numbers,
    no text) and writes its history row, in one transaction."""
    case = _load_case(case_uuid)
    staff = access.write_case(actor, case, "voksenudredning")
    if case.is_closed:
        raise CaseClosed()
    day = _assessed_on(assessed_on)
    rows = _rows(levels)
    summary = (summary or "").strip()
    if len(summary) > MAX_TEXT:
        raise InvalidInput("assessment.text_too_long", gettext_noop("Højst 10000 tegn."),
                           field="summary")
    with transaction.atomic():
        made = AdultAssessment.objects.create(
            case=case, citizen=case.citizen, assessed_on=day, summary=summary,
            created_by=staff, created_at=clock.now())
        for row in rows:
            row.assessment = made
        FunctionalLevel.objects.bulk_create(rows)
        levels_out = {r.theme: {"level": r.level, "citizen_level": r.citizen_level}
                      for r in rows}
        history.changed(
            actor, event=EVENT_RECORDED, object_type="adultassessment",
            object_uuid=made.uuid, citizen=case.citizen, case=case,
            summary=f"Voksenudredning {day:%d.%m.%Y}",
            after={"assessed_on": day.isoformat(), "levels": levels_out},
            payload={"assessed_on": day.isoformat(), "levels": levels_out})
    return made


# --- reading ------------------------------------------------------------------------------

def get_assessment(actor: Actor, assessment_uuid: uuid.UUID | str) -> AdultAssessment:
    try:
        key = uuid.UUID(str(assessment_uuid))
    except ValueError:
        raise AssessmentNotFound() from None
    found = (AdultAssessment.objects
             .select_related("case__citizen", "case__department", "case__responsible__user",
                             "citizen", "created_by__user")
             .prefetch_related("levels").filter(uuid=key).first())
    if found is None:
        raise AssessmentNotFound()
    access.read_case(actor, found.case, "voksenudredning")
    return found


def levels_of(assessment: AdultAssessment) -> list[tuple[vum.Theme, FunctionalLevel | None]]:
    """The assessment's rows in VUM order, every theme (``None`` where not assessed)."""
    by_theme = {r.theme: r for r in assessment.levels.all()}
    return [(theme, by_theme.get(code)) for code, theme in vum.themes().items()]


def assessments_on_case(actor: Actor, case_uuid: uuid.UUID | str) -> list[AdultAssessment]:
    case = _load_case(case_uuid)
    access.read_case(actor, case, "voksenudredninger")
    return list(AdultAssessment.objects.filter(case=case).select_related("created_by__user")
                .prefetch_related("levels"))


def levels_over_time(actor: Actor,
                     citizen_uuid: uuid.UUID | str) -> dict[str, list[LevelPoint]]:
    """A citizen's levels per theme, oldest first, from every assessment on a case the
    actor may read (each case asks the door, which logs it). ``AccessDenied`` when the
    citizen has assessments but the actor may read none of them; only caseworkers ask."""
    access.caseworker(actor)
    try:
        key = uuid.UUID(str(citizen_uuid))
    except ValueError:
        raise NotFound() from None
    citizen = Citizen.objects.filter(uuid=key).first()
    if citizen is None:
        raise NotFound()
    found = list(AdultAssessment.objects.filter(citizen=citizen)
                 .select_related("case__citizen", "case__department",
                                 "case__responsible__user")
                 .prefetch_related("levels").order_by("assessed_on", "created_at"))
    readable = _readable_cases(actor, {a.case_id: a.case for a in found})
    out: dict[str, list[LevelPoint]] = {code: [] for code in vum.themes()}
    for item in found:
        if item.case_id not in readable:
            continue
        for row in item.levels.all():
            out.setdefault(row.theme, []).append(LevelPoint(
                assessment=item.uuid, assessed_on=item.assessed_on, level=row.level,
                citizen_level=row.citizen_level))
    return out


def _readable_cases(actor: Actor, cases: Mapping[int, Case]) -> set[int]:
    allowed: set[int] = set()
    refusal: AccessDenied | NotFound | None = None
    for pk, case in cases.items():
        try:
            access.read_case(actor, case, "funktionsniveauer over tid")
        except (AccessDenied, NotFound) as exc:
            refusal = exc
        else:
            allowed.add(pk)
    if cases and not allowed and refusal is not None:
        raise refusal
    return allowed
