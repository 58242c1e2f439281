"""Each role against each protected page, API operation and websocket group.

Refusals are real: a page the role may not use answers 403 (or sends an anonymous
visitor to sign in), whatever links the page shows.
"""

import pytest
from channels.db import database_sync_to_async

from apps.accounts.services import api_token_create
from apps.catalog.services import catalog_seed
from tests.support.users import admin_with_mfa, session_cookie, user_with_role
from tests.support.ws import communicator, receive

ROLES = ("anonymous", "viewer", "operator", "admin")

# path → the least role that may open it (None: anyone).
PAGES = {
    "/": None,
    "/catalogue/": "viewer",
    "/catalogue/dr-lucy-flight-memory/": "viewer",
    "/catalogue/dr-lucy-flight-memory/?tab=container": "viewer",
    "/catalogue/graph/": "viewer",
    "/catalogue/artefacts/compose/": "viewer",
    "/live/": "operator",
    "/catalogue/import/": "admin",
    "/catalogue/export/": "viewer",
    "/admin/": "admin",
    "/admin/catalog/service/": "admin",
    "/admin/accounts/apitoken/": "admin",
    "/accounts/": "viewer",
}

API = {
    ("get", "/api/v1/services"): "viewer",
    ("get", "/api/v1/services/dr-lucy-flight-memory"): "viewer",
    ("get", "/api/v1/compliance"): "viewer",
    ("get", "/api/v1/artefacts/knative"): "viewer",
    ("get", "/api/v1/catalog/export"): "viewer",
    ("post", "/api/v1/catalog/import"): "admin",
}

RANK = {None: -1, "anonymous": 0, "viewer": 1, "operator": 2, "admin": 3}


def make(role: str):
    if role == "anonymous":
        return None
    if role == "admin":
        return admin_with_mfa(username="matrix-admin")
    return user_with_role(role, username=f"matrix-{role}")


def allowed(role: str, least: str | None) -> bool:
    return least is None or RANK[role] >= RANK[least]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_pages(client, role, path):
    catalog_seed()
    user = make(role)
    if user:
        client.force_login(user)
    status = client.get(path).status_code
    if allowed(role, PAGES[path]):
        assert status == 200, (role, path, status)
    elif role == "anonymous":
        assert status == 302, (role, path, status)  # to the sign-in page
    else:
        assert status == 403, (role, path, status)


IMPORT_BODY = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: matrix-component}
spec: {type: service, lifecycle: production, owner: group:matrix}
"""


def call(client, method, path, **extra):
    if method == "post":
        return client.post(path, data=IMPORT_BODY, content_type="application/yaml", **extra)
    return client.get(path, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, path", API)
def test_api_with_a_session(client, role, method, path):
    from django.test import Client

    catalog_seed()
    client = Client(enforce_csrf_checks=False)
    user = make(role)
    if user:
        client.force_login(user)
    status = call(client, method, path).status_code
    if allowed(role, API[(method, path)]):
        assert status == 200, (role, path, status)
    else:
        assert status == (401 if role == "anonymous" else 403), (role, path, status)


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["read", "operate", "admin"])
@pytest.mark.parametrize("method, path", API)
def test_api_with_an_admins_token_is_capped_by_its_scope(client, scope, method, path):
    catalog_seed()
    token = api_token_create(user=admin_with_mfa(), name="t", scope=scope, expires_in_days=1).plaintext
    status = call(client, method, path, HTTP_AUTHORIZATION=f"Bearer {token}").status_code
    may = API[(method, path)] == "viewer" or scope == "admin"
    assert status == (200 if may else 403), (scope, path, status)


@pytest.mark.django_db
def test_a_viewers_admin_scoped_token_still_cannot_import(client):
    token = api_token_create(user=user_with_role("viewer"), name="t", scope="admin", expires_in_days=1).plaintext
    response = call(client, "post", "/api/v1/catalog/import", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403 and "role" in response.json()["detail"]


@pytest.mark.django_db
def test_an_admin_without_mfa_cannot_create_or_use_a_token_to_bypass_it(client):
    admin = user_with_role("admin", username="no-mfa-admin")
    client.force_login(admin)
    response = client.post("/accounts/", {"name": "bypass", "scope": "admin", "expires_in_days": 1})
    assert response.status_code == 400 and "two-factor" in response.content.decode()
    token = api_token_create(user=admin, name="old", scope="admin", expires_in_days=1).plaintext
    api = client.__class__()
    answer = api.get("/api/v1/services", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 403 and "two-factor" in answer.json()["detail"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("group, least", [("public", None), ("ops", "operator")])
async def test_websocket_groups(role, group, least):
    user = await database_sync_to_async(make)(role)
    cookie = await database_sync_to_async(session_cookie)(user) if user else None
    comm = communicator(f"/ws/events/{group}/", cookie=cookie)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    first = await receive(comm)
    assert first["type"] == ("hello" if allowed(role, least) else "error"), (role, group)
    await comm.disconnect()
