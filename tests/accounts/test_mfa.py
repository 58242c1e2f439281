"""Admins must set up a second factor; once they have, the right code is needed to sign in."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, generate_totp_secret

from apps.accounts.services import local_admin_ensure, one_time_login_create
from tests.support.users import user_with_role

pytestmark = pytest.mark.django_db


def sign_in_by_link(client, user):
    return client.post(f"/accounts/one-time/{one_time_login_create(user=user)}/")


def test_an_admin_without_a_second_factor_is_sent_to_set_one_up_everywhere(client):
    admin = local_admin_ensure()
    sign_in_by_link(client, admin)
    for path in ("/", "/catalogue/", "/admin/", "/live/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/2fa/totp/activate/"), path
    api = client.get("/api/v1/services")
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]


def test_an_admin_enrols_totp_with_a_right_code_only(client):
    admin = local_admin_ensure()
    sign_in_by_link(client, admin)
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=admin).exists()

    right = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    assert client.get("/").status_code == 200  # the gate opens


def test_signing_in_asks_for_the_code_and_refuses_a_wrong_one(client):
    admin = local_admin_ensure()
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)

    response = sign_in_by_link(client, admin)
    assert response.url.startswith("/accounts/2fa/authenticate/")
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    right = client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    assert client.get("/").status_code == 200
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_operators_and_viewers_are_not_forced_to_enrol(client):
    for role in ("viewer", "operator"):
        client.force_login(user_with_role(role, username=f"{role}-x"))
        assert client.get("/").status_code == 200
