"""django.contrib.admin with VisionSpace's site (kept apart: app configs load before models)."""

from django.contrib.admin.apps import AdminConfig


class VisionSpaceAdminConfig(AdminConfig):
    default_site = "apps.core.admin_site.VisionSpaceAdminSite"
