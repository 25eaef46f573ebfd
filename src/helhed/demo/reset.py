"""``helhed demo --reset``: remove the demo municipality and every citizen before a rebuild.

People are not kept per municipality, so every citizen and relation goes, with the
municipality's organisation and its staff logins, and all casework (cases, notifications,
deadlines, journal, documents, decisions, letters, grants, their history and search
entries, the case number counters, the municipality's case settings).

The history (``cases.Change``) refuses ``delete()`` on a model instance; like the other
tables it is emptied here with one raw ``DELETE`` statement per table, which is what a
rebuild of synthetic data needs and no caseworker can reach. The access log is not
touched: it is append-only down to a database trigger on PostgreSQL, so once someone has
looked at demo data, its rows point at the demo's logins and the reset refuses before it
deletes anything (the message says to delete the database instead).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError

from helhed.cases.models import (
    Case,
    CaseDeadline,
    CaseKle,
    CaseNumberCounter,
    CaseSettings,
    Change,
    Decision,
    Document,
    DocumentContent,
    Grant,
    JournalEntry,
    Letter,
    Notification,
    SearchEntry,
)
from helhed.core.models import AccessLogEntry
from helhed.demo.generator import DemoRefused
from helhed.organisation.models import Department, Municipality, Provider, StaffMember, Unit
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

# Children before what they point at; every citizen's casework goes with the citizens.
CASEWORK = (SearchEntry, Change, CaseDeadline, Letter, Grant, Decision, DocumentContent,
            Document, JournalEntry, Notification, CaseKle, Case, CaseNumberCounter)
PEOPLE = (Enrollment, ContactDetails, Guardianship, ContactArrangement, Custody, ParentChild,
          Residence, Citizen, Address)


def _wipe(queryset: models.QuerySet) -> None:  # type: ignore[type-arg]
    """Delete in one statement, without loading rows (foreign keys are checked at commit)."""
    queryset._raw_delete(queryset.db)


def reset_demo(code: str) -> None:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is not None and AccessLogEntry.objects.filter(
            actor__staff__municipality=municipality).exists():
        raise DemoRefused(
            "Demo-data kan ikke nulstilles: adgangsloggen, der aldrig slettes, viser opslag "
            "foretaget med demo-kommunens logins. Slet databasen (fx var/helhed.sqlite3), kør "
            "migrate og byg demo-kommunen igen.")
    try:
        with transaction.atomic():
            for model in (*CASEWORK, *PEOPLE):
                _wipe(model.objects.all())
            if municipality is not None:
                _wipe_organisation(municipality)
    except (IntegrityError, ProtectedError) as exc:
        raise DemoRefused(
            "Demo-data kan ikke nulstilles, fordi andre data (fx adgangsloggen, der aldrig "
            "slettes) peger på dem. Slet databasen (fx var/helhed.sqlite3), kør migrate og byg "
            f"demo-kommunen igen. ({exc})"
        ) from exc


def _wipe_organisation(municipality: Municipality) -> None:
    staff = StaffMember.objects.filter(municipality=municipality)
    _wipe(StaffMember.roles.through.objects.filter(staffmember__in=staff))
    _wipe(get_user_model().objects.filter(staff__municipality=municipality))
    _wipe(staff)
    _wipe(Provider.objects.filter(municipality=municipality))
    _wipe(Unit.objects.filter(department__municipality=municipality))
    _wipe(CaseSettings.objects.filter(department__municipality=municipality))
    _wipe(Department.objects.filter(municipality=municipality))
    Municipality.objects.filter(pk=municipality.pk).delete()
