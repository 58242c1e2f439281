"""System checks for sign-in misconfiguration (allauth's style: fail early, say how to fix)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def check_accounts(app_configs, **kwargs):
    problems = []
    for name, config in settings.SOCIALACCOUNT_PROVIDERS.items():
        if not config.get("OAUTH_PKCE_ENABLED"):
            problems.append(checks.Error(f"PKCE is off for {name}.", hint="Keep OAUTH_PKCE_ENABLED=True.", id="accounts.E001"))
    if getattr(settings, "SOCIALACCOUNT_LOGIN_ON_GET", False):
        problems.append(
            checks.Error("SOCIALACCOUNT_LOGIN_ON_GET lets a plain link start a sign-in (login CSRF).", id="accounts.E002")
        )
    if settings.PRODUCTION and settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory":
        problems.append(
            checks.Warning("Email addresses are not verified in production.", hint="Set ACCOUNT_EMAIL_VERIFICATION=mandatory.", id="accounts.W001")
        )
    if settings.PRODUCTION and not settings.REQUIRE_ADMIN_MFA:
        problems.append(checks.Warning("Admins may work without a second factor.", hint="Unset REQUIRE_ADMIN_MFA.", id="accounts.W002"))
    return problems
