from django.contrib import admin

from .models import OneTimeLogin


@admin.register(OneTimeLogin)
class OneTimeLoginAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "used_at", "used_from")
    list_filter = ("used_at",)
    readonly_fields = ("user", "token_hash", "created_at", "expires_at", "used_at", "used_from")

    def has_add_permission(self, request):
        return False
