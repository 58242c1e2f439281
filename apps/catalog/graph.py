"""Server-computed SVG geometry for the catalogue pages (no JavaScript library): the
relations graph and the uptime chart.

The relations graph's layout, simple and deterministic so that the same catalogue always draws the same picture:

1. Columns by ``dependsOn`` depth: a service sits left of what it depends on (longest
   path layering). A cycle is broken at the edge that closes it, found by a depth-first
   walk in slug order; that edge is drawn dashed, pointing back.
2. A service that nothing depends on moves right, next to its nearest dependency, so
   its arrows stay short.
3. Within a column, rows are ordered by the average row of their neighbours in other
   columns (two sweeps there and back), ties broken by system, then slug. Then each
   node of a shorter column slides towards its neighbours' average height.
4. Services without any ``dependsOn`` relation go to a grid under the graph.

Coordinates are in SVG user units; the page scales the whole drawing to its width.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

from .models import ContainerStatus, Relation, RelationType, Service

NODE_W = 300
NODE_H = 70
COL_GAP = 80
ROW_GAP = 16
PAD = 24
LOOSE_TITLE_H = 56  # room for the heading above the grid of unrelated services
LINE_CHARS = 19  # a name wraps to at most two lines of this many characters
FONT = 21
ARROW_GAP = 3  # the arrowhead stops just short of the node's border
STATUS_WORDS = {status: label.lower() for status, label in ContainerStatus.choices}


@dataclass(frozen=True)
class Vertex:
    slug: str
    name: str
    status: str
    group: str = ""  # the system's slug; orders rows


@dataclass(frozen=True)
class PlacedNode:
    slug: str
    name: str
    status: str
    x: float
    y: float
    lines: tuple[str, ...]
    focus: bool = False

    @property
    def status_label(self) -> str:
        return STATUS_WORDS.get(self.status, self.status)

    @property
    def text_lines(self) -> list[tuple[str, str]]:
        """(line, dy) for each <tspan>: the second line drops one line height."""
        return [(line, "1.2em" if i else "0") for i, line in enumerate(self.lines)]

    @property
    def w(self) -> int:
        return NODE_W

    @property
    def h(self) -> int:
        return NODE_H

    @property
    def text_x(self) -> float:
        return self.x + 52

    @property
    def text_y(self) -> float:
        # First baseline, so that one or two lines sit centred in the box.
        return self.y + NODE_H / 2 + FONT * 0.36 - (len(self.lines) - 1) * FONT * 0.6

    @property
    def icon_d(self) -> str:
        """The status as a shape, so that it never rests on colour alone: a circle when
        containerised, a triangle when it needs containerisation, a diamond otherwise."""
        cx, cy = self.x + 27, self.y + NODE_H / 2
        if self.status == "containerised":
            return f"M{cx - 11:g} {cy:g}a11 11 0 1 0 22 0a11 11 0 1 0 -22 0z"
        if self.status == "needs_containerisation":
            return f"M{cx:g} {cy - 12:g}l12 21h-24z"
        return f"M{cx:g} {cy - 13:g}l13 13l-13 13l-13 -13z"


@dataclass(frozen=True)
class PlacedEdge:
    source: str
    target: str
    d: str
    title: str
    back: bool = False  # closes a cycle


@dataclass(frozen=True)
class Graph:
    width: float
    height: float
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]
    loose_y: float | None  # where the "no relations" heading goes, if there is one
    loose: int  # services without any dependsOn relation
    columns: int

    @property
    def loose_title_y(self) -> float | None:
        return None if self.loose_y is None else self.loose_y + 36


def fleet_graph(*, include_orphaned: bool = False) -> Graph:
    """Every service and every dependsOn relation between them (two queries)."""
    services = Service.objects.all() if include_orphaned else Service.objects.filter(orphaned=False)
    rows = services.order_by().values_list("id", "slug", "name", "status", "system__slug")
    vertices, slug_of = [], {}
    for pk, slug, name, status, system in rows:
        vertices.append(Vertex(slug=slug, name=name, status=status, group=system or ""))
        slug_of[pk] = slug
    pairs = Relation.objects.filter(type=RelationType.DEPENDS_ON).values_list("source_id", "target_id")
    edges = [(slug_of[s], slug_of[t]) for s, t in pairs if s in slug_of and t in slug_of]
    return graph_layout(vertices=vertices, edges=edges)


def vertex_of(service: Service) -> Vertex:
    return Vertex(slug=service.slug, name=service.name, status=service.status,
                  group=service.system.slug if service.system_id and service.system else "")


def neighbourhood_graph(*, service: Service, dependents: list[Service], dependencies: list[Service]) -> Graph:
    """The service, what depends on it (left) and what it depends on (right)."""
    focus = vertex_of(service)
    others = {s.slug: vertex_of(s) for s in [*dependents, *dependencies]}
    edges = [(s.slug, focus.slug) for s in dependents] + [(focus.slug, s.slug) for s in dependencies]
    return graph_layout(vertices=[focus, *others.values()], edges=edges, focus=focus.slug)


def graph_layout(*, vertices: list[Vertex], edges: list[tuple[str, str]], focus: str | None = None) -> Graph:
    by_slug = {v.slug: v for v in vertices}
    key = {slug: (v.group == "", v.group, v.slug) for slug, v in by_slug.items()}
    edges = sorted({(s, t) for s, t in edges if s in by_slug and t in by_slug and s != t})
    order = sorted(by_slug, key=key.__getitem__)

    out: dict[str, list[str]] = defaultdict(list)
    for s, t in edges:
        out[s].append(t)
    for targets in out.values():
        targets.sort(key=key.__getitem__)

    back = _back_edges(order, out)
    layer = _layers(order, [(s, t) for s, t in edges if (s, t) not in back])

    related = {n for edge in edges for n in edge}
    columns: dict[int, list[str]] = defaultdict(list)
    for slug in order:
        if slug in related:
            columns[layer[slug]].append(slug)
    columns = _order_rows([columns[c] for c in sorted(columns)], edges, key)

    rows = max((len(col) for col in columns), default=0)
    step = NODE_H + ROW_GAP
    ys = _settle(columns, edges, rows=rows, step=step)
    placed: dict[str, PlacedNode] = {}
    for c, col in enumerate(columns):
        for slug in col:
            placed[slug] = _node(by_slug[slug], x=PAD + c * (NODE_W + COL_GAP), y=ys[slug], focus=focus)

    width_cols = max(len(columns), 1)
    height = PAD + rows * step - (ROW_GAP if rows else 0)
    loose = [slug for slug in order if slug not in related]
    loose_y = None
    if loose:
        grid_cols = max(width_cols, 3)
        loose_y = height + (PAD if rows else 0)
        top = loose_y + LOOSE_TITLE_H
        for i, slug in enumerate(loose):
            r, c = divmod(i, grid_cols)
            placed[slug] = _node(by_slug[slug], x=PAD + c * (NODE_W + COL_GAP), y=top + r * step, focus=focus)
        height = top + ((len(loose) + grid_cols - 1) // grid_cols) * step - ROW_GAP
        width_cols = grid_cols

    col_of = {slug: c for c, col in enumerate(columns) for slug in col}
    placed_edges = tuple(
        _edge(placed[s], placed[t], col_of[s], col_of[t], by_slug, back=(s, t) in back) for s, t in edges
    )
    width = 2 * PAD + width_cols * NODE_W + (width_cols - 1) * COL_GAP
    return Graph(width=width, height=height + PAD, nodes=tuple(placed[s] for s in order), edges=placed_edges,
                 loose_y=loose_y, loose=len(loose), columns=len(columns))


def _back_edges(order: list[str], out: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Edges that close a cycle, found by an iterative depth-first walk in ``order``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    back: set[tuple[str, str]] = set()
    for root in order:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, targets = stack[-1]
            for nxt in targets:
                seen = state.get(nxt)
                if seen is None:
                    state[nxt] = 1
                    stack.append((nxt, iter(out[nxt])))
                    break
                if seen == 1:
                    back.add((node, nxt))
            else:
                state[node] = 2
                stack.pop()
    return back


def _layers(order: list[str], dag: list[tuple[str, str]]) -> dict[str, int]:
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for s, t in dag:
        preds[t].append(s)
        succs[s].append(t)
    layer: dict[str, int] = {}

    def depth(slug: str) -> int:  # longest path from a source, iteratively
        todo = [slug]
        while todo:
            n = todo[-1]
            missing = [p for p in preds[n] if p not in layer]
            if missing:
                todo.extend(missing)
                continue
            todo.pop()
            layer[n] = max((layer[p] + 1 for p in preds[n]), default=0)
        return layer[slug]

    for slug in order:
        depth(slug)
    for slug in order:  # sources move right, next to their nearest dependency
        if not preds[slug] and succs[slug]:
            layer[slug] = min(layer[t] for t in succs[slug]) - 1
    used = sorted(set(layer.values()))
    return {slug: used.index(v) for slug, v in layer.items()}


def _order_rows(columns: list[list[str]], edges: list[tuple[str, str]], key: dict) -> list[list[str]]:
    neighbours: dict[str, list[str]] = defaultdict(list)
    for s, t in edges:
        neighbours[s].append(t)
        neighbours[t].append(s)

    def centred(c: int) -> dict[str, float]:
        col = columns[c]
        return {slug: r - (len(col) - 1) / 2 for r, slug in enumerate(col)}

    def sweep(c: int) -> None:
        here = centred(c)
        there = {}
        for other in range(len(columns)):
            if other != c:
                there.update(centred(other))
        bary = {}
        for slug in columns[c]:
            seen = [there[n] for n in neighbours[slug] if n in there]
            bary[slug] = fmean(seen) if seen else here[slug]
        columns[c] = sorted(columns[c], key=lambda slug: (bary[slug], key[slug]))

    for _ in range(2):
        for c in [*range(1, len(columns)), *range(len(columns) - 2, -1, -1)]:
            sweep(c)
    return columns


def _settle(columns: list[list[str]], edges: list[tuple[str, str]], *, rows: int, step: int) -> dict[str, float]:
    """Rows stay in order; each node then moves towards the average height of its
    neighbours, without overlapping and within the tallest column's height."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for s, t in edges:
        neighbours[s].append(t)
        neighbours[t].append(s)
    top, bottom = PAD, PAD + (rows - 1) * step
    ys = {}
    for col in columns:
        offset = (rows - len(col)) * step / 2
        ys.update({slug: top + offset + r * step for r, slug in enumerate(col)})
    for col in sorted(columns, key=len):  # short columns move; the tallest has no room to
        if len(col) == rows:
            continue
        want = [fmean(ys[n] for n in neighbours[slug]) if neighbours[slug] else ys[slug] for slug in col]
        for i in range(len(col)):
            want[i] = max(want[i], top if i == 0 else want[i - 1] + step)
        for i in reversed(range(len(col))):
            want[i] = min(want[i], bottom if i == len(col) - 1 else want[i + 1] - step)
        ys.update({slug: round(y) for slug, y in zip(col, want)})
    return ys


def _node(v: Vertex, *, x: float, y: float, focus: str | None) -> PlacedNode:
    lines = tuple(textwrap.wrap(v.name or v.slug, width=LINE_CHARS, max_lines=2, placeholder="…")) or (v.slug,)
    return PlacedNode(slug=v.slug, name=v.name, status=v.status, x=x, y=y, lines=lines, focus=v.slug == focus)


def _edge(a: PlacedNode, b: PlacedNode, ca: int, cb: int, by_slug: dict[str, Vertex], *, back: bool) -> PlacedEdge:
    ya, yb = a.y + NODE_H / 2, b.y + NODE_H / 2
    if cb > ca:  # the usual case: right side of a to left side of b
        x1, x2 = a.x + NODE_W, b.x - ARROW_GAP
        dx = max(40.0, (x2 - x1) / 2)
        d = f"M{x1:.0f} {ya:.0f} C{x1 + dx:.0f} {ya:.0f} {x2 - dx:.0f} {yb:.0f} {x2:.0f} {yb:.0f}"
    elif cb < ca:
        x1, x2 = a.x, b.x + NODE_W + ARROW_GAP
        dx = max(40.0, (x1 - x2) / 2)
        d = f"M{x1:.0f} {ya:.0f} C{x1 - dx:.0f} {ya:.0f} {x2 + dx:.0f} {yb:.0f} {x2:.0f} {yb:.0f}"
    else:  # same column: an arc out to the right and back
        x1, x2 = a.x + NODE_W, b.x + NODE_W + ARROW_GAP
        dx = COL_GAP * 0.7
        d = f"M{x1:.0f} {ya:.0f} C{x1 + dx:.0f} {ya:.0f} {x2 + dx:.0f} {yb:.0f} {x2:.0f} {yb:.0f}"
    title = f"{by_slug[a.slug].name} depends on {by_slug[b.slug].name}"
    return PlacedEdge(source=a.slug, target=b.slug, d=d, title=title, back=back)


# --- Uptime chart: one bar per clock hour, its height the share of probes that passed ---

BAR_W, BAR_GAP, CHART_H = 32, 8, 160


@dataclass(frozen=True)
class UptimeBar:
    x: float
    y: float
    h: float
    percent: float | None  # None: no probe in that hour
    title: str

    @property
    def state(self) -> str:
        if self.percent is None:
            return "none"
        return "ok" if self.percent >= 99 else "warn" if self.percent >= 90 else "bad"


@dataclass(frozen=True)
class UptimeChart:
    bars: tuple[UptimeBar, ...]
    height = CHART_H
    bar_w = BAR_W

    @property
    def width(self) -> int:
        return len(self.bars) * (BAR_W + BAR_GAP) - BAR_GAP

    @property
    def hours(self) -> int:
        return len(self.bars)


def uptime_chart(*, buckets: list[float | None], since: datetime) -> UptimeChart:
    """``buckets``: the ok ratio of each clock hour from ``since`` on, None for no probes
    (``apps.catalog.probes.selectors.Uptime``)."""
    bars = []
    for i, ratio in enumerate(buckets):
        start = since + timedelta(hours=i)
        span = f"{start:%H:%M}–{start + timedelta(hours=1):%H:%M} UTC"
        if ratio is None:
            percent, h, title = None, CHART_H, f"{span}: no probes"
        else:
            percent = 100 * ratio
            h = max(4.0, CHART_H * ratio)  # a down hour still shows a sliver
            title = f"{span}: {percent:.0f}% of probes passed"
        bars.append(UptimeBar(x=i * (BAR_W + BAR_GAP), y=CHART_H - h, h=h, percent=percent, title=title))
    return UptimeChart(bars=tuple(bars))
