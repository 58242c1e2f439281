"""Sign in with a real OpenID Connect server (npm oidc-provider, PKCE required) in Chromium."""

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth import get_user_model

from apps.accounts.roles import role_of
from tests.browser.conftest import off_the_loop
from tests.support import processes

pytestmark = pytest.mark.browser

PROVIDER = "test-idp"
SECRET = "oidc-client-secret-for-tests-only"


@pytest.fixture
def oidc(transactional_db):
    """The OIDC server and a Daphne configured to use it; yields (site_url, issuer, server output)."""
    web_port, idp_port = processes.free_port(), processes.free_port()
    issuer = f"http://127.0.0.1:{idp_port}"
    redirect_uri = f"http://127.0.0.1:{web_port}/accounts/oidc/{PROVIDER}/login/callback/"
    idp = subprocess.Popen(
        ["node", str(processes.ROOT / "tests/accounts/oidc/server.mjs")],
        cwd=processes.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "PORT": str(idp_port), "CLIENT_SECRET": SECRET,
             "REDIRECT_URI": redirect_uri, "NODE_PATH": str(processes.ROOT / "node_modules")},
    )
    output = processes.OutputWatcher(idp.stdout)
    try:
        output.wait_for('"event":"ready"', timeout=30)
        env = processes.subprocess_env(
            OIDC_PROVIDERS=PROVIDER, OIDC_TEST_IDP_NAME="Test IdP", OIDC_TEST_IDP_CLIENT_ID="visionspace",
            OIDC_TEST_IDP_SECRET=SECRET, OIDC_TEST_IDP_SERVER_URL=issuer,
        )
        with processes.daphne(env, port=web_port) as host:
            yield f"http://{host}", issuer, output
    finally:
        processes.stop(idp)


def sign_in_at_provider(page, login: str) -> None:
    page.get_by_role("button", name="Sign in with Test IdP").click()
    page.wait_for_selector("input[name=login]", timeout=15_000)
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password works in dev interactions")
    page.click("button[type=submit]")
    page.get_by_role("button", name="Continue").click()  # consent


def users():
    return off_the_loop(lambda: [(u.email, role_of(u), u.socialaccount_set.count()) for u in get_user_model().objects.all()])


def test_a_new_user_signs_in_with_the_provider_and_comes_back_to_the_same_account(browser, oidc, artifacts):
    site, issuer, idp_output = oidc
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(site + "/accounts/login/")
    page.screenshot(path=artifacts / "sign-in.png")
    sign_in_at_provider(page, "alice")
    page.wait_for_url(site + "/", timeout=15_000)
    assert page.locator(".who").inner_text() == "alice@example.com"
    assert users() == [("alice@example.com", "viewer", 1)]

    # The provider demanded PKCE, and our token request carried the verifier.
    tokens = [json.loads(line) for line in idp_output.lines if '"event":"token"' in line]
    assert tokens and all(t["code_verifier"] for t in tokens) and tokens[-1]["status"] == 200

    page.get_by_role("button", name="Sign out").click()
    page.goto(site + "/accounts/login/")
    # The provider remembers alice (its own session and her consent): straight back to us.
    page.get_by_role("button", name="Sign in with Test IdP").click()
    page.wait_for_url(site + "/", timeout=15_000)
    assert page.locator(".who").inner_text() == "alice@example.com"
    assert users() == [("alice@example.com", "viewer", 1)]  # the same account, not a second one
    context.close()


def test_the_provider_refuses_a_flow_without_pkce(oidc):
    _, issuer, _ = oidc
    site, _, _ = oidc
    query = urllib.parse.urlencode({
        "client_id": "visionspace", "response_type": "code", "scope": "openid email",
        "redirect_uri": f"{site}/accounts/oidc/{PROVIDER}/login/callback/", "state": "s",
    })

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"{issuer}/auth?{query}")
    location = answer.value.headers["Location"]
    assert "error=invalid_request" in location and "PKCE" in urllib.parse.unquote_plus(location)


def test_a_tampered_or_replayed_state_is_refused(browser, oidc):
    site, _, _ = oidc
    context = browser.new_context()
    page = context.new_page()
    callbacks = []
    page.on("request", lambda r: callbacks.append(r.url) if "/login/callback/" in r.url else None)
    page.goto(site + "/accounts/login/")
    sign_in_at_provider(page, "bob")
    page.wait_for_url(site + "/", timeout=15_000)
    page.get_by_role("button", name="Sign out").click()

    page.goto(callbacks[-1])  # the same code and state again
    assert "could not sign you in" in page.locator("main").inner_text().lower()
    assert page.locator(".who").count() == 0

    forged = callbacks[-1].replace("state=", "state=forged")
    page.goto(forged)
    assert "could not sign you in" in page.locator("main").inner_text().lower()
    assert page.locator(".who").count() == 0
    context.close()


def test_an_error_from_the_provider_is_explained(browser, oidc):
    site, _, _ = oidc
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + "/accounts/login/")
    page.get_by_role("button", name="Sign in with Test IdP").click()
    page.wait_for_selector("input[name=login]", timeout=15_000)
    page.get_by_text("Cancel").click()  # the provider answers error=access_denied
    text = page.locator("main").inner_text().lower()
    assert "sign-in cancelled" in text and "not signed in" in text and "try again" in text
    assert page.locator(".who").count() == 0
    context.close()
