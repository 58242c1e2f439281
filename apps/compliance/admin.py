from django.contrib import admin

from .models import ComplianceScan, RuleResult, Trigger
from .services import compliance_scan


class RuleResultInline(admin.TabularInline):
    model = RuleResult
    fields = ("rule_id", "severity", "status", "title", "line", "evidence", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ComplianceScan)
class ComplianceScanAdmin(admin.ModelAdmin):
    """Scans are history: read-only. "Rescan" makes a new one."""

    list_display = ("service", "created_at", "trigger", "level", "score", "passed", "applicable", "latest", "duration_ms")
    list_filter = ("level", "trigger", "latest")
    search_fields = ("service__slug", "service__name")
    date_hierarchy = "created_at"
    list_select_related = ("service",)
    readonly_fields = ("service", "created_at", "trigger", "latest", "level", "score", "passed", "applicable",
                       "dockerfile_sha256", "inputs_sha256", "duration_ms")
    inlines = [RuleResultInline]
    actions = ["rescan"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Rescan the services of the selected scans")
    def rescan(self, request, queryset):
        services = {scan.service_id: scan.service for scan in queryset.select_related("service")}
        for service in services.values():
            compliance_scan(service=service, trigger=Trigger.MANUAL)
        self.message_user(request, f"Rescanned {len(services)} service(s).")
