from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from tests.support.users import user_with_role

pytestmark = pytest.mark.django_db


def test_it_shows_the_token_once_and_stores_only_its_hash(client):
    user = user_with_role("operator")
    new = api_token_create(user=user, name="CI", scope="operate", expires_in_days=30)
    row = ApiToken.objects.get()
    assert new.plaintext.startswith(f"vs_{row.prefix}_") and len(new.plaintext) > 50
    assert new.plaintext not in (row.token_hash, row.prefix, row.name)
    for value in ApiToken.objects.values_list(flat=True):
        assert new.plaintext not in str(value)
    assert api_token_authenticate(plaintext=new.plaintext, ip="127.0.0.1").user == user
    row.refresh_from_db()
    assert row.last_used_at is not None and row.last_used_from == "127.0.0.1"


def test_it_refuses_expired_revoked_forged_and_malformed_tokens():
    user = user_with_role("viewer")
    expired = api_token_create(user=user, name="old", scope="read", expires_in_days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked = api_token_create(user=user, name="gone", scope="read", expires_in_days=1)
    api_token_revoke(token=revoked.token)
    live = api_token_create(user=user, name="live", scope="read", expires_in_days=1)
    forged = live.plaintext[:-4] + "AAAA"
    for plaintext in (expired.plaintext, revoked.plaintext, forged, "vs_nope", "", "Bearer x", "vs__"):
        assert api_token_authenticate(plaintext=plaintext, ip=None) is None, plaintext
    assert api_token_authenticate(plaintext=live.plaintext, ip=None) is not None


def test_a_deactivated_users_tokens_stop_working():
    user = user_with_role("viewer")
    new = api_token_create(user=user, name="t", scope="read", expires_in_days=1)
    user.is_active = False
    user.save()
    assert api_token_authenticate(plaintext=new.plaintext, ip=None) is None


@pytest.mark.parametrize("scope, days", [("root", 1), ("read", 0), ("read", 10_000)])
def test_it_rejects_bad_scopes_and_lifetimes(scope, days):
    with pytest.raises(ValueError):
        api_token_create(user=user_with_role("viewer"), name="t", scope=scope, expires_in_days=days)


def test_the_account_page_creates_lists_and_revokes_tokens(client):
    user = user_with_role("operator")
    client.force_login(user)
    response = client.post("/accounts/", {"name": "laptop", "scope": "read", "expires_in_days": 30})
    html = response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert response.status_code == 200 and "will not be shown again" in html
    plaintext = html.split('id="new-token">')[1].split("<")[0]
    assert api_token_authenticate(plaintext=plaintext, ip=None) == token
    assert response["Cache-Control"].startswith("max-age=0")  # never cached anywhere
    listing = client.get("/accounts/").content.decode()
    assert "laptop" in listing and plaintext not in listing  # shown once only
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert api_token_authenticate(plaintext=plaintext, ip=None) is None


def test_nobody_can_revoke_someone_elses_token(client):
    owner = user_with_role("viewer", username="owner")
    token = api_token_create(user=owner, name="mine", scope="read", expires_in_days=5).token
    client.force_login(user_with_role("operator", username="other"))
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
