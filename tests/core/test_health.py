import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_database_redis_and_broker_answer(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["failed"] == []
    assert set(body["checks"]) == {"database", "redis", "broker"}


def test_readyz_names_the_dependency_that_is_down(client, settings, tmp_path):
    dead = f"unix://{tmp_path}/nobody-listens.sock"
    settings.REDIS_URL = dead
    settings.CELERY_BROKER_URL = f"redis+socket://{tmp_path}/nobody-listens.sock"
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["failed"] == ["redis", "broker"]
    assert body["checks"]["database"]["ok"] is True
    assert "nobody-listens.sock" in body["checks"]["redis"]["error"]


def test_metrics_export_prometheus_text_with_our_counters(client):
    from apps.events.services import event_publish

    event_publish(group="public.metrics", type="system.ping", payload={"nonce": "m"})
    response = client.get("/metrics")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'visionspace_events_published_total{type="system.ping"}' in text
    assert "visionspace_websocket_clients" in text
    assert "django_http_requests_total_by_method_total" in text


def test_metrics_can_require_a_token(client, settings):
    settings.METRICS_TOKEN = "scrape-me"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-me").status_code == 200


def test_every_response_carries_a_request_id_that_the_json_log_lines_share(client, caplog):
    caplog.set_level(logging.INFO, logger="visionspace.access")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-abc-123")
    assert response["X-Request-ID"] == "trace-abc-123"
    formatter = logging.getLogger().handlers[0].formatter  # the one settings.LOGGING installs
    [record] = [r for r in caplog.records if r.name == "visionspace.access"]
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "trace-abc-123"
    assert line["status"] == 200 and line["method"] == "GET" and line["path"] == "/healthz"
    assert line["level"] == "info" and "timestamp" in line


def test_a_hostile_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_probes_answer_whatever_host_the_orchestrator_uses(client):
    """Kubernetes and Cloud Run probe by pod IP, which ALLOWED_HOSTS does not list."""
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
