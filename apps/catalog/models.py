"""The service catalogue: what the fleet is, how each service is containerised, how it relates.

Entities follow Backstage's model (Component, System, Resource, API) so that
``catalog-info.yaml`` files import and export without loss; VisionSpace's container
fields travel as ``visionspace.io/*`` annotations.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

# Backstage: "strings of length at least 1, and at most 63, must consist of sequences of
# [a-z0-9A-Z] possibly separated by one of [-_.]".
ENTITY_NAME = r"^(?=.{1,63}$)[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$"
entity_name_validator = RegexValidator(
    ENTITY_NAME, "Use 1–63 letters or digits, separated by single '-', '_' or '.' (Backstage's rule)."
)
# Fixed pages under /catalogue/: a service by one of these names could not be reached.
RESERVED_SLUGS = frozenset({"graph", "import", "export", "artefacts"})


def reserved_slug_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(f"{value!r} is reserved for a catalogue page; choose another name.")


class Category(models.TextChoices):
    VLS = "vls", "VLS solution"
    DIAMOND_CLI = "diamond_cli", "Diamond CLI solution"
    INTEGRATION = "integration", "Integration container"


class ContainerStatus(models.TextChoices):
    CONTAINERISED = "containerised", "Containerised"
    NEEDS_CONTAINERISATION = "needs_containerisation", "Needs containerisation"
    INTEGRATION_NEEDED = "integration_needed", "Integration needed"


class Lifecycle(models.TextChoices):
    EXPERIMENTAL = "experimental", "Experimental"
    PRODUCTION = "production", "Production"
    DEPRECATED = "deprecated", "Deprecated"


class Kind(models.TextChoices):
    COMPONENT = "Component", "Component"
    RESOURCE = "Resource", "Resource"
    API = "API", "API"


class ComplianceLevel(models.TextChoices):
    NONE = "none", "Not compliant"
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"


class HealthStatus(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    UP = "up", "Up"
    DOWN = "down", "Down"
    STALE = "stale", "Stale"


class System(models.Model):
    """A Backstage System: a group of services that together deliver one capability."""

    slug = models.CharField(max_length=63, unique=True, validators=[entity_name_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    annotations = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=500, blank=True, help_text="Where it was imported from; empty if made here.")
    orphaned = models.BooleanField(default=False, help_text="Gone from its import source; kept, not deleted.")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name or self.slug


class Service(models.Model):
    slug = models.CharField(max_length=63, unique=True, validators=[entity_name_validator, reserved_slug_validator])
    name = models.CharField(max_length=200)
    purpose = models.CharField(max_length=200, help_text="One line: what it is for.")
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COMPONENT)
    type = models.CharField(max_length=50, default="service", help_text="Backstage spec.type, e.g. service, website, database, openapi.")
    category = models.CharField(max_length=20, choices=Category.choices, db_index=True)
    status = models.CharField(max_length=30, choices=ContainerStatus.choices, db_index=True)
    owner = models.CharField(max_length=200, db_index=True)
    system = models.ForeignKey(System, null=True, blank=True, on_delete=models.SET_NULL, related_name="services")
    lifecycle = models.CharField(max_length=20, choices=Lifecycle.choices, default=Lifecycle.PRODUCTION)
    tags = models.JSONField(default=list, blank=True)
    links = models.JSONField(default=list, blank=True, help_text='[{"url": ..., "title": ...}]')
    annotations = models.JSONField(default=dict, blank=True, help_text="Other Backstage annotations, kept for round trips.")
    component_url = models.URLField(blank=True, help_text="Answers a POST with a stage scene as JSON (docs/components.md).")
    source = models.CharField(max_length=500, blank=True, help_text="Where it was imported from; empty if made here.")
    orphaned = models.BooleanField(default=False, help_text="Gone from its import source; kept, not deleted.")

    # Denormalised from the latest scan and probe, so that the wall needs no subqueries.
    compliance_level = models.CharField(max_length=10, choices=ComplianceLevel.choices, default=ComplianceLevel.NONE, db_index=True)
    compliance_score = models.PositiveSmallIntegerField(default=0, help_text="Per cent of applicable rules passed.")
    health_status = models.CharField(max_length=10, choices=HealthStatus.choices, default=HealthStatus.UNKNOWN)
    health_checked_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        indexes = [models.Index(fields=["category", "status"])]

    def __str__(self) -> str:
        return self.name


class Runtime(models.TextChoices):
    NODE = "node", "Node.js"
    PYTHON = "python", "Python"
    OTHER = "other", "Other"


class ContainerSpec(models.Model):
    """How a service runs as a container. Secrets are references into the key manager, never values."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="container")
    image = models.CharField(max_length=300, help_text="Repository, e.g. gcr.io/api-for-warp-drive/visionspace")
    tag = models.CharField(max_length=128, default="latest")
    digest = models.CharField(max_length=80, blank=True, help_text="sha256:… when known")
    runtime = models.CharField(max_length=10, choices=Runtime.choices, default=Runtime.OTHER)
    dockerfile = models.TextField(blank=True, help_text="The service's Dockerfile, as its repository has it.")
    ports = models.JSONField(default=list, blank=True, help_text="Container ports, first is the main one.")
    env = models.JSONField(default=dict, blank=True, help_text="Non-secret environment.")
    secret_refs = models.JSONField(
        default=list, blank=True, help_text='[{"env": "DAILY_API_KEY", "key": "daily/api-key"}] — names in the key manager.'
    )
    cpu = models.CharField(max_length=10, blank=True, help_text='e.g. "2" or "500m"')
    memory = models.CharField(max_length=10, blank=True, help_text='e.g. "4Gi"')
    replicas = models.PositiveSmallIntegerField(default=1)
    min_instances = models.PositiveSmallIntegerField(default=0)
    max_instances = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(1)])
    concurrency = models.PositiveSmallIntegerField(default=80, validators=[MinValueValidator(1), MaxValueValidator(1000)])
    regions = models.JSONField(default=list, blank=True)
    cloud_run_annotations = models.JSONField(default=dict, blank=True)
    liveness_path = models.CharField(max_length=200, default="/healthz")
    readiness_path = models.CharField(max_length=200, default="/readyz")
    health_url = models.URLField(blank=True, help_text="Where the prober asks for readiness (the running service).")

    def __str__(self) -> str:
        return self.image_ref

    @property
    def image_ref(self) -> str:
        ref = f"{self.image}:{self.tag}" if self.tag else self.image
        return f"{ref}@{self.digest}" if self.digest else ref

    @property
    def main_port(self) -> int | None:
        return self.ports[0] if self.ports else None


class RelationType(models.TextChoices):
    DEPENDS_ON = "dependsOn", "depends on"
    PROVIDES_API = "providesApi", "provides API"
    CONSUMES_API = "consumesApi", "consumes API"


class Relation(models.Model):
    source = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="relations_in")
    type = models.CharField(max_length=20, choices=RelationType.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "type"], name="catalog_relation_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="catalog_relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source.slug} {self.get_type_display()} {self.target.slug}"


class ProbeResult(models.Model):
    """One readiness probe of a service. A result older than its ``expires_at`` is stale."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="probes")
    checked_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    ok = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.FloatField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["service", "-checked_at"])]

    def __str__(self) -> str:
        return f"{self.service.slug} {'up' if self.ok else 'down'} at {self.checked_at:%Y-%m-%d %H:%M:%S}"
