"""Comparisons: services side by side (in the order named) or ranked by one metric."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from apps.catalog.models import Service

from ..storyboard import Scene
from . import scenes
from .phrasing import clipped, counted, hours_said, percent, said
from .selectors import metric_rows, uptime_percents
from .text import number_spoken

METRICS = {  # metric → (label, unit, field of a metric row; None: measured from probes)
    "compliance": ("Compliance score", "%", "compliance_score"),
    "uptime": ("Uptime", "%", None),
    "replicas": ("Replicas", "", "container__replicas"),
    "max_instances": ("Maximum instances", "", "container__max_instances"),
    "min_instances": ("Minimum instances", "", "container__min_instances"),
}
COUNTED_AS = {"replicas": ("replica", "replicas"), "max_instances": ("instance", "instances"),
              "min_instances": ("instance", "instances")}

Valued = list[tuple[dict, float | int | None]]


def metric_said(metric: str) -> str:
    """How a metric reads in a sentence: "compliance score", "uptime", "maximum instances"."""
    return METRICS[metric][0].lower()


def comparison_build(*, title: str, metric: str, services: QuerySet[Service], hours: int, now: datetime | None,
                     named_order: list[int] | None = None, count: int = 10, descending: bool = True
                     ) -> tuple[Scene, Valued]:
    """A comparison scene: the services in ``named_order`` (their ids) or the best/worst ``count``
    by ``metric``, those without a value last, ties by name."""
    rows = metric_rows(services=services)
    field = METRICS[metric][2]
    uptimes = uptime_percents(services=services, hours=hours, now=now) if field is None else {}
    valued: Valued = [(row, uptimes.get(row["id"]) if field is None else row.get(field)) for row in rows]
    if named_order is not None:
        position = {pk: i for i, pk in enumerate(named_order)}
        valued.sort(key=lambda rv: position[rv[0]["id"]])
    else:
        sign = -1 if descending else 1
        valued.sort(key=lambda rv: (rv[1] is None, sign * (rv[1] or 0), rv[0]["name"], rv[0]["slug"]))
        valued = valued[:count]
    label, unit, _ = METRICS[metric]
    if metric == "uptime":
        label = f"Uptime over {hours_said(hours)}"
    items = [{"label": clipped(row["name"], 60), "value": value} for row, value in valued]
    scene = scenes.comparison_scene(title=title, metric=label, unit=unit, items=items,
                                    spoken=_narration(metric, valued, hours))
    return scene, valued


def _value_said(metric: str, value) -> str:
    if METRICS[metric][1] == "%":
        return percent(value)
    singular, plural = COUNTED_AS[metric]
    return counted(int(value or 0), singular, plural)


def _narration(metric: str, valued: Valued, hours: int) -> str:
    known = sorted(((row, v) for row, v in valued if v is not None),
                   key=lambda rv: (-rv[1], rv[0]["name"], rv[0]["slug"]))
    if not known:
        if metric == "uptime":
            return f"No health checks were recorded for these services over {hours_said(hours)}."
        return f"None of these services has a {metric_said(metric)} on record."
    (top, high), (bottom, low) = known[0], known[-1]
    if len(known) == 1:
        return f"{said(top['name'])} has {_value_said(metric, high)}."
    if high == low:
        everyone = "Both" if len(known) == 2 else f"All {number_spoken(len(known))}"
        return f"{everyone} stand at {_value_said(metric, high)}."
    return (f"{said(top['name'])} leads on {metric_said(metric)} with {_value_said(metric, high)}; "
            f"{said(bottom['name'])} has {_value_said(metric, low)}.")
