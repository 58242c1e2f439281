"""The relations graph: laid out on the server, drawn as inline SVG with every service and
every dependsOn arrow, deterministic, and safe with any name."""

import random
import re
from itertools import combinations

import pytest

from apps.catalog.graph import NODE_H, NODE_W, Vertex, graph_layout
from apps.catalog.models import Relation, Service
from apps.catalog.seed import RELATIONS, SERVICES
from apps.catalog.services import catalog_seed
from tests.support.users import user_with_role

HOSTILE = "<script>alert(1)</script>"


def seed_vertices() -> list[Vertex]:
    return [Vertex(slug=s["slug"], name=s["name"], status=s["status"], group=s["system"]) for s in SERVICES]


def seed_edges() -> list[tuple[str, str]]:
    return [(source, target) for source, _, target in RELATIONS]


def overlaps(a, b) -> bool:
    return a.x < b.x + NODE_W and b.x < a.x + NODE_W and a.y < b.y + NODE_H and b.y < a.y + NODE_H


def test_every_arrow_points_right_and_no_boxes_overlap():
    graph = graph_layout(vertices=seed_vertices(), edges=seed_edges())
    at = {n.slug: n for n in graph.nodes}
    assert len(at) == 22 and len(graph.edges) == len(set(seed_edges()))
    for edge in graph.edges:
        assert at[edge.source].x < at[edge.target].x, edge.title
        assert not edge.back
    assert not [(a.slug, b.slug) for a, b in combinations(graph.nodes, 2) if overlaps(a, b)]
    assert all(0 <= n.x and n.x + NODE_W <= graph.width and 0 <= n.y and n.y + NODE_H <= graph.height
               for n in graph.nodes)
    # Columns: what relies on others on the left, the foundations on the right.
    columns = sorted({n.x for n in graph.nodes})
    assert at["visionspace-automation-hub"].x == columns[0]
    assert at["universal-ai-key-manager"].x == columns[-1]


def test_the_layout_is_the_same_whatever_order_the_rows_come_in():
    first = graph_layout(vertices=seed_vertices(), edges=seed_edges())
    vertices, edges = seed_vertices(), seed_edges()
    random.Random(7).shuffle(vertices)
    random.Random(8).shuffle(edges)
    assert graph_layout(vertices=vertices, edges=edges) == first


def test_a_cycle_is_drawn_with_one_dashed_edge_back():
    vertices = [Vertex(slug=s, name=s.upper(), status="containerised") for s in ("a", "b", "c")]
    graph = graph_layout(vertices=vertices, edges=[("a", "b"), ("b", "c"), ("c", "a")])
    back = [e for e in graph.edges if e.back]
    assert len(back) == 1 and len(graph.edges) == 3
    at = {n.slug: n for n in graph.nodes}
    assert at[back[0].source].x > at[back[0].target].x  # it is the one that points left


def test_services_without_relations_go_to_a_grid_below():
    vertices = seed_vertices() + [Vertex(slug=f"lonely-{i}", name=f"Lonely {i}", status="containerised")
                                  for i in range(5)]
    graph = graph_layout(vertices=vertices, edges=seed_edges())
    lonely = [n for n in graph.nodes if n.slug.startswith("lonely-")]
    related = [n for n in graph.nodes if not n.slug.startswith("lonely-")]
    assert graph.loose == 5
    assert min(n.y for n in lonely) > max(n.y + NODE_H for n in related)
    assert not [(a.slug, b.slug) for a, b in combinations(graph.nodes, 2) if overlaps(a, b)]


def test_long_names_wrap_to_two_lines_at_most():
    graph = graph_layout(vertices=[Vertex(slug="x", name="A very long service name " * 4, status="containerised")],
                         edges=[])
    [node] = graph.nodes
    assert len(node.lines) == 2 and node.lines[-1].endswith("…")


@pytest.mark.django_db
def test_the_graph_page_draws_every_service_and_every_dependency(client):
    catalog_seed()
    client.force_login(user_with_role("viewer"))
    response = client.get("/catalogue/graph/")
    html = response.content.decode()
    assert response.status_code == 200
    svg = re.search(r"<svg class=\"graph\".*?</svg>", html, re.S).group(0)
    nodes = re.findall(r'<a class="node node--(\w+)[^"]*" href="/catalogue/([^/]+)/" data-slug="\2">\s*<title>([^<]+)</title>',
                       svg)
    assert {slug for _, slug, _ in nodes} == set(Service.objects.values_list("slug", flat=True))
    assert ("containerised", "dr-lucy-flight-memory", "Dr. Lucy Flight Memory (containerised)") in nodes
    edges = set(re.findall(r'data-source="([^"]+)" data-target="([^"]+)"><title>([^<]+)</title>', svg))
    expected = {(r.source.slug, r.target.slug) for r in Relation.objects.select_related("source", "target")}
    assert {(s, t) for s, t, _ in edges} == expected
    assert ("daily-video-automation", "pipecat-voice-processing",
            "Daily.co Video Automation depends on PipeCat Voice Processing") in edges
    assert svg.count('marker-end="url(#arrow)"') == len(expected)
    assert re.search(r'<title id="graph-title">Relations between services: 22 services, \d+ dependsOn arrows</title>',
                     svg)


@pytest.mark.django_db
def test_orphaned_services_leave_the_graph_unless_asked_for(client):
    catalog_seed()
    client.force_login(user_with_role("viewer"))
    Service.objects.filter(slug="prediction-engine").update(orphaned=True)
    assert 'data-slug="prediction-engine"' not in client.get("/catalogue/graph/").content.decode()
    assert 'data-slug="prediction-engine"' in client.get("/catalogue/graph/?orphaned=1").content.decode()


@pytest.mark.django_db
def test_node_labels_and_titles_are_escaped(client):
    catalog_seed()
    client.force_login(user_with_role("viewer"))
    Service.objects.filter(slug="prediction-engine").update(name=HOSTILE)
    html = client.get("/catalogue/graph/").content.decode()
    assert HOSTILE not in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; (needs containerisation)</title>" in html
    assert "&lt;script&gt;alert(1)&lt;/" in html  # the label, wrapped


@pytest.mark.django_db
def test_the_graph_costs_the_same_queries_for_any_fleet(client, django_assert_num_queries):
    catalog_seed()
    client.force_login(user_with_role("viewer"))
    client.get("/catalogue/graph/")
    with django_assert_num_queries(6):  # session, user, two permission lookups, services, relations
        client.get("/catalogue/graph/")
    Service.objects.bulk_create(Service(slug=f"more-{i}", name=f"More {i}", purpose="p", category="vls",
                                        status="containerised", owner="group:vls") for i in range(300))
    with django_assert_num_queries(6):
        response = client.get("/catalogue/graph/")
    assert response.content.decode().count('class="node node--') == 322
