"""Users with roles, for tests."""

from django.contrib.auth import get_user_model
from django.test import Client

from apps.accounts.services import user_role_assign


def user_with_role(role: str | None, *, username: str | None = None, email: str | None = None):
    username = username or f"{role or 'norole'}-user"
    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.com", password="a-long-test-password-1"
    )
    if role:
        user_role_assign(user=user, role=role)
    return user


def admin_with_mfa(username: str = "admin-mfa"):
    """An admin who has enrolled TOTP (so the MFA gate lets them through)."""
    from allauth.mfa.models import Authenticator

    user = user_with_role("admin", username=username)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "unused-in-these-tests"})
    return user


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"
