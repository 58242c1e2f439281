from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "apps.catalog"
    label = "catalog"
    verbose_name = "Service catalogue"

    def ready(self) -> None:
        from . import event_types  # noqa: F401  (registers the catalog.* event schemas)
