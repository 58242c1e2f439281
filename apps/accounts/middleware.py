"""Admins must have a second factor before they can do anything else.

An admin (role admin or superuser) without an active TOTP or WebAuthn authenticator is
sent to set one up; only the account pages (sign-out, MFA set-up) and probes stay open.
API requests get a 403 that says what to do instead of a redirect.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect

from .roles import is_admin

OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/metrics")


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]).exists()


def mfa_missing_for_admin(user) -> bool:
    return settings.REQUIRE_ADMIN_MFA and user.is_authenticated and is_admin(user) and not has_second_factor(user)


class AdminMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and mfa_missing_for_admin(request.user):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Admins need two-factor authentication: set it up at /accounts/2fa/totp/activate/ first."},
                    status=403,
                )
            return redirect(f"/accounts/2fa/totp/activate/?next={request.get_full_path()}")
        return self.get_response(request)
