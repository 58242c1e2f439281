"""Timing of the planner (not part of the suite; run it by name):

    .venv/bin/python -m pytest tests/studio/planner/plan_timing.py -q -s

Prints the median and worst time to plan typical requests against the seeded 22 services
and against 1,000 services with a day of hourly probe results each (docs/planner.md).
"""

import statistics
import time
from datetime import timedelta

from django.utils import timezone

from apps.catalog.models import ContainerSpec, ProbeResult, Service
from apps.catalog.services import catalog_seed
from apps.studio.planner import lexicon, storyboard_plan

REQUESTS = [
    "show me the flight memory system status",
    "compare dr lucy and dr burby",
    "show the fleet overview",
    "top 5 services by uptime",
    "which diamond cli services need containerisation",
    "show the dr lucy compliance",
    "the hub health over the last 48 hours",
    "explain pipecat",
]


def _time(request: str, runs: int = 15) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        storyboard_plan(request=request)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def _ms(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _cold() -> None:
    lexicon._current.clear()
    lexicon._aliases_seen.clear()
    storyboard_plan(request=REQUESTS[0])


def _after_one_rename() -> None:
    service = Service.objects.order_by("-id").first()
    service.name = f"{service.name} renamed"
    service.save()
    storyboard_plan(request=REQUESTS[0])


def _report(label: str) -> None:
    cold = sorted(_ms(_cold) for _ in range(5))
    renamed = sorted(_ms(_after_one_rename) for _ in range(5))
    print(f"\n{label}: first request, lexicon built from nothing: median {cold[2]:.1f} ms (min {cold[0]:.1f}); "
          f"after one service changed: median {renamed[2]:.1f} ms (min {renamed[0]:.1f})")
    for request in REQUESTS:
        median, worst = _time(request)
        print(f"  {request:52} median {median:6.2f} ms  max {worst:6.2f} ms")


def _grow(total: int) -> None:
    now = timezone.now()
    existing = Service.objects.count()
    services = Service.objects.bulk_create([
        Service(slug=f"bulk-service-{i}", name=f"Bulk Service {i}", purpose=f"Synthetic workload {i}",
                category=("vls", "diamond_cli", "integration")[i % 3],
                status=("containerised", "needs_containerisation", "integration_needed")[i % 3], owner="group:bench",
                compliance_score=i % 101)
        for i in range(total - existing)
    ])
    ContainerSpec.objects.bulk_create([ContainerSpec(service=s, image=f"gcr.io/x/{s.slug}", replicas=1 + s.pk % 5,
                                                     regions=["us-west1"]) for s in services])
    ProbeResult.objects.bulk_create([
        ProbeResult(service=s, checked_at=now - timedelta(hours=h), expires_at=now - timedelta(hours=h, minutes=-5),
                    ok=(s.pk + h) % 7 != 0, status_code=200, latency_ms=12.0)
        for s in Service.objects.all() for h in range(24)
    ], batch_size=2000)


def test_planner_timing(db):
    catalog_seed()
    _report("22 services")
    _grow(1000)
    _report("1,000 services, 24,000 probe results")
