"""Intent → storyboard, reading catalogue data through selectors. Every storyboard opens with
a title scene and holds 2–6 scenes of 2–6 s each, at most 30 s in all."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from apps.catalog.models import Category, ComplianceLevel, ContainerStatus, Service

from ..storyboard import Scene, Storyboard
from . import scenes
from .comparisons import comparison_build, metric_said
from .fleet import fleet_scenes
from .grammar import Unplannable
from .intents import MAX_RANKED, Intent, Scope
from .phrasing import clipped, counted, fitted, hours_said, listed, said
from .selectors import scope_services, services_by_slug, system_names
from .text import number_spoken

MAX_SCENES = 6
MAX_CARDS_IN_COMPARISON = 3
TOPIC_TITLES = {"status": "Status", "compliance": "Compliance", "health": "Health", "deployments": "Deployments",
                "explain": "Description"}
SERVICE_TITLES_SAID = {
    "status": "Here is the status of {name}.",
    "compliance": "Here is how {name} scores on container compliance.",
    "health": "Here is the health of {name} over {hours}.",
    "deployments": "Here are the deployments of {name}.",
    "explain": "Here is what {name} does.",
}
CATEGORY_NOUNS = {Category.VLS: "VLS solutions", Category.DIAMOND_CLI: "Diamond CLI solutions",
                  Category.INTEGRATION: "integration containers"}
STATUS_CLAUSES = {ContainerStatus.NEEDS_CONTAINERISATION: "need containerisation",
                  ContainerStatus.CONTAINERISED: "are containerised",
                  ContainerStatus.INTEGRATION_NEEDED: "need integration"}


def storyboard_build(*, intent: Intent, request: str, now: datetime | None = None) -> Storyboard:
    """Raises Unplannable when the intent names a service the catalogue does not have."""
    build = {"service": _one_service, "compare": _compared, "ranking": _ranking, "group": _group, "fleet": _fleet}
    summary, title, body = build[intent.shape](intent, now)
    chosen = _deduplicated([title, *body])[:MAX_SCENES]
    durations = fitted([s.duration_s for s in chosen])
    return Storyboard(request=request, summary=clipped(summary, 160),
                      scenes=tuple(replace(s, duration_s=d) for s, d in zip(chosen, durations, strict=True)))


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _deduplicated(items: list[Scene]) -> list[Scene]:
    seen, out = set(), []
    for item in items:
        if (item.kind, item.title) not in seen:
            seen.add((item.kind, item.title))
            out.append(item)
    return out


def _services(slugs: tuple[str, ...]) -> list[Service]:
    found = services_by_slug(slugs=list(slugs))
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise Unplannable(f'there is no service "{clipped(missing[0], 40)}" in the catalogue', kind="missing")
    return [found[slug] for slug in slugs]


def _summary(topics: tuple[str, ...], subject: str) -> str:
    return f"{listed([TOPIC_TITLES[t] for t in topics])} of {subject}"


def _one_service(intent: Intent, now: datetime | None):
    service, = _services(intent.slugs)
    body: list[Scene] = []
    for topic in intent.topics:
        card = scenes.service_card_scene(service=service)
        if topic == "status":
            body += [card, scenes.health_chart_scene(service=service, hours=intent.hours, now=now)]
        elif topic == "compliance":
            body += [scenes.compliance_table_scene(service=service), card]
        elif topic == "health":
            body.append(scenes.health_chart_scene(service=service, hours=intent.hours, now=now))
        elif topic == "deployments":
            body.append(scenes.deployments_scene(label=service.name, slug=service.slug))
        elif topic == "explain":
            body += [scenes.explain_scene(service=service), card]
    body = _deduplicated(body)
    if service.component_url and {"status", "explain"} & set(intent.topics):
        body = [*body[: MAX_SCENES - 2], scenes.component_scene(service=service)]
    spoken = SERVICE_TITLES_SAID[intent.topics[0]].format(name=said(service.name), hours=hours_said(intent.hours))
    title = scenes.title_scene(heading=service.name, subheading=service.purpose, spoken=spoken)
    return _summary(intent.topics, service.name), title, body


def _compared(intent: Intent, now: datetime | None):
    services = _services(intent.slugs)
    names = [s.name for s in services]
    per_service = [t for t in intent.topics if t in {"deployments", "explain"}]
    if per_service:
        topic = per_service[0]
        body = [scenes.deployments_scene(label=s.name, slug=s.slug) if topic == "deployments"
                else scenes.explain_scene(service=s) for s in services]
        title = scenes.title_scene(heading=" · ".join(names), subheading=TOPIC_TITLES[topic],
                                   spoken=f"{TOPIC_TITLES[topic]}: {listed(names)}.")
        return _summary((topic,), listed(names)), title, body
    by = metric_said(intent.metric)
    comparison, _ = comparison_build(
        title=f"Compared by {by}", metric=intent.metric, hours=intent.hours, now=now,
        services=scope_services(scope=Scope()).filter(pk__in=[s.pk for s in services]),
        named_order=[s.pk for s in services])
    body = [comparison]
    if len(services) <= MAX_CARDS_IN_COMPARISON:
        body += [scenes.service_card_scene(service=s) for s in services]
    title = scenes.title_scene(heading=" vs ".join(names), subheading=f"Compared by {by}",
                               spoken=f"Comparing {listed(names)} by {by}.")
    return f"{listed(names)} compared by {by}", title, body


def scope_label(scope: Scope) -> str:
    """"the Diamond CLI solutions that need containerisation", "the gold services", "the fleet"."""
    if scope.is_fleet:
        return "the fleet"
    nouns = [CATEGORY_NOUNS.get(c, f"{c} services") for c in scope.categories]
    levels = [ComplianceLevel(level).label.lower() for level in scope.levels if level != ComplianceLevel.NONE]
    clauses = []
    if scope.systems:
        clauses.append(f"in {listed([f'the {name}' for name in system_names(slugs=list(scope.systems))])}")
    if scope.statuses:
        clauses.append(f"that {listed([STATUS_CLAUSES[s] for s in scope.statuses], last='or')}")
    if ComplianceLevel.NONE in scope.levels:
        clauses.append("that are not yet compliant")
    label = f"the {listed(levels, last='or') + ' ' if levels else ''}{listed(nouns) if nouns else 'services'}"
    return f"{label} {' and '.join(clauses)}" if clauses else label


def _nothing(noun: str) -> list[Scene]:
    return [scenes.text_scene(heading=capitalised(noun), lines=["None right now."], spoken="Nothing matches yet.")]


def _ranking(intent: Intent, now: datetime | None):
    noun = "services" if intent.scope.is_fleet else scope_label(intent.scope).removeprefix("the ")
    by = metric_said(intent.metric)
    heading = f"{'Top' if intent.descending else 'Bottom'} {intent.count} by {by}"
    comparison, valued = comparison_build(
        title=heading, metric=intent.metric, services=scope_services(scope=intent.scope), hours=intent.hours, now=now,
        count=intent.count, descending=intent.descending)
    most = (("highest", "lowest") if intent.metric in {"compliance", "uptime"} else ("most", "fewest"))[
        not intent.descending]
    spoken = (f"The {number_spoken(len(valued))} {noun} with the {most} {by}." if valued
              else f"There are no {noun} right now.")
    title = scenes.title_scene(heading=heading, subheading=capitalised(noun), spoken=spoken)
    return f"{heading}: {noun}", title, [comparison] if valued else _nothing(noun)


def _group(intent: Intent, now: datetime | None):
    label = scope_label(intent.scope)
    noun = label.removeprefix("the ")
    services = scope_services(scope=intent.scope)
    total = services.count()
    if not total:
        title = scenes.title_scene(heading=capitalised(noun), subheading="None right now",
                                   spoken=f"There are no {noun} right now.")
        return capitalised(noun), title, _nothing(noun)
    rows = list(services.order_by("name", "slug").values("name", "purpose")[: scenes.MAX_TEXT_LINES])
    names = [r["name"] for r in rows]
    lines = [f"{r['name']} — {r['purpose']}" if "explain" in intent.topics else r["name"] for r in rows]
    if total > len(rows):
        lines = [*lines[: scenes.MAX_TEXT_LINES - 1], f"… and {total - (scenes.MAX_TEXT_LINES - 1)} more"]
    spoken = (f"{capitalised(counted(total, 'service'))}: {listed(names)}." if total <= 3
              else f"{capitalised(counted(total, 'service'))}, among them {listed(names[:3])}.")
    body = [scenes.text_scene(heading=capitalised(noun), lines=lines, spoken=spoken)]
    for topic in intent.topics:
        if topic == "deployments":
            body.append(scenes.deployments_scene(label=noun))
        elif topic in {"status", "compliance", "health"}:
            metric = "uptime" if topic == "health" else intent.metric
            body.append(comparison_build(title=f"By {metric_said(metric)}", metric=metric, services=services,
                                         hours=intent.hours, now=now, count=min(MAX_RANKED, total))[0])
    title = scenes.title_scene(heading=capitalised(noun), subheading=f"{total} service{'s' * (total != 1)}",
                               spoken=f"Here are {label}: {counted(total, 'service')}.")
    return _summary(intent.topics, label), title, body


def _fleet(intent: Intent, now: datetime | None):
    title, body = fleet_scenes(intent, now)
    return _summary(intent.topics, "the fleet"), title, body
