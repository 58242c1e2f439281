"""One function per scene the planner composes, each filling the data its component draws
(apps/studio/storyboard.py, SCENE_KINDS) from catalogue reads, with its narration."""

from __future__ import annotations

from datetime import datetime

from apps.catalog.models import ComplianceLevel, ContainerSpec, ContainerStatus, Service
from apps.catalog.probes.selectors import uptime_for
from apps.compliance.selectors import scorecard_for

from ..storyboard import Scene
from .phrasing import MAX_LINE_CHARS, clipped, counted, hours_said, listed, narration, percent, said, scene_seconds
from .selectors import FleetBreakdown, service_relations
from .text import number_spoken

MAX_TABLE_ROWS = 5
MAX_EVIDENCE_CHARS = 200
MAX_TEXT_LINES = 8
STATUS_SAID = {
    ContainerStatus.CONTAINERISED: "is containerised",
    ContainerStatus.NEEDS_CONTAINERISATION: "still needs containerisation",
    ContainerStatus.INTEGRATION_NEEDED: "still needs integration",
}
STATUS_COUNTED = {
    ContainerStatus.CONTAINERISED: "containerised",
    ContainerStatus.NEEDS_CONTAINERISATION: "needing containerisation",
    ContainerStatus.INTEGRATION_NEEDED: "needing integration",
}
LEVEL_SAID = {"gold": "gold", "silver": "silver", "bronze": "bronze", "none": "not yet compliant"}


def scene(kind: str, title: str, said_text: str, data: dict, *, minimum: float = 2.0) -> Scene:
    return Scene(kind=kind, title=clipped(title, 80), narration=said_text,
                 duration_s=scene_seconds(said_text, minimum=minimum), data=data)


def title_scene(*, heading: str, subheading: str, spoken: str) -> Scene:
    data = {"heading": clipped(heading, 80), "subheading": clipped(subheading, 120)}
    return scene("title", heading, narration(spoken), data, minimum=2.5)


def _container(service: Service) -> ContainerSpec | None:
    try:
        return service.container
    except ContainerSpec.DoesNotExist:
        return None


def service_card_scene(*, service: Service) -> Scene:
    spec = _container(service)
    replicas = spec.replicas if spec else 0
    region = (spec.regions[0] if spec and spec.regions else "") if spec else ""
    where = f" in {clipped(region, 30)}" if region else ""
    if service.status == ContainerStatus.CONTAINERISED:
        detail = f"and running {counted(replicas, 'replica')}{where}" if spec else ""
    else:
        detail = f"and is planned for {counted(replicas, 'replica')}{where}" if spec else ""
    status = STATUS_SAID.get(service.status, f"is {service.get_status_display().lower()}")
    text = narration(f"{said(service.name)} {status}{' ' + detail if detail else ''}.")
    return scene("service_card", service.name, text, {
        "slug": service.slug, "name": service.name, "purpose": service.purpose, "status": service.status,
        "image": spec.image_ref if spec else "", "replicas": replicas, "region": region,
        "compliance_level": service.compliance_level, "health": service.health_status,
    })


def health_chart_scene(*, service: Service, hours: int, now: datetime | None) -> Scene:
    uptime = uptime_for(service=service, hours=hours, now=now)
    when = hours_said(hours)
    if uptime.percent is None:
        text = narration(f"No health checks of {said(service.name)} were recorded over {when}.")
    else:
        text = narration(f"Over {when}, {said(service.name)} was up {percent(uptime.percent)} of the time,",
                         f"across {counted(uptime.checks, 'check')}.")
    return scene("health_chart", f"{service.name}: health", text, {
        "service": service.name, "slug": service.slug, "status": service.health_status,
        "uptime_percent": uptime.percent, "buckets": uptime.buckets, "hours": hours,
    })


def compliance_table_scene(*, service: Service) -> Scene:
    card = scorecard_for(service=service)
    rows = [{"rule_id": r.rule_id, "title": r.title, "status": r.status,
             "evidence": clipped(r.evidence, MAX_EVIDENCE_CHARS)} for r in card.failing[:MAX_TABLE_ROWS]]
    name = said(service.name)
    if not card.scanned:
        text = narration(f"{name} has not been scanned for compliance yet.")
    elif not card.failing:
        text = narration(f"{name} is {LEVEL_SAID.get(card.level, card.level)}: it passes every container rule.")
    else:
        level = LEVEL_SAID.get(card.level, card.level)
        text = narration(f"{name} is {level}, passing {percent(card.score)} of the rules.",
                         f"The most serious issue: {clipped(card.failing[0].title, 60).rstrip('.')}.")
    return scene("compliance_table", f"{service.name}: compliance", text, {
        "service": service.name, "slug": service.slug, "level": card.level, "score": card.score, "rows": rows,
    })


def deployments_scene(*, label: str, slug: str = "") -> Scene:
    # Until the deployments app records revisions there is nothing to list; say so plainly.
    text = narration(f"No deployments of {said(label)} have been recorded yet.")
    return scene("deployments", f"{label[:1].upper()}{label[1:]}: deployments", text,
                 {"service": label, "slug": slug, "events": []})


def explain_scene(*, service: Service) -> Scene:
    depends_on, used_by = service_relations(service=service)
    lines = [clipped(service.purpose, MAX_LINE_CHARS)]
    if service.description:
        lines.append(clipped(service.description, MAX_LINE_CHARS))
    if depends_on:
        lines.append(clipped(f"Depends on: {listed(depends_on, limit=5)}", MAX_LINE_CHARS))
    if used_by:
        lines.append(clipped(f"Used by: {listed(used_by, limit=5)}", MAX_LINE_CHARS))
    if service.system_id:
        lines.append(clipped(f"Part of {service.system.name}, owned by {service.owner}", MAX_LINE_CHARS))
    relation = (f"It depends on {listed(depends_on, limit=3)}." if depends_on
                else f"{listed(used_by, limit=3)} depend on it." if used_by else "")
    text = narration(f"{said(service.name)}: {clipped(service.purpose, 80).rstrip('.')}.", relation)
    return scene("text", service.name, text, {"heading": service.name, "lines": lines[:MAX_TEXT_LINES]})


def component_scene(*, service: Service) -> Scene:
    """A placeholder: the renderer asks the service's component_url for the real scene, or drops this one."""
    text = narration(f"Here is {said(service.name)}'s own view.")
    return scene("component", f"{service.name}: live view", text,
                 {"component_url": service.component_url, "slug": service.slug}, minimum=4.0)


def comparison_scene(*, title: str, metric: str, unit: str, items: list[dict], spoken: str) -> Scene:
    data = {"metric": metric, "items": items}
    if unit:
        data["unit"] = unit
    return scene("comparison", title, narration(spoken), data)


def text_scene(*, heading: str, lines: list[str], spoken: str) -> Scene:
    return scene("text", heading, narration(spoken),
                 {"heading": clipped(heading, 80),
                  "lines": [clipped(line, MAX_LINE_CHARS) for line in lines[:MAX_TEXT_LINES]]})


def fleet_overview_scene(*, breakdown: FleetBreakdown, label: str) -> Scene:
    status_parts = [f"{number_spoken(n)} {STATUS_COUNTED.get(s, s)}" for s, n in breakdown.by_status.items() if n]
    text = narration(f"{label[:1].upper()}{label[1:]} has {counted(breakdown.total, 'service')}"
                     + (f": {listed(status_parts, limit=3)}." if status_parts else "."))
    return scene("fleet_overview", f"{label[:1].upper()}{label[1:]}", text, {
        "total": breakdown.total, "by_status": breakdown.by_status, "by_category": breakdown.by_category,
        "levels": breakdown.levels,
    })


def levels_scene(*, breakdown: FleetBreakdown, label: str) -> Scene:
    items = [{"label": ComplianceLevel(level).label, "value": n} for level, n in breakdown.levels.items()]
    said_parts = [f"{number_spoken(n)} {LEVEL_SAID.get(level, level)}" for level, n in breakdown.levels.items() if n]
    spoken = (f"Compliance across {label}: {listed(said_parts, limit=4)}." if said_parts
              else f"There are no services in {label} yet.")
    return comparison_scene(title="Compliance levels", metric="Services per compliance level", unit="services",
                            items=items, spoken=spoken)
