"""The outbox: an event exists exactly when its change does, and leaves helhed once it is
delivered — never lost while the transport is down, never published twice by one drain."""

from __future__ import annotations

import os
import signal
import threading
import uuid
from collections.abc import Iterator, Sequence
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from helhed.core import events, outbox
from helhed.core.events import NotInTransactionError, emit
from helhed.core.models import OutboxEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _emit(n: int = 1, type_: str = "test.thing.changed") -> list[OutboxEvent]:
    return [emit(type_, object_type="thing", object_id=i, actor="anna",
                 citizen=uuid.uuid4(), kle="27.24.00", payload={"n": i}) for i in range(n)]


class Recording:
    """A transport that remembers what it published."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []
        self.closed = 0

    def publish(self, events: Sequence[OutboxEvent]) -> None:
        self.published.extend(e.envelope() for e in events)

    def close(self) -> None:
        self.closed += 1


class Down:
    """A transport whose broker is unreachable."""

    def publish(self, events: Sequence[OutboxEvent]) -> None:
        raise ConnectionRefusedError("broker nede")

    def close(self) -> None:
        return None


@pytest.fixture
def handlers() -> Iterator[list[tuple[str, events.Handler]]]:
    saved = list(events._handlers), list(events._batch_handlers)
    yield events._handlers
    events._handlers[:], events._batch_handlers[:] = saved


def test_emit_outside_a_transaction_is_refused() -> None:
    with pytest.raises(NotInTransactionError):
        _emit()
    assert not OutboxEvent.objects.exists()


def test_an_event_is_stored_when_its_transaction_commits() -> None:
    with transaction.atomic():
        [event] = _emit()
    stored = OutboxEvent.objects.get()
    assert stored.id == event.id and stored.published_at is None
    assert stored.sending_organisation == "kommune:0999"


def test_a_rolled_back_change_leaves_no_event() -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        _emit(3)
        1 / 0  # noqa: B018 - the change fails after the events were written
    assert not OutboxEvent.objects.exists()


def test_a_rolled_back_savepoint_drops_only_its_own_events() -> None:
    with transaction.atomic():
        _emit(1, "test.kept")
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            _emit(1, "test.dropped")
            1 / 0  # noqa: B018
        _emit(1, "test.kept")
    assert list(OutboxEvent.objects.values_list("type", flat=True)) == ["test.kept"] * 2
    assert OutboxEvent.objects.values("transaction_id").distinct().count() == 1


def test_events_of_one_transaction_share_its_id_and_others_differ() -> None:
    with transaction.atomic():
        first = _emit(2)
        with transaction.atomic():  # a savepoint is still the same transaction
            first += _emit(1)
    with transaction.atomic():
        second = _emit(2)
    assert len({e.transaction_id for e in first}) == 1
    assert len({e.transaction_id for e in second}) == 1
    assert first[0].transaction_id != second[0].transaction_id


def test_in_process_drain_calls_subscribers_and_marks_published(
    handlers: list[tuple[str, events.Handler]],
) -> None:
    seen: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    events.subscribe("test.thing.")(seen.append)
    events.subscribe("people.")(other.append)
    with transaction.atomic():
        emitted = _emit(3)
    assert outbox.pending_count() == 3
    assert outbox.drain(outbox.InProcessTransport()) == 3
    assert [e["id"] for e in seen] == [str(e.id) for e in emitted]
    assert other == []
    assert seen[0]["object"] == {"type": "thing", "id": "0"} and seen[0]["kle"] == "27.24.00"
    assert outbox.pending_count() == 0
    assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()
    assert outbox.drain(outbox.InProcessTransport()) == 0
    assert len(seen) == 3


def test_a_batch_handler_gets_each_published_batch_once_in_order(
    handlers: list[tuple[str, events.Handler]],
) -> None:
    """A consumer that handles many events at once gets the batch's events of all its
    prefixes in one call; the per-event handlers still get every event."""
    batches: list[list[str]] = []
    one_by_one: list[str] = []

    def batch_handler(envelopes: list[dict[str, Any]]) -> None:
        batches.append([e["type"] for e in envelopes])

    events.subscribe_batch("test.thing.")(batch_handler)
    events.subscribe_batch("test.other.")(batch_handler)
    events.subscribe_batch("test.other.")(batch_handler)  # registered twice: still once
    events.subscribe("test.")(lambda envelope: one_by_one.append(envelope["type"]))
    with transaction.atomic():
        _emit(2)
        _emit(1, "test.other.changed")
        _emit(1, "people.citizen.changed")
        _emit(1, "test.thing.changed")
    assert outbox.drain(outbox.InProcessTransport(), batch_size=3) == 5
    assert batches == [["test.thing.changed", "test.thing.changed", "test.other.changed"],
                       ["test.thing.changed"]]
    assert one_by_one == ["test.thing.changed"] * 2 + ["test.other.changed",
                                                        "test.thing.changed"]
    with transaction.atomic():
        _emit(2, "people.citizen.changed")
    assert outbox.drain(outbox.InProcessTransport()) == 2
    assert len(batches) == 2  # not called for a batch without its events


def test_a_failing_batch_handler_leaves_the_whole_batch_pending(
    handlers: list[tuple[str, events.Handler]],
) -> None:
    def broken(envelopes: list[dict[str, Any]]) -> None:
        emit("test.side.effect", object_type="thing", object_id="x")
        raise RuntimeError("fejl")

    events.subscribe_batch("test.thing.")(broken)
    with transaction.atomic():
        _emit(3)
    with pytest.raises(RuntimeError):
        outbox.drain(outbox.InProcessTransport())
    assert outbox.pending_count() == 3
    assert not OutboxEvent.objects.filter(type="test.side.effect").exists()
    assert {e.attempts for e in OutboxEvent.objects.all()} == {1}


class Waits(threading.Event):
    """A stop event that records how long the worker waits, and stops it after a few."""

    def __init__(self, stop_after: int) -> None:
        super().__init__()
        self.waits: list[float] = []
        self.stop_after = stop_after

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout or 0.0)
        if len(self.waits) >= self.stop_after:
            self.set()
        return self.is_set()


def test_the_worker_lingers_after_a_partial_batch_so_the_next_one_fills() -> None:
    with transaction.atomic():
        _emit(3)
    recording = Recording()
    stop = Waits(stop_after=2)
    outbox.run_forever(recording, idle_seconds=0.02, linger_seconds=0.1, stop=stop)
    assert stop.waits == [0.1, 0.02]  # after the 3 events, then idle
    assert len(recording.published) == 3
    with transaction.atomic():
        _emit(5)
    stop = Waits(stop_after=2)
    outbox.run_forever(recording, idle_seconds=0.02, linger_seconds=0.1, batch_size=5,
                       stop=stop)
    assert stop.waits == [0.02, 0.02]  # a full batch: straight on to the next drain
    assert len(recording.published) == 8


def test_envelope_carries_the_filtering_data() -> None:
    with transaction.atomic():
        [event] = _emit()
    envelope = OutboxEvent.objects.get().envelope()
    assert set(envelope) == {"id", "version", "type", "time", "transaction", "object",
                             "citizen", "actor", "sender", "sensitivity", "kle", "payload"}
    assert envelope["id"] == str(event.id) and envelope["version"] == 1
    assert envelope["citizen"] == str(event.citizen) and envelope["sensitivity"] == "fortrolig"


def test_a_failing_transport_leaves_events_pending_and_a_later_drain_sends_them_once() -> None:
    with transaction.atomic():
        emitted = _emit(3)
    with pytest.raises(ConnectionRefusedError):
        outbox.drain(Down())
    with pytest.raises(ConnectionRefusedError):
        outbox.drain(Down())
    for event in OutboxEvent.objects.all():
        assert event.published_at is None
        assert event.attempts == 2
        assert "broker nede" in event.last_error
    recording = Recording()
    assert outbox.drain(recording) == 3
    assert outbox.drain(recording) == 0
    assert [e["id"] for e in recording.published] == [str(e.id) for e in emitted]
    assert outbox.pending_count() == 0


def test_a_failing_handler_undoes_its_own_writes_and_is_retried(
    handlers: list[tuple[str, events.Handler]],
) -> None:
    calls: list[str] = []

    def flaky(envelope: dict[str, Any]) -> None:
        calls.append(envelope["id"])
        emit("test.side.effect", object_type="thing", object_id="x")
        if len(calls) == 1:
            raise RuntimeError("første forsøg fejler")

    events.subscribe("test.thing.")(flaky)
    with transaction.atomic():
        _emit(1)
    with pytest.raises(RuntimeError):
        outbox.drain(outbox.InProcessTransport())
    assert not OutboxEvent.objects.filter(type="test.side.effect").exists()
    assert OutboxEvent.objects.get(type="test.thing.changed").attempts == 1
    assert outbox.drain(outbox.InProcessTransport()) == 2  # the event and its side effect
    assert OutboxEvent.objects.filter(type="test.side.effect").count() == 1


def test_batches_are_published_in_order() -> None:
    with transaction.atomic():
        emitted = _emit(7)
    recording = Recording()
    assert outbox.drain(recording, batch_size=3) == 7
    assert [e["payload"]["n"] for e in recording.published] == [e.payload["n"] for e in emitted]


def test_worker_once_reports_how_many_were_sent(handlers: list[tuple[str, events.Handler]]
                                                ) -> None:
    seen: list[dict[str, Any]] = []
    events.subscribe("test.")(seen.append)
    with transaction.atomic():
        _emit(4)
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert "Sendt: 4 hændelser" in out.getvalue()
    assert len(seen) == 4 and outbox.pending_count() == 0


def test_worker_once_fails_clearly_when_the_transport_is_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(outbox, "default_transport", Down)
    with transaction.atomic():
        _emit(2)
    with pytest.raises(CommandError, match="venter stadig i udbakken"):
        call_command("worker", "--once", stdout=StringIO())
    assert outbox.pending_count() == 2


def test_worker_stops_cleanly_on_sigterm_after_finishing_its_batch(
    handlers: list[tuple[str, events.Handler]],
) -> None:
    seen: list[str] = []

    def stop_after_first(envelope: dict[str, Any]) -> None:
        seen.append(envelope["id"])
        if len(seen) == 1:
            os.kill(os.getpid(), signal.SIGTERM)

    events.subscribe("test.")(stop_after_first)
    with transaction.atomic():
        _emit(3)
    previous = signal.getsignal(signal.SIGTERM)
    out = StringIO()
    call_command("worker", "--idle", "0.05", stdout=out)
    assert "Stoppet." in out.getvalue()
    assert len(seen) == 3 and outbox.pending_count() == 0  # the batch was finished
    assert signal.getsignal(signal.SIGTERM) == previous
