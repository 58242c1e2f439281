"""Roles are Django groups; each grants a set of the Capability permissions.

viewer ⊂ operator ⊂ admin. A superuser counts as admin.
"""

from __future__ import annotations

VIEWER, OPERATOR, ADMIN = "viewer", "operator", "admin"
ROLES = (VIEWER, OPERATOR, ADMIN)

PERMISSIONS = {
    VIEWER: ["view_fleet"],
    OPERATOR: ["view_fleet", "operate"],
    ADMIN: ["view_fleet", "operate", "deploy_production", "manage_keys", "manage_users", "import_catalog"],
}

# What each API token scope may do, at most (the user's role still applies).
SCOPE_PERMISSIONS = {
    "read": {"view_fleet"},
    "operate": {"view_fleet", "operate"},
    "admin": set(PERMISSIONS[ADMIN]),
}


def perm(codename: str) -> str:
    return f"accounts.{codename}"


def role_of(user) -> str | None:
    """The highest role a user holds (None for anonymous users and users without a role)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMIN
    names = set(user.groups.values_list("name", flat=True))
    for role in (ADMIN, OPERATOR, VIEWER):
        if role in names:
            return role
    return None


def is_admin(user) -> bool:
    return user.is_authenticated and user.has_perm(perm("manage_users"))


def roles_ensure(**kwargs) -> None:
    """Create or repair the role groups and their permissions (idempotent).

    The migration creates them; this runs after every migrate (and after test database
    flushes) so that a deleted group or permission comes back as the code defines it.
    """
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from .models import Capability

    content_type = ContentType.objects.get_for_model(Capability, for_concrete_model=False)
    for codename, name in Capability._meta.permissions:
        Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})
    for role, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if role == ADMIN:  # everything, the Django admin's model permissions included
            group.permissions.set(Permission.objects.all())
        else:
            group.permissions.set(Permission.objects.filter(content_type=content_type, codename__in=codenames))
