"""Social sign-in providers from the environment (imported by settings: no models here).

A provider appears on the sign-in page only when its credentials are configured.

* Google: ``GOOGLE_CLIENT_ID``, ``GOOGLE_CLIENT_SECRET``
* GitHub: ``GITHUB_CLIENT_ID``, ``GITHUB_CLIENT_SECRET``
* Any number of OpenID Connect servers: ``OIDC_PROVIDERS=corp,lab`` and for each id
  ``OIDC_<ID>_NAME``, ``OIDC_<ID>_CLIENT_ID``, ``OIDC_<ID>_SECRET``, ``OIDC_<ID>_SERVER_URL``.

Every secret may come from ``<NAME>_FILE`` instead. PKCE is on for all of them
(allauth leaves it off by default), and the scopes are the least that give an email.
"""

from __future__ import annotations

import re
from typing import Callable

Env = Callable[[str, str | None], str | None]

_PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")


class ProviderConfigError(ValueError):
    pass


def _app(env: Env, prefix: str) -> dict | None:
    client_id, secret = env(f"{prefix}_CLIENT_ID", None), env(f"{prefix}_CLIENT_SECRET", None)
    if not client_id:
        return None
    if not secret:
        raise ProviderConfigError(f"{prefix}_CLIENT_ID is set but {prefix}_CLIENT_SECRET is not.")
    return {"client_id": client_id, "secret": secret, "key": ""}


def social_providers(env: Env) -> dict:
    providers: dict = {
        "google": {"SCOPE": ["openid", "email", "profile"], "AUTH_PARAMS": {}, "OAUTH_PKCE_ENABLED": True},
        "github": {"SCOPE": ["read:user", "user:email"], "OAUTH_PKCE_ENABLED": True},
        "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []},
    }
    for name, prefix in (("google", "GOOGLE"), ("github", "GITHUB")):
        app = _app(env, prefix)
        providers[name]["APPS"] = [app] if app else []
    for provider_id in filter(None, (p.strip().lower() for p in (env("OIDC_PROVIDERS", "") or "").split(","))):
        if not _PROVIDER_ID.match(provider_id):
            raise ProviderConfigError(f"OIDC_PROVIDERS: {provider_id!r} is not a valid id (a-z, 0-9, '-').")
        prefix = f"OIDC_{provider_id.upper().replace('-', '_')}"
        client_id, secret, server_url = (env(f"{prefix}_{k}", None) for k in ("CLIENT_ID", "SECRET", "SERVER_URL"))
        missing = [k for k, v in (("CLIENT_ID", client_id), ("SECRET", secret), ("SERVER_URL", server_url)) if not v]
        if missing:
            raise ProviderConfigError(f"OpenID Connect provider {provider_id!r} needs {', '.join(prefix + '_' + m for m in missing)}.")
        providers["openid_connect"]["APPS"].append(
            {
                "provider_id": provider_id,
                "name": env(f"{prefix}_NAME", None) or provider_id,
                "client_id": client_id,
                "secret": secret,
                "settings": {
                    "server_url": server_url,
                    "oauth_pkce_enabled": True,
                    "scope": ["openid", "email", "profile"],
                },
            }
        )
    return providers
