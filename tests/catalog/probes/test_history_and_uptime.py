"""Every probe is kept; uptime is the share of good checks, per clock hour for the chart."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.catalog.models import ProbeResult
from apps.catalog.probes.selectors import probe_history, uptime_for
from apps.catalog.probes.services import service_probe

pytestmark = pytest.mark.django_db


def test_it_keeps_every_probe_newest_first(target, make_service):
    service = make_service(health_url=target.url())
    service_probe(service=service)
    target.status = 503
    service_probe(service=service)
    target.status = 200
    service_probe(service=service)

    history = probe_history(service=service)

    assert [r.ok for r in history] == [True, False, True]
    assert [r.status_code for r in history] == [200, 503, 200]
    assert history[0].checked_at >= history[1].checked_at >= history[2].checked_at
    assert [r.pk for r in probe_history(service=service, limit=2)] == [r.pk for r in history[:2]]


def record(service, at, ok):
    ProbeResult.objects.create(service=service, checked_at=at, expires_at=at + timedelta(minutes=3), ok=ok)


def test_it_computes_uptime_over_hourly_buckets(make_service):
    service = make_service()
    now = datetime(2026, 11, 27, 14, 20, tzinfo=UTC)
    for minute, ok in [(0, True), (15, True)]:  # 14:xx: 2 of 2
        record(service, now.replace(minute=minute), ok)
    for minute, ok in [(5, True), (35, False)]:  # 13:xx: 1 of 2
        record(service, now.replace(hour=13, minute=minute), ok)
    record(service, now.replace(hour=11, minute=59), False)  # 11:xx: 0 of 1
    record(service, now.replace(hour=9, minute=0), True)  # outside a 4-hour window
    record(make_service("other"), now, False)  # another service

    uptime = uptime_for(service=service, hours=4, now=now)

    assert uptime.since == datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
    assert uptime.buckets == [0.0, None, 0.5, 1.0]  # 11:00, 12:00, 13:00, 14:00
    assert (uptime.checks, uptime.ok_checks, uptime.percent) == (5, 3, 60.0)


def test_it_says_there_is_no_uptime_without_checks(make_service):
    uptime = uptime_for(service=make_service(), hours=24)
    assert (uptime.percent, uptime.checks, uptime.buckets) == (None, 0, [None] * 24)
