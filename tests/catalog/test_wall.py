"""The catalogue wall: every service as a card, counts, filters, search, pages, and a
number of queries that does not grow with the fleet."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.catalog.models import ContainerSpec, Service
from apps.catalog.services import catalog_seed
from tests.support.users import user_with_role

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def viewer(client):
    client.force_login(user_with_role("viewer"))
    return client


@pytest.fixture
def seeded():
    catalog_seed()


def cards(response) -> list[str]:
    """The slugs of the cards on the page, in order."""
    return re.findall(r'<a class="card [^"]*" href="/catalogue/([^/]+)/">', response.content.decode())


def add_services(n: int, *, start: int = 0, **fields) -> None:
    """``n`` services with container specs, the way an import of a big fleet leaves them."""
    services = Service.objects.bulk_create(
        Service(slug=f"bulk-{i:04d}", name=f"Bulk service {i}", purpose="Load for the wall", category="vls",
                status="containerised", owner=f"group:team-{i % 7}", **fields)
        for i in range(start, start + n)
    )
    ContainerSpec.objects.bulk_create(
        ContainerSpec(service=s, image=f"gcr.io/example/{s.slug}", ports=[8080], env={"MODE": "load"}) for s in services
    )


def test_it_needs_a_signed_in_user(client, seeded):
    response = client.get("/catalogue/")
    assert response.status_code == 302
    assert "/catalogue/" in response["Location"]


def test_it_lists_the_22_services_with_counts_by_status(viewer, seeded):
    response = viewer.get("/catalogue/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(cards(response)) == 22
    counts = dict(re.findall(r'count--(\w+)"><span class="count-n">(\d+)</span>', html))
    assert counts == {"total": "22", "containerised": "11", "needs_containerisation": "6", "integration_needed": "5"}
    assert "Showing 1–22 of 22 services." in html
    assert html.count('class="badge badge--containerised"') == 11
    assert "score <strong>0%</strong> · 0/22 scanned" in html
    assert 'href="/catalogue/graph/"' in html


def test_each_card_says_its_status_in_words_and_with_an_icon(viewer, seeded):
    html = viewer.get("/catalogue/").content.decode()
    card = re.search(r'<a class="card card--needs_containerisation" href="/catalogue/prediction-engine/">(.*?)</a>',
                     html, re.S).group(1)
    assert 'use href="#i-needs_containerisation"' in card
    assert "Needs containerisation" in card
    assert "AI Forecasting" in card and "group:diamond-cli" in card
    assert "No level" in card and "health--unknown" in card


@pytest.mark.parametrize("query,expected", [
    ("category=diamond_cli", 6),
    ("status=integration_needed", 5),
    ("owner=group:vls", 11),
    ("level=none", 22),
    ("level=gold", 0),
    ("status=containerised&category=integration", 0),
])
def test_it_filters(viewer, seeded, query, expected):
    response = viewer.get(f"/catalogue/?{query}")
    assert response.status_code == 200
    assert len(cards(response)) == expected


def test_it_filters_by_compliance_level(viewer, seeded):
    Service.objects.filter(slug__in=["prediction-engine", "dr-maria-support"]).update(compliance_level="silver",
                                                                                      compliance_score=85)
    response = viewer.get("/catalogue/?level=silver")
    assert sorted(cards(response)) == ["dr-maria-support", "prediction-engine"]
    assert "Silver 85%" in response.content.decode()


def test_it_searches_names_purposes_and_tags(viewer, seeded):
    assert cards(viewer.get("/catalogue/?q=forecast")) == ["prediction-engine"]
    assert cards(viewer.get("/catalogue/?q=DR.+LUCY")) == ["dr-lucy-flight-memory"]
    assert set(cards(viewer.get("/catalogue/?q=pipecat"))) == {"daily-video-automation", "pipecat-voice-processing"}
    response = viewer.get("/catalogue/?q=nothing-like-this")
    assert cards(response) == [] and "No service matches these filters." in response.content.decode()


def test_an_unknown_filter_value_is_left_out_and_said(viewer, seeded):
    response = viewer.get("/catalogue/?status=on-fire&category=vls")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(cards(response)) == 11  # the category still applies
    assert "Status: Select a valid choice. on-fire is not one of the available choices. That filter was left out." in html


def test_orphaned_services_are_hidden_until_asked_for(viewer, seeded):
    Service.objects.filter(slug="prediction-engine").update(orphaned=True)
    assert "prediction-engine" not in cards(viewer.get("/catalogue/"))
    shown = viewer.get("/catalogue/?orphaned=on")
    assert "prediction-engine" in cards(shown)
    assert len(cards(shown)) == 22 and "Orphaned" in shown.content.decode()


def test_it_pages_48_cards_at_a_time_with_links_and_the_total(viewer):
    add_services(100)
    first = viewer.get("/catalogue/?owner=group:team-1")
    html = first.content.decode()
    team_1 = sum(1 for i in range(100) if i % 7 == 1)  # 14: one page
    assert len(cards(first)) == team_1 and 'aria-label="Pages"' not in html

    first = viewer.get("/catalogue/")
    html = first.content.decode()
    assert cards(first)[:2] == ["bulk-0000", "bulk-0001"] and len(cards(first)) == 48
    assert "Showing 1–48 of 100 services." in html
    assert "Page 1 of 3 · 100 services" in html
    assert '<a href="?page=2" rel="next">' in html
    last = viewer.get("/catalogue/?page=3")
    assert cards(last) == ["bulk-0096", "bulk-0097", "bulk-0098", "bulk-0099"]
    assert len(cards(viewer.get("/catalogue/?page=999"))) == 4  # past the end: the last page
    assert len(cards(viewer.get("/catalogue/?page=abc"))) == 48  # nonsense: the first


def test_page_links_keep_the_filters(viewer):
    add_services(60)
    html = viewer.get("/catalogue/?q=Bulk&status=containerised").content.decode()
    assert '<a href="?q=Bulk&amp;status=containerised&amp;page=2" rel="next">' in html


def test_htmx_gets_only_the_results(viewer, seeded):
    response = viewer.get("/catalogue/?status=containerised", headers={"HX-Request": "true", "HX-Target": "wall-results"})
    html = response.content.decode()
    assert len(cards(response)) == 11
    assert "<html" not in html and 'class="wall-counts"' not in html
    assert "HX-Target" in response["Vary"]
    # A history restore (htmx's cache missed) needs the whole page.
    restore = viewer.get("/catalogue/", headers={"HX-Request": "true", "HX-Target": "wall-results",
                                                 "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_the_filter_form_works_with_and_without_htmx(viewer, seeded):
    html = viewer.get("/catalogue/").content.decode()
    form = re.search(r'<form class="wall-filters"[^>]*>', html).group(0)
    assert 'method="get"' in form and 'action="/catalogue/"' in form
    assert 'hx-get="/catalogue/"' in form and 'hx-target="#wall-results"' in form and 'hx-push-url="true"' in form
    for name in ("q", "category", "status", "owner", "level", "orphaned"):
        assert f'name="{name}"' in html
    assert '<option value="group:integrations">group:integrations</option>' in html


def test_hostile_names_render_as_text(viewer, seeded):
    Service.objects.filter(slug="prediction-engine").update(name=HOSTILE, purpose=f'"><img src=x onerror=alert(1)>',
                                                            owner=HOSTILE)
    html = viewer.get("/catalogue/").content.decode()
    assert HOSTILE not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<option value="&lt;script&gt;alert(1)&lt;/script&gt;">' in html


def wall_queries(client, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/catalogue/", headers=headers)
    assert response.status_code == 200
    return len(ctx)


def test_its_query_count_is_the_same_at_22_and_at_1000_services(viewer, seeded, django_assert_num_queries):
    # session, user, two permission lookups (accounts' MFA gate), owners, count, page,
    # three for the fleet scorecard, counts by status.
    wall = 11
    partial = 7  # htmx: no header, so neither counts nor the scorecard
    viewer.get("/catalogue/")  # warm up: content types and the like are cached per process
    with django_assert_num_queries(wall):
        viewer.get("/catalogue/")
    with django_assert_num_queries(partial):
        viewer.get("/catalogue/", headers={"HX-Request": "true", "HX-Target": "wall-results"})

    add_services(978)
    assert Service.objects.count() == 1000
    with django_assert_num_queries(wall):
        response = viewer.get("/catalogue/")
    assert len(cards(response)) == 48 and "of 1000 services" in response.content.decode()
    with django_assert_num_queries(wall):
        viewer.get("/catalogue/?page=21&q=bulk")
    with django_assert_num_queries(partial):
        viewer.get("/catalogue/", headers={"HX-Request": "true", "HX-Target": "wall-results"})
