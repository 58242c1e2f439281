"""Helpers: run one rule against an in-memory service (no database), or seed the fleet."""

from __future__ import annotations

import textwrap

import pytest

from apps.catalog.models import ContainerSpec, Service
from apps.catalog.services import catalog_seed
from apps.compliance.context import scan_context_build
from apps.compliance.rules import REGISTRY, RuleOutcome, rule_run

GOOD_NODE = """\
FROM node:24.11.1-alpine3.22 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:24.11.1-alpine3.22
WORKDIR /app
COPY . .
COPY --from=deps /app/node_modules ./node_modules
USER 10001:10001
EXPOSE 3000
HEALTHCHECK CMD ["node", "-e", "process.exit(0)"]
CMD ["node", "."]
"""


def service_in_memory(dockerfile: str | None = GOOD_NODE, *, annotations=None, component_url="", **spec) -> Service:
    service = Service(slug="svc", name="Service", purpose="tests", annotations=annotations or {},
                      component_url=component_url)
    if dockerfile is not None or spec:
        fields = {"image": "gcr.io/x/svc", "tag": "1.0.0", "runtime": "node", "ports": [3000], "cpu": "1",
                  "memory": "512Mi", **spec}
        ContainerSpec(service=service, dockerfile=textwrap.dedent(dockerfile or ""), **fields)
    return service


def check(rule_id: str, dockerfile: str | None = GOOD_NODE, **kwargs) -> RuleOutcome:
    """The outcome of one rule for a service with this Dockerfile and spec."""
    service = service_in_memory(dockerfile, **kwargs)
    return rule_run(REGISTRY[rule_id], scan_context_build(service=service))


@pytest.fixture
def fleet(db):
    catalog_seed()
    return {s.slug: s for s in Service.objects.select_related("container")}
