"""``helhed worker`` in the server profile, end to end: PostgreSQL and the real RabbitMQ."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pika
import pytest

from helhed.tests.test_settings import HELHED, PG, good_env, postgres

pytestmark = pytest.mark.broker

WORKER_DB = f"helhed_worker_check_{os.getpid()}"  # per run: concurrent runs must not collide
BROKER = "amqp://guest:guest@127.0.0.1:5672/%2F"
EMIT = (
    "from django.db import transaction\n"
    "from helhed.core.events import emit\n"
    "with transaction.atomic():\n"
    "    emit('people.citizen.registered', object_type='citizen', object_id='{id}',"
    " citizen='{id}', actor='anna')\n"
)


@pytest.fixture(scope="module")
def server_env() -> Iterator[dict[str, str]]:
    postgres("dropdb", "--if-exists", WORKER_DB)
    postgres("createdb", WORKER_DB)
    env = {**good_env(), "HELHED_DATABASE_URL": f"{PG}/{WORKER_DB}",
           "HELHED_MUNICIPALITY_CODE": f"t{uuid.uuid4().hex[:8]}", "HELHED_AMQP_URL": BROKER,
           "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HELHED_PROFILE": "server",
           "HOME": str(Path.home())}
    migrate = _run(env, "migrate", "-v", "0")
    assert migrate.returncode == 0, migrate.stderr
    yield env
    postgres("dropdb", "--if-exists", WORKER_DB, check=False)


@pytest.fixture
def queue(server_env: dict[str, str]) -> Iterator[tuple[pika.adapters.blocking_connection.
                                                     BlockingChannel, str]]:
    exchange = f"helhed.{server_env['HELHED_MUNICIPALITY_CODE']}.events"
    connection = pika.BlockingConnection(pika.URLParameters(BROKER))
    channel = connection.channel()
    channel.exchange_declare(exchange, exchange_type="topic", durable=True)
    name = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(name, exchange, routing_key="people.#")
    yield channel, name
    channel.queue_delete(name)
    channel.exchange_delete(exchange)
    connection.close()


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command
        [str(HELHED), *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def test_worker_once_publishes_pending_events_to_the_municipality_exchange(
    server_env: dict[str, str], queue: tuple[pika.adapters.blocking_connection.BlockingChannel,
                                             str],
) -> None:
    channel, name = queue
    citizen = str(uuid.uuid4())
    assert _run(server_env, "shell", "-c", EMIT.format(id=citizen)).returncode == 0
    result = _run(server_env, "worker", "--once")
    assert result.returncode == 0, result.stderr
    assert "Sendt: 1 hændelser" in result.stdout
    method, props, body = channel.basic_get(name, auto_ack=True)
    assert method is not None and method.routing_key == "people.citizen.registered"
    envelope = json.loads(body)
    assert envelope["citizen"] == citizen and props.message_id == envelope["id"]
    assert envelope["sender"] == f"kommune:{server_env['HELHED_MUNICIPALITY_CODE']}"
    assert "Sendt: 0 hændelser" in _run(server_env, "worker", "--once").stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_worker_stops_cleanly_on_a_signal(server_env: dict[str, str], sig: int) -> None:
    worker = subprocess.Popen(  # noqa: S603
        [str(HELHED), "worker"], env=server_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        assert worker.stdout is not None
        assert "Stop med Ctrl+C" in worker.stdout.readline()
        worker.send_signal(sig)
        out, err = worker.communicate(timeout=15)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, err
    assert "Stoppet." in out and "Traceback" not in err
