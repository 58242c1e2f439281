from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import OneTimeLogin

User = get_user_model()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def one_time_login_create(*, user, ttl_seconds: int | None = None) -> str:
    """Return a fresh token (shown once; only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    ttl = ttl_seconds if ttl_seconds is not None else settings.ONE_TIME_LOGIN_TTL_SECONDS
    OneTimeLogin.objects.create(user=user, token_hash=_hash(token), expires_at=timezone.now() + timedelta(seconds=ttl))
    return token


def one_time_login_redeem(*, token: str, ip: str | None) -> User | None:
    """The token's user if it is unused and unexpired; it can never be used again."""
    with transaction.atomic():
        login = (
            OneTimeLogin.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if login is None or not login.user.is_active:
            return None
        login.used_at = timezone.now()
        login.used_from = ip
        login.save(update_fields=["used_at", "used_from"])
        return login.user


def local_admin_ensure(*, username: str = "admin", email: str = "admin@localhost") -> User:
    """The local operator account: a superuser with no usable password (sign in by link)."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": email, "is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
