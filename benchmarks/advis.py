"""Benchmark: from a change to an advis in the subscriber's work list (issue 4: p95 ≤ 1 s
while 100 changes a second are made for a minute).

    python benchmarks/advis.py --database-url postgresql://postgres@127.0.0.1:5432/helhed_bench_advis

The database named in the URL is dropped and created again (its name must contain
"bench"). Set-up (not timed): the personas, ``--cases`` children with a mother each, a
case per child with anna responsible (so she follows the child and the family
automatically) and dorte (jobcenter) following every child by hand (she has no basis for
the content: her advis say only what and where).

Then, for ``--seconds`` seconds, ``--drivers`` processes call ``cases.services`` at
``--rate`` changes a second in all (bo adds journal entries, and every tenth change moves
a case between "åbnet" and "under undersøgelse"), while ``--publishers`` processes run the
embedded profile's outbox publisher (``outbox.run_forever`` with the in-process transport
and the advis batch handler; several share the outbox with ``SKIP LOCKED`` on
PostgreSQL). The main process watches the Advis table every 20 ms.

Measured per advis (two per change: anna's and dorte's):
- made: ``Advis.created_at − event occurred_at`` (the event's time, stamped inside the
  change's transaction, to the advis row being written), and
- visible: when the watcher first saw the row (its transaction committed) − occurred_at,
  i.e. what a work list polling the feed could show at the earliest (the page polls
  every few seconds on top of this: ``sharing/static/sharing/advis.js``).
Also: the events published per second, the largest outbox backlog seen (sampled every
0.5 s), p95 of "made" per 10 s of the run (flat when the publisher keeps up), and the
machine's load average before and after the timed part.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import signal
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _setup_django(database_url: str) -> None:
    os.environ["HELHED_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helhed.settings.test")
    import django

    django.setup()


# --- set-up -------------------------------------------------------------------------------

def prepare(cases: int) -> list[str]:
    """Fresh database, personas, children with cases and subscriptions. Returns the case
    uuids."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from helhed.cases import services
    from helhed.core import outbox
    from helhed.demo.bench import fresh_database
    from helhed.people.models import ParentChild
    from helhed.sharing import consumers, subscriptions
    from helhed.testing import personas

    fresh_database()
    for name in ("anna", "bo", "dorte"):
        personas.make_staff(name)
    users = {u.username: u for u in get_user_model().objects.all()}
    consumers.register()
    case_ids = []
    for i in range(cases):
        birth = dt.date(2014 + i % 8, 1 + i % 12, 1 + i % 28)
        child = personas.make_citizen(f"99{i:08d}", f"Barn{i}", "Bench", "K", birth)
        mother = personas.make_citizen(f"98{i:08d}", f"Mor{i}", "Bench", "K",
                                       dt.date(1985, 1, 1))
        ParentChild.objects.create(parent=mother, child=child, kind="mor",
                                   valid_from=birth, registered_at=child.created_at)
        case = services.open_case(users["anna"], child.uuid, title=f"Undersøgelse {i}",
                                  kle_numbers=["34.10.10"])
        subscriptions.subscribe(users["dorte"], child.uuid, family=False)
        case_ids.append(str(case.uuid))
    outbox.drain(outbox.InProcessTransport())  # anna's automatic subscriptions
    outbox.drain(outbox.InProcessTransport())
    return case_ids


# --- the processes ------------------------------------------------------------------------

def _trace_batches(path: str) -> None:
    """Write one line per published batch: start time, events, seconds in the advis
    handler, seconds for the whole batch (``--trace``)."""
    from helhed.core import outbox
    from helhed.sharing import advis

    out = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
    handler, drain_once = advis.handle_batch_safely, outbox.drain_once
    spent: list[float] = []

    def timed_handler(envelopes: Any, *args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return handler(envelopes, *args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t)

    def timed_drain(*args: Any, **kwargs: Any) -> int:
        spent.clear()
        started, t = time.time(), time.perf_counter()
        published = drain_once(*args, **kwargs)
        if published:
            out.write(f"{started:.3f} {os.getpid()} {published} {sum(spent):.4f} "
                      f"{time.perf_counter() - t:.4f}\n")
            out.flush()
        return published

    advis.handle_batch_safely = timed_handler  # type: ignore[assignment]
    outbox.drain_once = timed_drain  # type: ignore[assignment]


def run_publisher(database_url: str, ready: Any, stop_flag: Any, idle: float = 0.02,
                  linger: float = 0.0, trace: str = "") -> None:
    _setup_django(database_url)
    from helhed.core import outbox
    from helhed.sharing import consumers

    consumers.register()
    stop = threading.Event()

    def watch() -> None:
        while not stop_flag.is_set():
            time.sleep(0.05)
        stop.set()

    threading.Thread(target=watch, daemon=True).start()
    # Warm up (as a publisher that has run for a while): the advis' links load the URL
    # configuration, and with it the API, on their first use (0.3–2 s once per process).
    import uuid

    from django.urls import reverse

    reverse("case-detail", args=[uuid.uuid4()])
    if trace:
        _trace_batches(trace)
    ready.set()
    outbox.run_forever(outbox.InProcessTransport(), idle_seconds=idle, linger_seconds=linger,
                       stop=stop)


def run_driver(database_url: str, case_ids: list[str], rate: float, seconds: float,
               start_at: float, out: Any) -> None:
    _setup_django(database_url)
    from django.contrib.auth import get_user_model

    from helhed.cases import services
    from helhed.core import clock

    bo = get_user_model().objects.get(username="bo")
    states = dict.fromkeys(case_ids, "aabnet")
    # Warm up (not timed, nothing kept): the first change of a process loads modules and
    # caches, which a web process serving the changes would have done long before.
    from django.db import transaction

    with transaction.atomic():
        services.add_journal_entry(bo, case_ids[0], kind="notat", occurred_on=clock.today(),
                                   title="Opvarmning", text="Benchmark.")
        services.set_state(bo, case_ids[0], "undersoegelse")
        transaction.set_rollback(True)
    made = 0
    late = 0.0
    while time.time() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    i = 0
    while True:
        due = start_at + i / rate
        if due >= end:
            break
        wait = due - time.time()
        if wait > 0:
            time.sleep(wait)
        else:
            late = max(late, -wait)
        case_id = case_ids[i % len(case_ids)]
        if i % 10 == 9:
            new = "undersoegelse" if states[case_id] == "aabnet" else "aabnet"
            services.set_state(bo, case_id, new)
            states[case_id] = new
        else:
            services.add_journal_entry(bo, case_id, kind="notat", occurred_on=clock.today(),
                                       title=f"Notat {i}", text="Benchmark.")
        made += 1
        i += 1
    out.put({"made": made, "seconds": time.time() - start_at, "max_late": late})


# --- measuring ----------------------------------------------------------------------------

def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def windows(rows: list[Any], width: float = 10.0) -> list[float]:
    """p95 of "made" per ``width`` seconds of the run (by when the change was made): a
    publisher that keeps up shows a flat line, one that falls behind a rising one."""
    if not rows:
        return []
    start = min(o for _, o, _, _ in rows).timestamp()
    buckets: dict[int, list[float]] = {}
    for _, occurred, created, _ in rows:
        index = int((occurred.timestamp() - start) // width)
        buckets.setdefault(index, []).append((created - occurred).total_seconds())
    return [round(pct(buckets.get(i, []), 95) * 1000, 1) for i in range(max(buckets) + 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rate", type=float, default=100.0, help="changes a second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--drivers", type=int, default=4)
    parser.add_argument("--publishers", type=int, default=1,
                        help="outbox publisher processes (PostgreSQL: SKIP LOCKED batches)")
    parser.add_argument("--idle", type=float, default=0.02,
                        help="seconds a publisher waits when the outbox is empty")
    parser.add_argument("--linger", type=float, default=0.0,
                        help="seconds a publisher waits after a batch that was not full")
    parser.add_argument("--capacity", action="store_true",
                        help="make the changes first (no publisher), then time how fast "
                             "the publishers empty the outbox")
    parser.add_argument("--trace", default="",
                        help="append one line per published batch to this file: start "
                             "time, pid, events, seconds in the advis handler, in all")
    parser.add_argument("--json", default="", help="also write the figures here")
    args = parser.parse_args()

    _setup_django(args.database_url)
    from django.db import connection

    from helhed.core import outbox
    from helhed.sharing.models import Advis

    t = time.time()
    case_ids = prepare(args.cases)
    print(f"Opsætning: {len(case_ids)} sager, {Advis.objects.count()} adviser, "
          f"{time.time() - t:.1f} s ({connection.vendor})", flush=True)
    connection.close()

    if args.capacity:
        capacity(args, case_ids)
        return
    ctx = mp.get_context("spawn")
    stop_flag, out = ctx.Event(), ctx.Queue()
    readies = [ctx.Event() for _ in range(args.publishers)]
    publishers = [ctx.Process(target=run_publisher, args=(args.database_url, r, stop_flag,
                                                          args.idle, args.linger, args.trace))
                  for r in readies]
    for p in publishers:
        p.start()
    for r in readies:
        r.wait(60)
    start_at = time.time() + 8.0  # the spawned processes start Django first
    shares = [case_ids[d::args.drivers] for d in range(args.drivers)]
    drivers = [ctx.Process(target=run_driver, args=(args.database_url, share,
                                                    args.rate / args.drivers, args.seconds,
                                                    start_at + d / args.rate, out))
               for d, share in enumerate(shares)]
    for p in drivers:
        p.start()

    seen: dict[int, float] = {}
    last_pk = Advis.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    baseline = last_pk

    def poll() -> None:
        nonlocal last_pk
        for pk in Advis.objects.filter(pk__gt=last_pk).values_list("pk", flat=True):
            seen.setdefault(pk, time.time())
            last_pk = max(last_pk, pk)

    load_before = os.getloadavg()
    backlog_max = 0
    next_backlog = time.time()
    while any(p.is_alive() for p in drivers):
        poll()
        if time.time() >= next_backlog:  # the outbox waiting for a publisher
            backlog_max = max(backlog_max, outbox.pending_count())
            next_backlog = time.time() + 0.5
        time.sleep(0.02)
    load_after = os.getloadavg()
    results = [out.get(timeout=10) for _ in drivers]
    drained_by = time.time() + 30
    while time.time() < drained_by:
        poll()
        if outbox.pending_count() == 0:
            time.sleep(0.5)
            poll()
            if outbox.pending_count() == 0:
                break
        time.sleep(0.02)
    stop_flag.set()
    for p in publishers:
        p.join(10)
        if p.is_alive():
            os.kill(p.pid or 0, signal.SIGTERM)

    rows = list(Advis.objects.filter(pk__gt=baseline).values_list(
        "pk", "occurred_at", "created_at", "may_open"))
    from helhed.core.models import OutboxEvent

    first = min((o for _, o, _, _ in rows), default=None)
    published = OutboxEvent.objects.filter(occurred_at__gte=first) if first else None
    events_published = published.count() if published is not None else 0
    made = [(c - o).total_seconds() for _, o, c, _ in rows]
    visible = [seen[pk] - o.timestamp() for pk, o, _, _ in rows if pk in seen]
    changes = sum(r["made"] for r in results)
    duration = max(r["seconds"] for r in results)
    figures = {
        "database": connection.vendor, "cases": len(case_ids), "drivers": args.drivers,
        "publishers": args.publishers,
        "changes": changes, "changes_per_second": round(changes / duration, 1),
        "driver_max_late_s": round(max(r["max_late"] for r in results), 3),
        "advis": len(rows), "advis_expected": 2 * changes,
        "advis_without_content": sum(1 for r in rows if not r[3]),
        "made_median_ms": round(statistics.median(made) * 1000, 1),
        "made_p95_ms": round(pct(made, 95) * 1000, 1),
        "made_max_ms": round(max(made) * 1000, 1),
        "visible_median_ms": round(statistics.median(visible) * 1000, 1),
        "visible_p95_ms": round(pct(visible, 95) * 1000, 1),
        "visible_max_ms": round(max(visible) * 1000, 1),
        "events": events_published,
        "events_per_second": round(events_published / duration, 1),
        "outbox_backlog_max": backlog_max,
        "made_p95_ms_per_10s": windows(rows),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")


def capacity(args: Any, case_ids: list[str]) -> None:
    """The publishers' throughput with work waiting: the drivers make their changes with
    no publisher running, then the publishers empty the outbox, timed."""
    from helhed.core import outbox
    from helhed.core.models import OutboxEvent
    from helhed.sharing.models import Advis

    ctx = mp.get_context("spawn")
    stop_flag, out = ctx.Event(), ctx.Queue()
    start_at = time.time() + 8.0
    shares = [case_ids[d::args.drivers] for d in range(args.drivers)]
    drivers = [ctx.Process(target=run_driver, args=(args.database_url, share,
                                                    args.rate / args.drivers, args.seconds,
                                                    start_at + d / args.rate, out))
               for d, share in enumerate(shares)]
    for p in drivers:
        p.start()
    results = [out.get() for _ in drivers]
    for p in drivers:
        p.join()
    changes = sum(r["made"] for r in results)
    before = Advis.objects.count()
    waiting = outbox.pending_count()
    readies = [ctx.Event() for _ in range(args.publishers)]
    publishers = [ctx.Process(target=run_publisher, args=(args.database_url, r, stop_flag,
                                                          args.idle, args.linger, args.trace))
                  for r in readies]
    for p in publishers:
        p.start()
    for r in readies:
        r.wait(60)
    load_before = os.getloadavg()
    started = time.time()
    while outbox.pending_count():
        time.sleep(0.05)
    seconds = time.time() - started
    load_after = os.getloadavg()
    stop_flag.set()
    for p in publishers:
        p.join(10)
    figures = {
        "mode": "capacity", "publishers": args.publishers,
        "changes": changes,
        "changes_per_second": round(changes / max(r["seconds"] for r in results), 1),
        "events": waiting,
        "advis": Advis.objects.count() - before,
        "seconds": round(seconds, 2), "events_per_second": round(waiting / seconds, 1),
        "attempts_max": max(OutboxEvent.objects.values_list("attempts", flat=True)),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
