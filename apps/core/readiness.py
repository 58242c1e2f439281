"""What /readyz checks: each dependency answers within a short timeout, or is named as down."""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connection
from kombu import Connection

TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    ms: float
    error: str = ""


def _timed(name: str, probe) -> Check:
    started = time.perf_counter()
    try:
        probe()
    except Exception as exc:  # any failure is the answer, not a crash of the probe
        return Check(name, False, (time.perf_counter() - started) * 1000, f"{type(exc).__name__}: {exc}"[:300])
    return Check(name, True, (time.perf_counter() - started) * 1000)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S)
    try:
        client.ping()
    finally:
        client.close()


def _broker() -> None:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT_S) as conn:
        conn.ensure_connection(max_retries=1, timeout=TIMEOUT_S)


def readiness_checks() -> list[Check]:
    return [_timed("database", _database), _timed("redis", _redis), _timed("broker", _broker)]
