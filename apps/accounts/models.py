from django.conf import settings
from django.db import models


class OneTimeLogin(models.Model):
    """A sign-in link that works once, before it expires. Only a hash of the token is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_logins")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        state = "used" if self.used_at else "unused"
        return f"one-time login for {self.user} ({state}, expires {self.expires_at:%Y-%m-%d %H:%M})"


class Capability(models.Model):
    """Holds the site-wide permissions that roles grant (no rows; see roles.py)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_fleet", "Read the catalogue, compliance, deployments, stages (not secrets)"),
            ("operate", "Deploy to non-production environments, run renders, manage rooms"),
            ("deploy_production", "Deploy to production environments"),
            ("manage_keys", "Read and change AI provider keys"),
            ("manage_users", "Manage users, roles and other people's tokens"),
            ("import_catalog", "Import and edit catalogue entries"),
        ]


class TokenScope(models.TextChoices):
    READ = "read", "Read"
    OPERATE = "operate", "Operate"
    ADMIN = "admin", "Admin"


class ApiToken(models.Model):
    """A personal API token. Shown once at creation; only its SHA-256 is stored.

    The plaintext is ``vs_<prefix>_<secret>``: the prefix finds the row, the hash of the
    whole string proves it. Tokens are 256-bit random, so a fast hash is enough.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_from = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.scope}, vs_{self.prefix}_…)"
