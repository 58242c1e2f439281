"""Every endpoint wants a signed-in user; unsafe methods also want a CSRF token."""

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("seeded")

ENDPOINTS = [
    ("get", "/api/v1/services"),
    ("get", "/api/v1/services/prediction-engine"),
    ("get", "/api/v1/services/prediction-engine/compliance"),
    ("get", "/api/v1/compliance"),
    ("get", "/api/v1/services/prediction-engine/artefacts/compose"),
    ("get", "/api/v1/artefacts/compose"),
    ("get", "/api/v1/catalog/export"),
    ("post", "/api/v1/catalog/import"),
]


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_it_answers_401_to_anonymous_callers(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in first: this API takes the session cookie of a signed-in user."}


def test_it_refuses_a_session_post_without_a_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post("/api/v1/catalog/import", "kind: Component", content_type="application/yaml")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_it_accepts_a_session_post_with_a_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    client.get("/api/v1/services")  # any page; the token comes from the cookie
    client.cookies.load({"csrftoken": "x" * 32})
    response = client.post("/api/v1/catalog/import?dry_run=true", "", content_type="application/yaml",
                           headers={"X-CSRFToken": "x" * 32})
    assert response.status_code != 403, response.content
