"""The catalogue as one multi-document Backstage catalog-info.yaml."""

from __future__ import annotations

from collections.abc import Callable

import yaml
from django.db.models import QuerySet

from apps.catalog.models import Service, System

from .from_entities import catalog_documents


class _Dumper(yaml.SafeDumper):
    """Multi-line text (Dockerfiles, API definitions) as literal blocks, the way people write it."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # indent list items under their key, as Backstage's docs do


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def documents_yaml(documents: list[dict]) -> str:
    return yaml.dump_all(documents, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                         explicit_start=True, width=120)


def catalog_export_yaml(
    *,
    services: QuerySet[Service] | None = None,
    systems: QuerySet[System] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> str:
    """Every System, Component, Resource and API (or those given), orphaned ones marked ``backstage.io/orphan``."""
    return documents_yaml(catalog_documents(services=services, systems=systems, progress=progress))
