"""``helhed demo``: a synthetic municipality, deterministic from a seed, fast at any size.

Everything comes from one ``random.Random(seed)``: CPR numbers, names, UUIDs, addresses,
families, staff, and the casework — cases in six departments with KLE, journal, decisions,
grants and history, notifications on children with their deadlines (``casework``,
``casekinds``, ``caserows``, ``notices``). Dates are counted from a fixed reference day
(1 November 2026), never from the wall clock, so the same seed builds the same
municipality on SQLite and PostgreSQL, today and next year. The casework is a snapshot as
of that moment: a deadline due after it is open, and as time passes the short ones
(24 hours, receipts) turn overdue on the work list, as they would in an office left alone.

The rows are made in Python as plain tuples with their primary keys already set, then
written in bulk (``COPY`` on PostgreSQL, ``executemany`` on SQLite) in one transaction.

Events: the demo is a bulk load, not a series of domain changes. It emits one event,
``demo.municipality.generated``, with the row counts (``rows``) and the casework's counts
(``casework``) in its payload, instead of one event per citizen, address, relation or
case (ARCHITECTURE.md rule 2 applies to services; a subscriber that needs the demo's rows
should rebuild from the tables when it sees this event). The cases' history rows
(``cases.Change``) are written as data, without their events.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from helhed.core.events import emit
from helhed.core.models import Sensitivity
from helhed.demo.adults import add_contact_details, add_guardians, build_adults
from helhed.demo.casebase import CASE_MODELS
from helhed.demo.casework import Casework, build_casework
from helhed.demo.families import build_families
from helhed.demo.institutions import build_organisation
from helhed.demo.rows import Encoder, Table
from helhed.demo.staff import Staff
from helhed.demo.store import analyze, bulk_load, first_free_id, reset_sequences, write
from helhed.demo.town import Town
from helhed.organisation.models import Municipality, Provider, StaffMember, Unit
from helhed.organisation.setup import ensure_municipality
from helhed.people.models import (
    Address,
    Citizen,
    ContactArrangement,
    ContactDetails,
    Custody,
    Enrollment,
    Guardianship,
    ParentChild,
    Residence,
)

MUNICIPALITY_NAME = "Helhed Kommune"
REGION_NAME = "Region Demo"
EVENT_TYPE = "demo.municipality.generated"
Say = Callable[[str], None]


def number(value: int) -> str:
    """A whole number the Danish way: 100.000."""
    return f"{value:,}".replace(",", ".")


def decimal(value: float, places: int = 1) -> str:
    """A decimal number the Danish way: 12,5."""
    return f"{value:.{places}f}".replace(".", ",")


def _models() -> dict[str, type[models.Model]]:
    return {
        "citizen": Citizen, "address": Address, "residence": Residence,
        "parent_child": ParentChild, "custody": Custody, "contact": ContactArrangement,
        "guardianship": Guardianship, "details": ContactDetails, "unit": Unit,
        "provider": Provider, "enrollment": Enrollment, "user": get_user_model(),
        "staff": StaffMember, "staff_role": StaffMember.roles.through, **CASE_MODELS,
    }


class DemoRefused(Exception):
    """The demo cannot be built here; ``message`` says why, in Danish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Summary:
    """What was built and how long it took."""

    seed: int
    citizens: int
    rows: dict[str, int] = field(default_factory=dict)  # table label -> rows
    seconds: dict[str, float] = field(default_factory=dict)  # table label -> write time
    build_seconds: float = 0.0
    casework_seconds: float = 0.0  # of build_seconds: cases, notifications, grants
    commit_seconds: float = 0.0  # PostgreSQL checks the (deferred) foreign keys here
    analyze_seconds: float = 0.0  # planner statistics after the commit (not in the total)
    total_seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def check_synthetic_allowed() -> None:
    """Refuse where synthetic CPR numbers are not accepted (the server profile)."""
    if not settings.HELHED_ALLOW_SYNTHETIC_CPR:
        raise DemoRefused(
            "Demo-kommunen kan ikke bygges her: den bruger fiktive CPR-numre (dag + 60), og "
            "denne installation tillader dem ikke (HELHED_ALLOW_SYNTHETIC_CPR er slået fra, "
            "som i server-profilen). Se docs/cpr.md."
        )


def check_allowed(code: str) -> None:
    check_synthetic_allowed()
    if Municipality.objects.filter(code=code).exists():
        raise DemoRefused(
            f"Kommune {code} findes allerede. Brug --reset for at bygge demo-kommunen forfra "
            "eller --if-empty for at lade den eksisterende være."
        )


def generate(citizens: int, seed: int, code: str = "0999", say: Say | None = None) -> Summary:
    """Build the demo municipality ``code`` with about ``citizens`` citizens."""
    say = say or (lambda _message: None)
    check_allowed(code)
    started = time.perf_counter()
    summary = Summary(seed=seed, citizens=0)
    with transaction.atomic():
        municipality = ensure_municipality(code, MUNICIPALITY_NAME, REGION_NAME)
        tables, casework = _build(municipality, citizens, seed, say)
        summary.casework_seconds = casework.seconds
        summary.build_seconds = time.perf_counter() - started
        say(f"Data dannet på {decimal(summary.build_seconds)} s; skriver til databasen …")
        with bulk_load():
            for table in tables:
                label = table.model._meta.label
                summary.seconds[label] = write(table)
                summary.rows[label] = len(table)
                say(f"  {label:<34} {number(len(table)):>10} rækker  "
                    f"{decimal(summary.seconds[label], 2):>6} s")
        reset_sequences(t.model for t in tables)
        summary.citizens = summary.rows.get(Citizen._meta.label, 0)
        emit(EVENT_TYPE, object_type="municipality", object_id=code, actor="system:demo",
             sensitivity=Sensitivity.NOT_CONFIDENTIAL,
             payload={"seed": seed, "citizens": summary.citizens, "rows": summary.rows,
                      "casework": casework.counts})
        say("Gemmer (commit) …")
        committing = time.perf_counter()
    summary.total_seconds = time.perf_counter() - started
    summary.commit_seconds = time.perf_counter() - committing
    # Fresh planner statistics: without them PostgreSQL plans the first queries on a new
    # demo as if its tables were empty (the overview's SQL took 317 ms instead of 15 ms).
    say("Opdaterer databasens statistik (ANALYZE) …")
    analyzing = time.perf_counter()
    analyze(t.model for t in tables)
    summary.analyze_seconds = time.perf_counter() - analyzing
    return summary


def _build(municipality: Municipality, citizens: int, seed: int, say: Say
           ) -> tuple[list[Table], Casework]:
    rng = random.Random(seed)
    enc = Encoder(rng, connection.vendor)
    first_ids = {key: first_free_id(model) for key, model in _models().items()}
    departments = dict(municipality.departments.values_list("code", "id"))
    town = Town(rng, enc, first_ids, municipality.code, citizens)
    say(f"Danner {number(citizens)} borgere (frø {seed}) …")
    build_families(town)
    build_adults(town)
    add_guardians(town)
    add_contact_details(town)
    say("Danner enheder, skoler, dagtilbud, udførere og medarbejdere …")
    org = build_organisation(rng, enc, first_ids, departments, municipality.pk, town.kids)
    staff = Staff(rng, enc, first_ids, town.people.names)
    staff.build(org, municipality.pk, citizens)
    say("Danner sager, underretninger, journalnotater, afgørelser og bevillinger …")
    started = time.perf_counter()
    casework = build_casework(rng, enc, first_ids, departments, town, org, staff,
                              municipality.name)
    casework.seconds = time.perf_counter() - started
    tables = [*town.tables(), org.units, org.providers, *staff.tables(), org.enrollments,
              *casework.tables()]
    return tables, casework
