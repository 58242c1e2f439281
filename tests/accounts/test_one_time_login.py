from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import OneTimeLogin
from apps.accounts.services import local_admin_ensure, one_time_login_create

pytestmark = pytest.mark.django_db


def test_it_signs_the_local_admin_in_once(client):
    admin = local_admin_ensure()
    token = one_time_login_create(user=admin)
    assert client.get(f"/accounts/one-time/{token}/").status_code == 200  # shows a button, spends nothing
    response = client.post(f"/accounts/one-time/{token}/")
    assert response.status_code == 302
    assert client.get("/accounts/").context["user"] == admin
    # An admin without a second factor is sent to set one up before anything else.
    assert client.get("/").url.startswith("/accounts/2fa/totp/activate/")


def test_a_one_time_link_still_asks_for_the_second_factor(client):
    from allauth.mfa.models import Authenticator

    admin = local_admin_ensure()
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    token = one_time_login_create(user=admin)
    response = client.post(f"/accounts/one-time/{token}/")
    assert response.url.startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session  # not signed in until the code is given


def test_it_rejects_a_used_link(client):
    token = one_time_login_create(user=local_admin_ensure())
    client.post(f"/accounts/one-time/{token}/")
    other = client.__class__()
    response = other.post(f"/accounts/one-time/{token}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not other.get("/").context["user"].is_authenticated


def test_it_rejects_an_expired_link(client):
    token = one_time_login_create(user=local_admin_ensure())
    OneTimeLogin.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(f"/accounts/one-time/{token}/").status_code == 400


def test_it_rejects_a_forged_token(client):
    one_time_login_create(user=local_admin_ensure())
    assert client.post("/accounts/one-time/forged-token-value/").status_code == 400


def test_it_stores_only_a_hash_of_the_token():
    token = one_time_login_create(user=local_admin_ensure())
    row = OneTimeLogin.objects.get()
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_the_local_admin_has_no_usable_password():
    admin = local_admin_ensure()
    assert admin.is_superuser and not admin.has_usable_password()
    assert local_admin_ensure().pk == admin.pk
