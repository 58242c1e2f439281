"""Authentication for the REST API: a session (browser) or a personal API token.

Usage in a router: ``auth=API_AUTH``; then ``require(request, "operate")`` inside the
operation checks the caller's role *and*, for tokens, the token's scope.
"""

from __future__ import annotations

from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from .middleware import mfa_missing_for_admin
from .roles import SCOPE_PERMISSIONS, perm
from .services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = api_token_authenticate(plaintext=token, ip=request.META.get("REMOTE_ADDR"))
        if api_token is None:
            return None
        if mfa_missing_for_admin(api_token.user):
            raise HttpError(403, "This token belongs to an admin without two-factor authentication: set it up at /accounts/2fa/totp/activate/.")
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class SessionAuth(APIKeyCookie):
    """Django's session (the cookie is checked by its middleware); CSRF on unsafe methods."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


API_AUTH = [TokenAuth(), SessionAuth()]


def require(request, codename: str) -> None:
    """403 unless the caller may ``codename`` (role) and, with a token, its scope allows it."""
    user = request.user
    if not user.has_perm(perm(codename)):
        raise HttpError(403, f"Your role does not allow this ({codename}); ask an admin for a role that does.")
    token = getattr(request, "api_token", None)
    if token is not None and codename not in SCOPE_PERMISSIONS[token.scope]:
        raise HttpError(403, f"This token's scope ({token.scope}) does not allow {codename}; create a token with a wider scope.")
