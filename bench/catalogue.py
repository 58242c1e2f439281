#!/usr/bin/env python
"""Server time and query counts of the catalogue API list and wall at 1,000 services.

Run from the project root: ``.venv/bin/python bench/catalogue.py`` (``--requests``,
``--services``). See docs/benchmarks.md for what it measures and the figures so far.

One process, no network: Django's test ``Client`` drives the whole stack (middleware,
session sign-in, django-ninja, JSON) as a signed-in, non-staff user. The database is a
fresh test database (a temporary SQLite file, or ``test_<name>`` beside ``DATABASE_URL``
when that is set), migrated and filled with ``--services`` services by ``bulk_create``
(each with a container spec, a system and a relation; bulk_create sends no signals, so
no compliance scans are enqueued and no Redis is needed).

Endpoints, each warmed up and then requested ``--requests`` times:

* ``api_list_100`` ``/api/v1/services?limit=100`` (the RESULT's p50_ms and queries)
* ``api_list_1000`` ``/api/v1/services?limit=1000``
* ``wall`` ``/catalogue/`` (reported as missing when it answers 404)
* ``naive_100`` the baseline: the same page, same presenter and JSON, from a queryset without
  ``select_related``, so every row fetches its container and its system (N+1). It is
  served by this module's URLconf, behind the same middleware.

Times are per request around ``Client.get``: wall clock (``perf_counter``, the p50/p95
reported) and this process's CPU time (``process_time``, ``cpu_p50_ms``: what the request
costs the server, less sensitive to other load on the machine, whose 1-minute load average
is reported too). Queries are counted on one extra request with ``CaptureQueriesContext``.
The last line printed is ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_P50_MS = 20.0
NAIVE_PATH = "/bench/naive-services"


def configure_environment(run_dir: Path) -> None:
    """Before Django reads its settings: a private var dir; DATABASE_URL is kept if set."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "visionspace_site.settings"
    os.environ["VISIONSPACE_MODE"] = "local"
    os.environ["VISIONSPACE_VAR_DIR"] = str(run_dir / "var")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


# --- the baseline view and this run's URLconf ------------------------------------------------


def naive_services(request):
    """The API list's page, but fetching each row's container and system one query at a time."""
    from django.http import JsonResponse

    from apps.catalog.models import Service
    from apps.catalog.schemas import ServicePage, ServiceUrls, service_item

    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in first."}, status=401)
    limit = int(request.GET.get("limit", 100))
    services = Service.objects.filter(orphaned=False).order_by("category", "slug")  # no select_related
    urls = ServiceUrls.for_request(request)
    page = ServicePage.model_validate({
        "count": services.count(), "limit": limit, "offset": 0,
        "items": [service_item(service, urls=urls) for service in services[:limit]],
    })
    return JsonResponse(page.model_dump(mode="json"))


def _urlpatterns():
    from django.urls import include, path

    return [path(NAIVE_PATH.lstrip("/"), naive_services), path("", include("visionspace_site.urls"))]


def __getattr__(name: str):
    # This module is the run's ROOT_URLCONF; its patterns are built once Django is set up.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


# --- data ------------------------------------------------------------------------------------


def catalogue_create(*, services: int) -> None:
    """``services`` services with container specs, in three systems, with bulk_create (no signals)."""
    from apps.catalog.models import ContainerSpec, Relation, Service, System

    systems = System.objects.bulk_create(
        System(slug=slug, name=slug.replace("-", " ").title(), owner=f"group:{slug}")
        for slug in ("vls-solutions", "diamond-cli", "visionspace-platform")
    )
    made = Service.objects.bulk_create(
        Service(
            slug=f"bench-service-{i:04d}", name=f"Bench service {i}", purpose="Load for bench/catalogue.py",
            category=("vls", "diamond_cli", "integration")[i % 3],
            status=("containerised", "needs_containerisation", "integration_needed")[i % 3],
            owner=f"group:bench-{i % 7}", system=systems[i % 3], tags=["bench", f"t{i % 5}"],
            description="Generated.", compliance_level=("none", "bronze", "silver", "gold")[i % 4],
            compliance_score=i % 101,
        )
        for i in range(services)
    )
    ContainerSpec.objects.bulk_create(
        ContainerSpec(
            service=service, image=f"gcr.io/api-for-warp-drive/{service.slug}", tag="latest", ports=[8080, 9090],
            env={"MODE": "bench"}, secret_refs=[{"env": "API_KEY", "key": f"bench/{service.slug}"}], cpu="1",
            memory="512Mi", replicas=2, min_instances=1, max_instances=10, regions=["us-west1"],
            dockerfile="FROM python:3.12-slim\nUSER 10001\nCMD [\"python\", \"-m\", \"app\"]\n",
        )
        for service in made
    )
    Relation.objects.bulk_create(
        Relation(source=made[i], target=made[(i + 1) % services], type="dependsOn") for i in range(services)
    )


# --- measuring -------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(client, path: str, *, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    # Read now: every request start empties the connection's query log.
    queries = [q["sql"] for q in captured.captured_queries]
    if response.status_code == 404:
        return {"path": path, "status": 404, "missing": True}
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}: {response.content[:500]!r}")
    for _ in range(warmup):
        client.get(path)
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(queries),
        "catalogue_queries": sum("catalog_" in sql for sql in queries),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
    }


def run(args: argparse.Namespace) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()  # lets the test Client's "testserver" host in
    database = connection.vendor
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        catalogue_create(services=args.services)
        user = get_user_model().objects.create_user("bench-viewer", password=None)
        from apps.accounts.services import user_role_assign

        user_role_assign(user=user, role="viewer")
        client = Client()
        client.force_login(user)
        endpoints = {
            "api_list_100": "/api/v1/services?limit=100",
            "api_list_1000": "/api/v1/services?limit=1000",
            "wall": "/catalogue/",
            "naive_100": f"{NAIVE_PATH}?limit=100",
        }
        results = {}
        with override_settings(ROOT_URLCONF=__name__):
            for name, path in endpoints.items():
                results[name] = measure(client, path, requests=args.requests, warmup=args.warmup)
                print(f"{name:14} {json.dumps(results[name])}", flush=True)
        if results["naive_100"]["bytes"] != results["api_list_100"]["bytes"]:
            raise SystemExit("the baseline did not render the same page as the API; the comparison would be unfair")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    return {"database": database, "endpoints": results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="visionspace-bench-catalogue-") as run_dir:
        configure_environment(Path(run_dir))
        measured = run(args)
    endpoints = measured["endpoints"]
    api_100, api_1000, wall, naive = (endpoints[k] for k in ("api_list_100", "api_list_1000", "wall", "naive_100"))
    result = {
        "services": args.services,
        "p50_ms": api_100["p50_ms"],
        "queries": api_100["queries"],
        "p95_ms": api_100["p95_ms"],
        "catalogue_queries": api_100["catalogue_queries"],
        "limit_1000_p50_ms": api_1000["p50_ms"],
        "limit_1000_queries": api_1000["queries"],
        "wall_p50_ms": wall.get("p50_ms"),
        "wall_queries": wall.get("queries"),
        "wall_missing": bool(wall.get("missing")),
        "naive_p50_ms": naive["p50_ms"],
        "naive_queries": naive["queries"],
        "naive_over_api_p50": round(naive["p50_ms"] / api_100["p50_ms"], 1),
        "cpu_p50_ms": api_100["cpu_p50_ms"],
        "limit_1000_cpu_p50_ms": api_1000["cpu_p50_ms"],
        "requests": args.requests,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "database": measured["database"],
        "cpus": os.cpu_count(),
        "target_p50_ms": TARGET_P50_MS,
        "target_met": api_100["p50_ms"] <= TARGET_P50_MS,
    }
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
