"""A service's page: five tabs that are plain links, each showing what the catalogue knows."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.catalog.models import ContainerSpec, Service
from apps.catalog.probes.http import ProbeOutcome
from apps.catalog.probes.services import probe_record
from apps.catalog.services import catalog_seed
from apps.compliance.services import compliance_scan
from tests.support.users import user_with_role

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def viewer(client):
    catalog_seed()
    client.force_login(user_with_role("viewer"))
    return client


def page(client, slug, tab=None) -> str:
    response = client.get(f"/catalogue/{slug}/" + (f"?tab={tab}" if tab else ""))
    assert response.status_code == 200
    return response.content.decode()



def test_it_needs_a_signed_in_user(client):
    catalog_seed()
    assert client.get("/catalogue/prediction-engine/").status_code == 302


def test_the_tabs_are_links_that_work_without_javascript(viewer):
    html = page(viewer, "prediction-engine", "health")
    nav = re.search(r'<nav class="tabs" aria-label="Service sections">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'href="\?tab=(\w+)"', nav) == ["overview", "container", "compliance", "health", "deployments"]
    assert re.findall(r'href="\?tab=(\w+)" aria-current="page"', nav) == ["health"]
    assert 'id="tab-health"' in html


def test_an_unknown_service_or_tab_is_404(viewer):
    assert viewer.get("/catalogue/no-such-service/").status_code == 404
    assert viewer.get("/catalogue/prediction-engine/?tab=secrets").status_code == 404


def test_the_overview_shows_the_entity_and_its_relations(viewer):
    html = page(viewer, "daily-video-automation")
    for text in ("Video rooms and automation on Daily.co", "group:integrations", "VisionSpace integration platform",
                 "Production", '<span class="tag">pipecat</span>', "13 ms median first-hop latency"):
        assert text in html
    relations = re.search(r'<dl class="relations">(.*?)</dl>', html, re.S).group(1)
    assert re.search(r"<dt>Depends on</dt>.*PipeCat Voice Processing.*Universal AI Key Manager", relations, re.S)
    assert re.search(r"<dt>Depends on this</dt>.*VisionSpace Automation Hub", relations, re.S)
    # The neighbourhood: itself, what it depends on and what depends on it.
    slugs = re.findall(r'<a class="node [^"]*" href="/catalogue/([^/]+)/"', html)
    assert sorted(slugs) == ["daily-video-automation", "pipecat-voice-processing", "universal-ai-key-manager",
                             "visionspace-automation-hub"]


def test_only_web_links_become_links(viewer):
    Service.objects.filter(slug="prediction-engine").update(links=[
        {"url": "https://example.com/runbook", "title": "Runbook"},
        {"url": "javascript:alert(1)", "title": "Click me"},
    ])
    html = page(viewer, "prediction-engine")
    assert '<a href="https://example.com/runbook" rel="noopener noreferrer">Runbook</a>' in html
    assert 'href="javascript:' not in html and "Click me <code>javascript:alert(1)</code>" in html


def test_the_container_tab_shows_the_spec_with_secrets_as_names_only(viewer):
    html = page(viewer, "daily-video-automation", "container")
    for text in ("gcr.io/api-for-warp-drive/daily-pipecat:latest", "<code>7860</code> (main)", "<code>8000</code>",
                 "<code>PIPECAT_CONFIG</code>", "<code class=\"wrap\">production</code>", "us-west1",
                 "2 replicas (compose) · 1–20 instances"):
        assert text in html
    assert '<td><code>DAILY_API_KEY</code></td><td><span class="secret">secret</span> from the key manager: <code>daily/api-key</code>' in html
    assert '<pre class="code" tabindex="0" aria-label="Dockerfile"># Daily.co PipeCat Integration' in html
    assert "RUN pip install pipecat-ai" in html
    downloads = re.findall(r'href="(/catalogue/daily-video-automation/artefacts/\w+/)" download', html)
    assert downloads == [f"/catalogue/daily-video-automation/artefacts/{k}/"
                         for k in ("compose", "knative", "kubernetes", "workflow", "dockerfile")]


def test_a_service_without_a_container_spec_says_what_to_do(viewer):
    ContainerSpec.objects.filter(service__slug="prediction-engine").delete()
    html = page(viewer, "prediction-engine", "container")
    assert "No container spec yet: add one in the admin or import a catalog-info.yaml" in html


def test_the_compliance_tab_shows_the_scorecard_with_evidence_and_lines(viewer):
    assert "Not scanned yet" in page(viewer, "visionspace-automation-hub", "compliance")
    compliance_scan(service=Service.objects.get(slug="visionspace-automation-hub"), trigger="manual")
    html = page(viewer, "visionspace-automation-hub", "compliance")
    rows = re.findall(r'<tr class="result result--(\w+)">(.*?)</tr>', html, re.S)
    assert rows and {status for status, _ in rows} <= {"pass", "fail", "not_applicable", "unknown"}
    failing = [row for status, row in rows if status == "fail"]
    assert failing, "the document's VisionSpace Dockerfile runs as root, so something must fail"
    assert any(re.search(r"<td>\d+</td>", row) for row in failing)  # a Dockerfile line to look at
    assert any('class="fix">Fix: ' in row for row in failing)
    assert re.search(r"<strong>\d+%</strong>: \d+ of \d+ applicable rules pass", html)


def test_the_health_tab_shows_status_uptime_and_a_chart(viewer):
    service = Service.objects.get(slug="prediction-engine")
    assert "No probes yet" in page(viewer, "prediction-engine", "health")
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    for checked_at, ok in [(hour - timedelta(minutes=110), True), (hour - timedelta(minutes=109), False),
                           (hour - timedelta(minutes=30), True), (now, True)]:
        probe_record(service=service, checked_at=checked_at,
                     outcome=ProbeOutcome(ok=ok, status_code=200 if ok else 503, latency_ms=12.5,
                                          error="" if ok else "HTTP 503"))
    html = page(viewer, "prediction-engine", "health")
    assert '<span class="health health--up">' in html
    assert '<strong class="uptime">75%</strong>' in html and "(3 of 4 probes passed)" in html
    bars = re.findall(r'<rect class="bar bar--(\w+)"[^>]*><title>([^<]*)</title>', html)
    assert [state for state, _ in bars] == ["none"] * 21 + ["bad", "ok", "ok"]
    assert bars[21][1] == f"{hour - timedelta(hours=2):%H:%M}–{hour - timedelta(hours=1):%H:%M} UTC: 50% of probes passed"
    assert "HTTP 503" in html and "13 ms" in html


def test_a_probe_older_than_its_ttl_shows_as_stale(viewer, settings):
    settings.HEALTH_PROBE_TTL_SECONDS = 180
    Service.objects.filter(slug="prediction-engine").update(
        health_status="up", health_checked_at=timezone.now() - timedelta(minutes=10))
    html = page(viewer, "prediction-engine", "health")
    assert '<span class="health health--stale">' in html
    assert "the last probe is older than 180 s" in html
    wall = viewer.get("/catalogue/?q=prediction").content.decode()
    assert "health--stale" in wall


def test_deployments_say_not_yet(viewer):
    html = page(viewer, "prediction-engine", "deployments")
    assert "Not yet: deployment controls are coming" in html


@pytest.mark.parametrize("tab", ["overview", "container", "compliance", "health", "deployments"])
def test_hostile_strings_render_as_text_on_every_tab(viewer, tab):
    Service.objects.filter(slug="prediction-engine").update(
        name=HOSTILE, purpose=HOSTILE, description=HOSTILE, tags=[HOSTILE], owner=HOSTILE)
    ContainerSpec.objects.filter(service__slug="prediction-engine").update(
        env={"MODE": HOSTILE}, dockerfile=f"FROM node:24-alpine\nLABEL x=\"{HOSTILE}\"\n",
        secret_refs=[{"env": "TOKEN", "key": HOSTILE}])
    html = page(viewer, "prediction-engine", tab)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
