"""Who may watch a stage's group ``stage.<slug>``: anyone who may view the fleet, for a stage that exists."""

from apps.accounts.permissions import user_may
from apps.events.access import register_group

from .models import Stage


def stage_group_allows(user, rest: str, scope: dict) -> bool:
    return user_may(user, "view_fleet") and Stage.objects.filter(slug=rest).exists()


register_group("stage", stage_group_allows)
