from django.contrib import admin

from .models import ApiToken, OneTimeLogin
from .services import api_token_revoke


@admin.register(OneTimeLogin)
class OneTimeLoginAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "used_at", "used_from")
    list_filter = ("used_at",)
    readonly_fields = ("user", "token_hash", "created_at", "expires_at", "used_at", "used_from")

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins see and revoke anyone's tokens; nobody can read one (only hashes are kept)."""

    list_display = ("name", "user", "scope", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope", "revoked_at")
    search_fields = ("name", "user__username", "user__email", "prefix")
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "token_hash"]
    exclude = ("token_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token is shown once, to its owner, at /accounts/

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        self.message_user(request, f"{queryset.count()} token(s) revoked.")
