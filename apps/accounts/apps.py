from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (system checks)
        from .roles import roles_ensure

        # After the last app's permissions exist (admin gets every model permission); Django
        # sends post_migrate only for apps that have models.
        last = [config for config in self.apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(roles_ensure, sender=last)
