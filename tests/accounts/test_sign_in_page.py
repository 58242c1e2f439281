"""The sign-in page: only configured providers, POST-only provider buttons, throttled failures."""

import pytest
from django.core.cache import cache

from apps.accounts.providers import ProviderConfigError, social_providers
from tests.support.users import user_with_role

pytestmark = pytest.mark.django_db


def env_from(values: dict):
    return lambda name, default=None: values.get(name, default)


def test_a_provider_without_credentials_is_not_shown(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with" not in html  # no provider is configured in the test environment


def test_a_configured_provider_is_a_post_form_with_csrf(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = social_providers(env_from({"GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "s"}))
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with GitHub" in html
    form = html[html.index('<form method="post" action="/accounts/github/login/'):]
    assert "csrfmiddlewaretoken" in form.split("</form>")[0]
    # Opening the provider's start URL with GET does not leave the site (login CSRF).
    response = client.get("/accounts/github/login/")
    assert response.status_code == 200 and "github.com" not in response.get("Location", "")


def test_every_provider_has_pkce_and_minimal_scopes():
    providers = social_providers(env_from({
        "GOOGLE_CLIENT_ID": "g", "GOOGLE_CLIENT_SECRET": "gs", "OIDC_PROVIDERS": "corp",
        "OIDC_CORP_CLIENT_ID": "c", "OIDC_CORP_SECRET": "cs", "OIDC_CORP_SERVER_URL": "https://id.example.com",
    }))
    assert all(p["OAUTH_PKCE_ENABLED"] for p in providers.values())
    assert providers["google"]["SCOPE"] == ["openid", "email", "profile"]
    [corp] = providers["openid_connect"]["APPS"]
    assert corp["settings"]["oauth_pkce_enabled"] and corp["settings"]["server_url"] == "https://id.example.com"


@pytest.mark.parametrize("values, message", [
    ({"GITHUB_CLIENT_ID": "id"}, "GITHUB_CLIENT_SECRET is not"),
    ({"OIDC_PROVIDERS": "corp", "OIDC_CORP_CLIENT_ID": "c"}, "OIDC_CORP_SECRET, OIDC_CORP_SERVER_URL"),
    ({"OIDC_PROVIDERS": "Bad Id!"}, "not a valid id"),
])
def test_half_configured_providers_are_a_clear_error(values, message):
    with pytest.raises(ProviderConfigError, match=message):
        social_providers(env_from(values))


def test_repeated_failed_sign_ins_are_throttled(client):
    cache.clear()
    user_with_role("viewer", username="target", email="target@example.com")
    pages = [
        client.post("/accounts/login/", {"login": "target@example.com", "password": f"wrong-{n}"}).content.decode()
        for n in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]  # allauth: 5 failures per 5 minutes per account
    # The right password is refused too while the limit holds.
    right = client.post("/accounts/login/", {"login": "target@example.com", "password": "a-long-test-password-1"})
    assert "Too many failed login attempts" in right.content.decode()
    assert "_auth_user_id" not in client.session
