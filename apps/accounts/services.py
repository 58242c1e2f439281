from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import ApiToken, OneTimeLogin, TokenScope
from .roles import ADMIN, ROLES

User = get_user_model()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- one-time sign-in links ---------------------------------------------------------------


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


# --- roles --------------------------------------------------------------------------------


def user_role_assign(*, user, role: str) -> None:
    """Give ``user`` exactly one role (groups viewer/operator/admin)."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get(name=role))
    user.is_staff = role == ADMIN or user.is_superuser  # the Django admin is for admins
    user.save(update_fields=["is_staff"])


def local_admin_ensure(*, username: str = "admin", email: str = "admin@localhost") -> User:
    """The local operator account: an admin with no usable password (sign in by link)."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": email, "is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user_role_assign(user=user, role=ADMIN)
        # Made here, not claimed by anyone: allauth (MFA set-up included) may treat it as verified.
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


# --- API tokens ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


def api_token_create(*, user, name: str, scope: str, expires_in_days: int) -> NewToken:
    if scope not in TokenScope.values:
        raise ValueError(f"Unknown scope {scope!r}: use one of {', '.join(TokenScope.values)}.")
    if not 1 <= expires_in_days <= settings.API_TOKEN_MAX_DAYS:
        raise ValueError(f"Tokens expire after 1 to {settings.API_TOKEN_MAX_DAYS} days.")
    prefix = secrets.token_hex(6)
    plaintext = f"vs_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100] or "token", prefix=prefix, token_hash=_hash(plaintext), scope=scope,
        expires_at=timezone.now() + timedelta(days=expires_in_days),
    )
    return NewToken(token=token, plaintext=plaintext)


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


def api_token_authenticate(*, plaintext: str, ip: str | None) -> ApiToken | None:
    """The live token behind ``plaintext`` (its user attached), recording its use; else None."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != "vs":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.token_hash, _hash(plaintext)):
        return None
    now = timezone.now()
    if token.revoked_at or token.expires_at <= now or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=ip)
    return token
