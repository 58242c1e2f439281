from django.contrib import admin, messages

from .services import container_dockerfile_generate

from .models import ContainerSpec, ProbeResult, Relation, Service, System


class ContainerSpecInline(admin.StackedInline):
    model = ContainerSpec
    extra = 0


class RelationInline(admin.TabularInline):
    model = Relation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "category", "status", "owner", "compliance_level", "health_status", "orphaned")
    list_filter = ("category", "status", "compliance_level", "health_status", "lifecycle", "orphaned", "system")
    search_fields = ("slug", "name", "purpose", "owner")
    readonly_fields = ("compliance_level", "compliance_score", "health_status", "health_checked_at", "created_at", "updated_at")
    inlines = [ContainerSpecInline, RelationInline]
    actions = ["mark_not_orphaned", "generate_dockerfiles"]

    @admin.action(description="Generate a compliant Dockerfile into the container spec")
    def generate_dockerfiles(self, request, queryset):
        from apps.deployments.manifests.dockerfile import DockerfileRenderError

        done = 0
        for service in queryset.select_related("container"):
            try:
                container_dockerfile_generate(service=service)
                done += 1
            except DockerfileRenderError as exc:
                self.message_user(request, f"{service.slug}: {exc}", level=messages.ERROR)
        self.message_user(request, f"{done} Dockerfile(s) generated; compliance rescans follow.")

    @admin.action(description="Keep: clear the orphaned mark")
    def mark_not_orphaned(self, request, queryset):
        updated = queryset.update(orphaned=False)
        self.message_user(request, f"{updated} service(s) no longer marked orphaned.")


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "owner", "orphaned")
    list_filter = ("orphaned",)
    search_fields = ("slug", "name")


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ("source", "type", "target")
    list_filter = ("type",)
    search_fields = ("source__slug", "target__slug")
    autocomplete_fields = ["source", "target"]


@admin.register(ProbeResult)
class ProbeResultAdmin(admin.ModelAdmin):
    list_display = ("service", "checked_at", "ok", "status_code", "latency_ms", "error")
    list_filter = ("ok",)
    date_hierarchy = "checked_at"
    search_fields = ("service__slug",)
