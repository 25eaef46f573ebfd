"""The access log is append-only: who looked at a citizen can never be rewritten."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction

from helhed.core import access
from helhed.core.access import Look
from helhed.core.models import AccessLogEntry, AppendOnlyError

pytestmark = pytest.mark.django_db


def _entry(actor: User | None = None) -> AccessLogEntry:
    look = Look(subject=uuid.uuid4(), category="stamdata", action="read",
                purpose="sagsbehandling", basis="Rolle: Sagsbehandler", allowed=True)
    access.record(actor, [look])
    return AccessLogEntry.objects.latest("id")


def test_record_writes_who_looked_at_whom_and_why(anna: User) -> None:
    entry = _entry(anna)
    assert entry.actor == anna and entry.actor_name == "Anna Andersen"
    assert entry.actor_unit == "Familieteam Nord"
    assert entry.allowed and entry.basis == "Rolle: Sagsbehandler"


def _look(allowed: bool = True) -> Look:
    return Look(subject=uuid.uuid4(), category="stamdata", action="read",
                purpose="sagsbehandling", basis="Rolle: Sagsbehandler" if allowed else "",
                allowed=allowed)


def test_a_batch_writes_every_look_in_one_statement_at_its_end(anna: User) -> None:
    from django.test.utils import CaptureQueriesContext

    before = AccessLogEntry.objects.count()
    with CaptureQueriesContext(connection) as queries, access.batch():
        access.record(anna, [_look(), _look()])
        with access.batch():  # a nested batch joins the outer one
            access.record(None, [_look(allowed=False)])
        assert AccessLogEntry.objects.count() == before  # not yet
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert AccessLogEntry.objects.count() == before + 3
    assert AccessLogEntry.objects.filter(allowed=False, actor__isnull=True).count() == 1


def test_a_batch_ended_by_an_error_still_writes_its_refusals(anna: User) -> None:
    refused = _look(allowed=False)
    with pytest.raises(LookupError), access.batch():
        access.record(anna, [refused])
        raise LookupError
    assert AccessLogEntry.objects.filter(subject=refused.subject, allowed=False).exists()
    access.record(anna, [_look()])  # after the batch, looks are written at once again
    assert AccessLogEntry.objects.count() == 2


def test_a_large_batch_is_written_whole_and_alike(anna: User) -> None:
    """Above ``COPY_FROM`` looks PostgreSQL is written by COPY: every entry arrives, with
    the same fields as one written by INSERT."""
    looks = [_look(allowed=i % 2 == 0) for i in range(access.COPY_FROM + 5)]
    assert access.record(anna, looks) == len(looks)
    written = {e.subject: e for e in AccessLogEntry.objects.filter(
        subject__in=[look.subject for look in looks])}
    assert len(written) == len(looks)
    entry = written[looks[1].subject]
    assert (entry.actor, entry.actor_name, entry.actor_unit) == (
        anna, "Anna Andersen", "Familieteam Nord")
    assert (entry.category, entry.action, entry.purpose, entry.allowed, entry.emergency) == (
        "stamdata", "read", "sagsbehandling", False, False)
    assert entry.at is not None and entry.at.tzinfo is not None


def test_anonymous_looks_are_recorded_as_anonymous() -> None:
    entry = _entry(None)
    assert entry.actor is None and entry.actor_name == "anonym"


def test_an_entry_cannot_be_changed_through_the_model() -> None:
    entry = _entry()
    entry.allowed = False
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).allowed is True


def test_an_entry_cannot_be_changed_through_querysets() -> None:
    entry = _entry()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(allowed=False)
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    entry.detail = "skjult"
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.bulk_update([entry], ["detail"])
    fresh = AccessLogEntry.objects.get(pk=entry.pk)
    assert fresh.allowed is True and fresh.detail == ""


def test_deleting_a_user_with_log_entries_is_refused(anna: User) -> None:
    from django.db.models import ProtectedError

    _entry(anna)
    with pytest.raises(ProtectedError):
        anna.delete()
    assert AccessLogEntry.objects.filter(actor=anna).count() == 1


@pytest.mark.postgres_only
@pytest.mark.parametrize("statement", [
    "UPDATE core_accesslogentry SET allowed = false",
    "DELETE FROM core_accesslogentry",
])
def test_postgres_refuses_raw_sql_changes(statement: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has only the model guard; the trigger is PostgreSQL's (0002)")
    entry = _entry()
    with (pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute(statement)
    assert AccessLogEntry.objects.get(pk=entry.pk).allowed is True
