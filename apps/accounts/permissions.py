"""Role checks for views (HTTP) and consumers (websockets)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import perm


def role_required(codename: str):
    """A view decorator: sign in first, then the role must grant ``codename`` (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm(codename)):
                raise PermissionDenied(f"Your role does not allow this ({codename}).")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def user_may(user, codename: str) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(perm(codename)))
