"""The catalogue pages: the wall, a service's page, the relations graph, artefacts, import."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.permissions import role_required
from apps.compliance.selectors import fleet_scorecard, scorecard_for
from apps.deployments.manifests import ARTEFACTS, ArtefactError, artefact_render

from .backstage.exporter import catalog_export_yaml
from .backstage.importer import catalog_import_text
from .forms import CatalogImportForm, WallFilterForm
from .graph import fleet_graph, neighbourhood_graph, uptime_chart
from .models import Category, ComplianceLevel, ContainerSpec, ContainerStatus, HealthStatus, RelationType, Service
from .probes.selectors import probe_history, uptime_for
from .selectors import ServiceFilters, catalog_counts, owners, service_get, service_list

PER_PAGE = 48
CARD_FIELDS = ("slug", "name", "purpose", "category", "status", "owner", "compliance_level", "compliance_score",
               "health_status", "health_checked_at", "orphaned")
TABS = (("overview", "Overview"), ("container", "Container"), ("compliance", "Compliance"), ("health", "Health"),
        ("deployments", "Deployments"))
UPTIME_HOURS = 24


def health_shown(service: Service, *, now) -> str:
    """The last probe's verdict, or "stale" once it is older than the probe TTL."""
    if service.health_checked_at is None:
        return HealthStatus.UNKNOWN
    if now - service.health_checked_at > timedelta(seconds=settings.HEALTH_PROBE_TTL_SECONDS):
        return HealthStatus.STALE
    return service.health_status


def _results_only(request: HttpRequest) -> bool:
    """htmx swaps just the card grid; a history restore wants the whole page."""
    return request.headers.get("HX-Target") == "wall-results" and "HX-History-Restore-Request" not in request.headers


@dataclass(frozen=True)
class Card:
    """What one card shows, worked out here: attribute and method lookups in the template
    cost more than the queries on a page of 48."""

    url: str
    name: str
    purpose: str
    owner: str
    category: str
    status: str
    status_label: str
    level: str
    level_text: str
    health: str
    health_label: str
    orphaned: bool


_STATUS = dict(ContainerStatus.choices)
_CATEGORY = dict(Category.choices)
_HEALTH = dict(HealthStatus.choices)


def _card(service: Service, *, prefix: str, now) -> Card:
    health = health_shown(service, now=now)
    level = service.compliance_level
    return Card(
        url=f"{prefix}{quote(service.slug, safe='')}/",
        name=service.name, purpose=service.purpose, owner=service.owner,
        category=_CATEGORY.get(service.category, service.category),
        status=service.status, status_label=_STATUS.get(service.status, service.status),
        level=level, level_text="No level" if level == ComplianceLevel.NONE else
        f"{ComplianceLevel(level).label} {service.compliance_score}%",
        health=health, health_label=_HEALTH[health], orphaned=service.orphaned,
    )


@role_required("view_fleet")
@require_GET
def wall(request: HttpRequest) -> HttpResponse:
    form = WallFilterForm(request.GET, owners=owners())
    filters = form.filters()
    services = service_list(filters=filters).select_related(None).only(*CARD_FIELDS)
    page = Paginator(services, PER_PAGE).get_page(request.GET.get("page"))
    now, prefix = timezone.now(), reverse("catalog:wall")
    context = {
        "form": form,
        "page": page,
        "cards": [_card(s, prefix=prefix, now=now) for s in page.object_list],
        "filtered": filters != ServiceFilters(),
        "elided": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
    if _results_only(request):
        response = render(request, "catalog/_wall_results.html", context)
    else:
        fleet = fleet_scorecard()
        context.update(
            counts=catalog_counts(),
            fleet=fleet,
            fleet_levels=[(ComplianceLevel(level), n) for level, n in fleet.levels.items()],
            fleet_artefacts=[(kind, r.label) for kind, r in ARTEFACTS.items() if not r.one_service_only],
        )
        response = render(request, "catalog/wall.html", context)
    patch_vary_headers(response, ["HX-Target", "HX-History-Restore-Request"])
    return response


@role_required("view_fleet")
@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        service = service_get(slug=slug)
    except Service.DoesNotExist:
        raise Http404(f"No service is called {slug!r}: pick one on the catalogue wall.") from None
    tab = request.GET.get("tab") or "overview"
    if tab not in dict(TABS):
        raise Http404(f"No tab {tab!r}: use one of {', '.join(t for t, _ in TABS)}.")
    context = {
        "service": service,
        "tabs": TABS,
        "tab": tab,
        "health": HealthStatus(health_shown(service, now=timezone.now())),
        "prefix": reverse("catalog:wall"),
        **_TAB_CONTEXT[tab](service),
    }
    return render(request, "catalog/service.html", context)


def _overview(service: Service) -> dict:
    relations_out = list(service.relations_out.select_related("target__system").order_by("type", "target__slug"))
    relations_in = list(service.relations_in.select_related("source__system").order_by("type", "source__slug"))
    graph = neighbourhood_graph(
        service=service,
        dependents=[r.source for r in relations_in if r.type == RelationType.DEPENDS_ON],
        dependencies=[r.target for r in relations_out if r.type == RelationType.DEPENDS_ON],
    )
    return {"relations_out": relations_out, "relations_in": relations_in, "graph": graph if graph.edges else None}


def _container(service: Service) -> dict:
    try:
        spec = service.container
    except ContainerSpec.DoesNotExist:
        spec = None
    return {"spec": spec, "artefacts": [(kind, r.label) for kind, r in ARTEFACTS.items()]}


def _compliance(service: Service) -> dict:
    return {"scorecard": scorecard_for(service=service)}


def _health(service: Service) -> dict:
    uptime = uptime_for(service=service, hours=UPTIME_HOURS)
    return {
        "uptime": uptime,
        "chart": uptime_chart(buckets=uptime.buckets, since=uptime.since),
        "recent": probe_history(service=service, limit=10),
        "ttl_seconds": settings.HEALTH_PROBE_TTL_SECONDS,
    }


_TAB_CONTEXT = {
    "overview": _overview,
    "container": _container,
    "compliance": _compliance,
    "health": _health,
    "deployments": lambda service: {},
}


@role_required("view_fleet")
@require_GET
def relations_graph(request: HttpRequest) -> HttpResponse:
    graph = fleet_graph(include_orphaned=request.GET.get("orphaned") == "1")
    return render(request, "catalog/graph.html", {"graph": graph, "prefix": reverse("catalog:wall")})


def safe_filename(name: str) -> str:
    """Letters, digits, dot, dash and underscore; never a path, never empty."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(".-")
    return cleaned[:120] or "artefact.txt"


def _problem(request: HttpRequest, *, title: str, message: str, status: int) -> HttpResponse:
    return render(request, "catalog/problem.html", {"title": title, "message": message}, status=status)


@role_required("view_fleet")
@require_GET
def artefact_download(request: HttpRequest, kind: str, slug: str | None = None) -> HttpResponse:
    if kind not in ARTEFACTS:
        raise Http404(f"No artefact kind {kind!r}: use one of {', '.join(ARTEFACTS)}.")
    if slug is None:
        services = list(service_list())
    else:
        try:
            services = [service_get(slug=slug)]
        except Service.DoesNotExist:
            raise Http404(f"No service is called {slug!r}.") from None
    try:
        artefact = artefact_render(kind=kind, services=services)
    except ArtefactError as exc:
        label = ARTEFACTS[kind].label
        return _problem(request, title=f"No {label} for {'this service' if slug else 'the fleet'}", message=str(exc),
                        status=409)
    response = HttpResponse(artefact.text, content_type=artefact.media_type)
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(artefact.filename))
    return response


@role_required("import_catalog")
@require_http_methods(["GET", "POST"])
def catalog_import(request: HttpRequest) -> HttpResponse:
    form = CatalogImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = catalog_import_text(text=data["yaml"], source=data["source"], filename=data["filename"],
                                     adopt=data["adopt"])
    failed = bool(form.errors) or bool(report and report.errors)
    return render(request, "catalog/import.html", {"form": form, "report": report}, status=400 if failed else 200)


@role_required("view_fleet")
@require_GET
def catalog_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(catalog_export_yaml(), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "catalog-info.yaml")
    return response
