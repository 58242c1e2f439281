from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "apps.compliance"
    label = "compliance"
    verbose_name = "Container compliance"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the rescan-on-change receivers)
