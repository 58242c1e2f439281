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
