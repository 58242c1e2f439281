"""Fleet-wide scenes: the overview, compliance across the fleet, health, what it is made of."""

from __future__ import annotations

from datetime import datetime

from apps.catalog.models import HealthStatus
from apps.compliance.selectors import fleet_scorecard

from ..storyboard import Scene
from . import scenes
from .comparisons import comparison_build
from .intents import Intent, Scope
from .phrasing import clipped, counted, hours_said, listed
from .selectors import FleetBreakdown, fleet_breakdown, scope_services, systems_described
from .text import number_spoken

MAX_RULE_LINES = 5
LOWEST_UPTIME_SHOWN = 5
TITLES_SAID = {
    "status": "Here is the fleet overview.",
    "compliance": "Here is how the fleet scores on compliance.",
    "health": "Here is the health of the fleet over {hours}.",
    "deployments": "Here are the fleet's deployments.",
    "explain": "Here is what the fleet is made of.",
}


def fleet_scenes(intent: Intent, now: datetime | None) -> tuple[Scene, list[Scene]]:
    """The title and body of a fleet-wide storyboard, one part per topic asked for."""
    services = scope_services(scope=Scope())
    breakdown = fleet_breakdown(services=services)
    body: list[Scene] = []
    for topic in intent.topics:
        if topic == "status":
            body += [scenes.fleet_overview_scene(breakdown=breakdown, label="the fleet"),
                     scenes.levels_scene(breakdown=breakdown, label="the fleet")]
        elif topic == "compliance":
            body += [scenes.levels_scene(breakdown=breakdown, label="the fleet"), _rules_scene()]
        elif topic == "health":
            lowest, _ = comparison_build(title="Lowest uptime", metric="uptime", services=services, hours=intent.hours,
                                         now=now, count=LOWEST_UPTIME_SHOWN, descending=False)
            body += [_health_scene(breakdown), lowest]
        elif topic == "deployments":
            body.append(scenes.deployments_scene(label="the fleet"))
        elif topic == "explain":
            body += [_systems_scene(), scenes.fleet_overview_scene(breakdown=breakdown, label="the fleet")]
    title = scenes.title_scene(heading="The fleet", subheading=f"{breakdown.total} services",
                               spoken=TITLES_SAID[intent.topics[0]].format(hours=hours_said(intent.hours)))
    return title, body


def _rules_scene() -> Scene:
    card = fleet_scorecard()
    if not card.services_scanned:
        return scenes.text_scene(heading="Most failed rules", lines=["No compliance scans yet."],
                                 spoken="No service has been scanned for compliance yet.")
    failing = sorted((r for r in card.rules if r.failed + r.unknown),
                     key=lambda r: (-(r.failed + r.unknown), r.rule_id))
    if not failing:
        return scenes.text_scene(heading="Most failed rules", lines=["Every rule passes."],
                                 spoken="Every scanned service passes every rule.")
    lines = [f"{r.rule_id} {r.title}: {r.failed + r.unknown} of {card.services_scanned} services"
             for r in failing[:MAX_RULE_LINES]]
    worst = failing[0]
    spoken = (f"The rule most often failed: {clipped(worst.title, 60).rstrip('.')}, by "
              f"{counted(worst.failed + worst.unknown, 'service')}.")
    return scenes.text_scene(heading="Most failed rules", lines=lines, spoken=spoken)


def _health_scene(breakdown: FleetBreakdown) -> Scene:
    items = [{"label": HealthStatus(h).label, "value": n} for h, n in breakdown.health.items()]
    up, down = breakdown.health.get(HealthStatus.UP, 0), breakdown.health.get(HealthStatus.DOWN, 0)
    spoken = (f"Right now {number_spoken(up)} {'is' if up == 1 else 'are'} up and {number_spoken(down)} down;"
              f" {number_spoken(breakdown.total - up - down)} not yet probed or stale.")
    return scenes.comparison_scene(title="Health right now", metric="Services per health status", unit="services",
                                   items=items, spoken=spoken)


def _systems_scene() -> Scene:
    systems = systems_described(limit=scenes.MAX_TEXT_LINES)
    lines = [f"{s['name']} — {s['description']}" if s["description"] else s["name"] for s in systems]
    spoken = (f"The fleet is organised into {listed([s['name'] for s in systems], limit=4)}." if systems
              else "The fleet has no systems defined yet.")
    return scenes.text_scene(heading="What the fleet is made of", lines=lines or ["No systems yet."], spoken=spoken)
