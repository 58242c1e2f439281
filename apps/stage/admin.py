from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Stage


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "on_busy", "voice_mode", "max_request_chars", "max_scenes", "jobs_link", "page_link")
    list_filter = ("voice_mode",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description="Jobs")
    def jobs_link(self, stage: Stage) -> str:
        return format_html('<a href="{}?stage__id__exact={}">jobs</a>', reverse("admin:studio_videojob_changelist"), stage.pk)

    @admin.display(description="Page")
    def page_link(self, stage: Stage) -> str:
        return format_html('<a href="{}">open</a>', reverse("stage:page", kwargs={"slug": stage.slug}))
