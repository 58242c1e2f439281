from django.contrib import admin, messages

from .models import VideoJob
from .services import job_cancel


@admin.register(VideoJob)
class VideoJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "stage", "request", "state", "step", "attempts", "requester", "duration_s")
    list_filter = ("state", "stage")
    search_fields = ("request", "error")
    date_hierarchy = "created_at"
    list_select_related = ("stage", "requester")
    actions = ["cancel_jobs"]
    # A job changes only through its services (state machine); the admin looks and cancels.
    readonly_fields = [f.name for f in VideoJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Cancel the selected jobs (those not finished)")
    def cancel_jobs(self, request, queryset):
        done = sum(job_cancel(job=job, reason=f"Cancelled by {request.user}.") for job in queryset.select_related("stage"))
        self.message_user(request, f"{done} job(s) cancelled.", level=messages.SUCCESS if done else messages.WARNING)
