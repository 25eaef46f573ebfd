"""The policy matrix's world, shared by the door's matrix (``test_policy_matrix.py``) and
the same matrix through every route (``test_policy_routes.py``).

One family with cases in four departments: Liva's child case (Børn og Familie, Anna),
Mette's adult case (Social og Handicap, Carl), Søren's jobcenter case (Dorte) and Søren's
treatment for substance abuse (Rusmiddelcenter, Rasmus), whose category hides existence.
Each cell of :data:`MATRIX` says whether the actor may know the item exists
(``Category.CASE``), whether it is hidden altogether, and whether its content opens
(``Category.CASE_CONTENT``), with no consent, legal-basis rule or emergency in play.

:func:`add_content` gives every case a journal entry and a document carrying a word found
nowhere else (:data:`WORDS`) and a word they share (:data:`COMMON`), so that a route's
answer shows whether it carried the case's content.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from helhed.cases import access, documents, services
from helhed.cases.models import Case, Document, JournalEntry
from helhed.core import clock
from helhed.organisation.models import Department, Role, StaffMember, Unit
from helhed.sharing import policy
from helhed.sharing.policy import Category, Purpose
from helhed.testing import personas

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
CASES = ("liva", "mette", "soren_job", "soren_abuse")
# Who writes in each case (its owner), and so who is never told of the change by an advis.
OWNERS = {"liva": "anna", "mette": "carl", "soren_job": "dorte", "soren_abuse": "rasmus"}
# One word per case found in its journal entry and document only (and nowhere in helhed's
# pages), and one word they all share, for the full-text search.
WORDS = {"liva": "quokkaliv", "mette": "vombatmet", "soren_job": "tapirjob",
         "soren_abuse": "okapimis"}
COMMON = "zebrafink"

Cell = tuple[bool, bool, bool]  # (exists, hidden, content)
NOTHING: Cell = (False, False, False)

# (exists, hidden, content) per actor and case, with no consent, rule or emergency in play
MATRIX: dict[str, dict[str, Cell]] = {
    "anna": {"liva": (True, False, True), "mette": (True, False, False),
             "soren_job": (True, False, False), "soren_abuse": (False, True, False)},
    "bo": {"liva": (True, False, True), "mette": (True, False, False),
           "soren_job": (True, False, False), "soren_abuse": (False, True, False)},
    "carl": {"liva": (True, False, False), "mette": (True, False, True),
             "soren_job": (True, False, False), "soren_abuse": (False, True, False)},
    "dorte": {"liva": (True, False, False), "mette": (True, False, False),
              "soren_job": (True, False, True), "soren_abuse": (False, True, False)},
    "erik": {"liva": (True, False, True), "mette": (True, False, False),
             "soren_job": (True, False, False), "soren_abuse": (False, True, False)},
    "gustav": dict.fromkeys(CASES, NOTHING),
    "ivan": dict.fromkeys(CASES, NOTHING),
    "hanne": dict.fromkeys(CASES, NOTHING),
    "outsider": dict.fromkeys(CASES, NOTHING),
}


def staff_in(department_code: str, username: str,
             role: str = "sagsbehandler-voksen") -> AbstractUser:
    user = get_user_model().objects.create_user(username, password=personas.PASSWORD,
                                                first_name=username.title())
    department = Department.objects.get(code=department_code)
    unit, _ = Unit.objects.get_or_create(department=department, name=f"Team {department_code}")
    staff = StaffMember.objects.create(user=user, municipality=department.municipality,
                                       unit=unit)
    staff.roles.add(Role.objects.get(code=role))
    return user


def open_world(anna: Any, carl: Any, dorte: Any, family: personas.Family) -> dict[str, Case]:
    """The four cases (opened through ``cases.services``, as a caseworker would)."""
    abuse = staff_in("misbrugscenter", "rasmus")
    return {
        "liva": services.open_case(anna, family.liva.uuid, title="Bekymring",
                                   kle_numbers=["34.10.10"]),
        "mette": services.open_case(carl, family.mother.uuid, title="Bostøtte",
                                    department_code="voksensocial", kle_numbers=["27"]),
        "soren_job": services.open_case(dorte, family.father.uuid, title="Sygedagpenge",
                                        department_code="jobcenter", kle_numbers=["15"]),
        "soren_abuse": services.open_case(abuse, family.father.uuid, title="Behandling",
                                          department_code="misbrugscenter",
                                          kle_numbers=["27"]),
    }


def cell(actor: Any, case: Case) -> Cell:
    """The door's answer for one actor and case (both looks are logged)."""
    scope = access.scope_of(case)
    exists = policy.decide(actor, Purpose.CASEWORK, case.citizen.uuid, Category.CASE,
                           scope=scope)
    content = policy.decide(actor, Purpose.CASEWORK, case.citizen.uuid,
                            Category.CASE_CONTENT, scope=scope)
    return exists.allowed, exists.hidden, content.allowed


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def add_content(cases: dict[str, Case]) -> dict[str, tuple[JournalEntry, Document]]:
    """A journal entry and a text document in each case, written by its owner."""
    found = {}
    for name, case in cases.items():
        owner = user(OWNERS[name])
        word = WORDS[name]
        entry = services.add_journal_entry(
            owner, case.uuid, kind="samtale", occurred_on=clock.today(),
            title=f"Samtale {word}", text=f"Notat om {word} og {COMMON}.")
        document = documents.upload(owner, case.uuid, title=f"Bilag {word}",
                                    filename="bilag.txt",
                                    data=f"Udtalelse {word} {COMMON}\n".encode())
        found[name] = (entry, document)
    return found
