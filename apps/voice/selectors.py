"""Reads of the voice app."""

from __future__ import annotations

from apps.accounts.permissions import user_may
from apps.stage.models import Stage


def voice_stage_find(*, slug: str) -> Stage | None:
    return Stage.objects.filter(slug=slug[:40]).first()


def voice_user_may_speak(*, user) -> bool:
    """Speaking a request is making one: the same ``operate`` permission as the request box."""
    return user_may(user, "operate")
