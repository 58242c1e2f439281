"""What the catalogue API reads and returns (OpenAPI is generated from these).

Services are turned into plain dicts here, described by plain pydantic models: ninja's
``Schema`` resolves every field of every row through a Python getter, which at 1,000 rows
cost more than the queries. The list reads flat rows (``QuerySet.values``) rather than
model instances, which costs a third as much per row. Secrets never leave the server: a
container's ``secret_refs`` are shown as the names of the environment variables they fill,
never as values or key-manager paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema
from pydantic import BaseModel

from .models import Category, ComplianceLevel, ContainerStatus, Relation, Service

MAX_LIMIT = 1000


class Error(Schema):
    detail: str = Field(description="What went wrong and what to do about it.")


# --- input --------------------------------------------------------------------------------------


class ServiceQuery(Schema):
    category: Category | None = Field(None, description="Only services of this category.")
    status: ContainerStatus | None = Field(None, description="Only services with this containerisation status.")
    owner: str | None = Field(None, max_length=200, description="Only services of this owner, e.g. group:vls.")
    level: ComplianceLevel | None = Field(None, description="Only services at this compliance level.")
    q: str | None = Field(None, max_length=200, description="Search in slug, name, purpose and tags.")
    include_orphaned: bool = Field(False, description="Also list services gone from their import source.")


class PageQuery(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"Services per page, at most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, description="Services to skip.")


# --- services -----------------------------------------------------------------------------------


class ServiceLinks(BaseModel):
    self: str = Field(description="This service in the API.")
    ui: str = Field(description="This service's page in the control room.")


class Compliance(BaseModel):
    level: str = Field(description="none, bronze, silver or gold, from the latest scan.")
    score: int = Field(description="Per cent of applicable rules passed.")


class Health(BaseModel):
    status: str = Field(description="unknown, up, down or stale, from the latest probe.")
    checked_at: datetime | None


class Container(BaseModel):
    image_ref: str = Field(description="image:tag, with @digest when known.")
    ports: list[int]
    cpu: str
    memory: str
    replicas: int
    min_instances: int
    max_instances: int
    regions: list[str]


class ServiceItem(BaseModel):
    slug: str
    name: str
    purpose: str
    kind: str
    type: str
    category: str
    status: str
    owner: str
    system: str | None = Field(description="The slug of the service's system.")
    lifecycle: str
    tags: list[str]
    orphaned: bool
    compliance: Compliance
    health: Health
    container: Container | None
    links: ServiceLinks


class ServicePage(BaseModel):
    count: int = Field(description="Services matching the filters, on all pages.")
    limit: int
    offset: int
    items: list[ServiceItem]


class ContainerDetail(Container):
    image: str
    tag: str
    digest: str
    runtime: str
    env: dict[str, str] = Field(description="Non-secret environment only.")
    secret_refs: list[str] = Field(description="Names of the environment variables filled from the key manager.")
    concurrency: int
    cloud_run_annotations: dict[str, Any]
    liveness_path: str
    readiness_path: str
    health_url: str


class ExternalLink(BaseModel):
    url: str
    title: str | None = None
    icon: str | None = None
    type: str | None = None


class RelatedService(BaseModel):
    type: str = Field(description="dependsOn, providesApi or consumesApi.")
    slug: str
    name: str


class ServiceDetail(ServiceItem):
    description: str
    external_links: list[ExternalLink] = Field(description="The entity's Backstage metadata.links.")
    annotations: dict[str, Any] = Field(description="Other Backstage annotations, kept for round trips.")
    component_url: str
    source: str = Field(description="Where it was imported from; empty if made here.")
    container: ContainerDetail | None
    relations_out: list[RelatedService] = Field(description="What this service depends on, provides or consumes.")
    relations_in: list[RelatedService] = Field(description="Services that relate to this one.")
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ServiceUrls:
    """Absolute URL prefixes, worked out once per request rather than once per row."""

    api: str
    ui: str

    @classmethod
    def for_request(cls, request: HttpRequest) -> ServiceUrls:
        return cls(api=request.build_absolute_uri(reverse("api:service_list")) + "/",
                   ui=request.build_absolute_uri(reverse("catalog:wall")))

    def links(self, slug: str) -> dict:
        return {"self": f"{self.api}{slug}", "ui": f"{self.ui}{slug}/"}


def image_ref(*, image: str, tag: str, digest: str) -> str:
    """As ``ContainerSpec.image_ref``, for rows read without a model instance."""
    ref = f"{image}:{tag}" if tag else image
    return f"{ref}@{digest}" if digest else ref


ITEM_COLUMNS = (
    "slug", "name", "purpose", "kind", "type", "category", "status", "owner", "system__slug", "lifecycle", "tags",
    "orphaned", "compliance_level", "compliance_score", "health_status", "health_checked_at", "container__id",
    "container__image", "container__tag", "container__digest", "container__ports", "container__cpu",
    "container__memory", "container__replicas", "container__min_instances", "container__max_instances",
    "container__regions",
)


def service_item_from_row(row: dict, *, urls: ServiceUrls) -> dict:
    """A list item from a ``values(*ITEM_COLUMNS)`` row."""
    return {
        "slug": row["slug"], "name": row["name"], "purpose": row["purpose"], "kind": row["kind"], "type": row["type"],
        "category": row["category"], "status": row["status"], "owner": row["owner"], "system": row["system__slug"],
        "lifecycle": row["lifecycle"], "tags": row["tags"], "orphaned": row["orphaned"],
        "compliance": {"level": row["compliance_level"], "score": row["compliance_score"]},
        "health": {"status": row["health_status"], "checked_at": row["health_checked_at"]},
        "container": None if row["container__id"] is None else {
            "image_ref": image_ref(image=row["container__image"], tag=row["container__tag"],
                                   digest=row["container__digest"]),
            "ports": row["container__ports"], "cpu": row["container__cpu"], "memory": row["container__memory"],
            "replicas": row["container__replicas"], "min_instances": row["container__min_instances"],
            "max_instances": row["container__max_instances"], "regions": row["container__regions"],
        },
        "links": urls.links(row["slug"]),
    }


def _container(service: Service):
    # select_related has cached the spec or its absence: no query either way.
    return getattr(service, "container", None)


def service_item(service: Service, *, urls: ServiceUrls) -> dict:
    """A list item from a model instance (the detail starts from it)."""
    spec = _container(service)
    return {
        "slug": service.slug, "name": service.name, "purpose": service.purpose, "kind": service.kind,
        "type": service.type, "category": service.category, "status": service.status, "owner": service.owner,
        "system": service.system.slug if service.system_id else None, "lifecycle": service.lifecycle,
        "tags": service.tags, "orphaned": service.orphaned,
        "compliance": {"level": service.compliance_level, "score": service.compliance_score},
        "health": {"status": service.health_status, "checked_at": service.health_checked_at},
        "container": None if spec is None else {
            "image_ref": spec.image_ref, "ports": spec.ports, "cpu": spec.cpu, "memory": spec.memory,
            "replicas": spec.replicas, "min_instances": spec.min_instances, "max_instances": spec.max_instances,
            "regions": spec.regions,
        },
        "links": urls.links(service.slug),
    }


def _secret_names(spec) -> list[str]:
    return [ref["env"] for ref in spec.secret_refs if isinstance(ref, dict) and ref.get("env")]


def _container_detail(spec) -> dict:
    secret = _secret_names(spec)
    return {
        "image_ref": spec.image_ref, "image": spec.image, "tag": spec.tag, "digest": spec.digest,
        "runtime": spec.runtime, "ports": spec.ports, "cpu": spec.cpu, "memory": spec.memory,
        "replicas": spec.replicas, "min_instances": spec.min_instances, "max_instances": spec.max_instances,
        "concurrency": spec.concurrency, "regions": spec.regions,
        # A variable that is also a secret ref is a secret, however it got into env.
        "env": {name: str(value) for name, value in spec.env.items() if name not in secret},
        "secret_refs": secret, "cloud_run_annotations": spec.cloud_run_annotations,
        "liveness_path": spec.liveness_path, "readiness_path": spec.readiness_path, "health_url": spec.health_url,
    }


def service_detail(service: Service, *, urls: ServiceUrls, relations_out: Iterable[Relation],
                   relations_in: Iterable[Relation]) -> dict:
    spec = _container(service)
    return {
        **service_item(service, urls=urls),
        "description": service.description,
        "external_links": [link for link in service.links if isinstance(link, dict) and link.get("url")],
        "annotations": service.annotations, "component_url": service.component_url, "source": service.source,
        "container": None if spec is None else _container_detail(spec),
        "relations_out": [{"type": r.type, "slug": r.target.slug, "name": r.target.name} for r in relations_out],
        "relations_in": [{"type": r.type, "slug": r.source.slug, "name": r.source.name} for r in relations_in],
        "created_at": service.created_at, "updated_at": service.updated_at,
    }


# --- compliance (apps.compliance.selectors' dataclasses, read by attribute) ------------------------


class ScorecardRow(Schema):
    rule_id: str
    title: str
    severity: str = Field(description="critical, high or medium.")
    source: str = Field(description="Where the rule comes from, e.g. 'CIS Docker 4.1'.")
    status: str = Field(description="pass, fail, not_applicable or unknown.")
    evidence: str
    line: int | None = Field(description="The Dockerfile line to look at, if any.")
    fix: str


class Scorecard(Schema):
    service_slug: str
    scanned: bool = Field(description="False: never scanned, and the rest is empty.")
    level: str
    score: int
    passed: int
    applicable: int
    scanned_at: datetime | None
    trigger: str
    dockerfile_sha256: str
    results: list[ScorecardRow]


class FleetRuleRow(Schema):
    rule_id: str
    title: str
    severity: str
    passed: int
    failed: int
    unknown: int
    not_applicable: int


class FleetScorecard(Schema):
    services_total: int
    services_scanned: int
    levels: dict[str, int] = Field(description="Services per level, gold to none.")
    score: int = Field(description="Mean of the services' scores; a never-scanned service counts as 0.")
    last_scanned_at: datetime | None
    rules: list[FleetRuleRow]


# --- import -------------------------------------------------------------------------------------


class ImportProblem(Schema):
    message: str
    file: str | None
    document: int | None = Field(description="1-based position of the YAML document.")
    entity: str | None
    field: str | None


class ImportChange(BaseModel):
    entity: str
    action: str = Field(description="created, updated, unchanged or orphaned.")


class ImportReport(Schema):
    source: str
    file: str | None
    created: int
    updated: int
    unchanged: int
    orphaned: int
    errors: list[ImportProblem]
    warnings: list[ImportProblem]
    applied: bool = Field(description="True when the catalogue was changed.")
    dry_run: bool
    changes: list[ImportChange]

    @staticmethod
    def resolve_changes(report) -> list[dict]:
        return [{"entity": entity, "action": action} for entity, action in report.changes]
