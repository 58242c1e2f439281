from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .forms import ApiTokenForm
from .middleware import has_second_factor, mfa_missing_for_admin
from .models import ApiToken
from .roles import role_of
from .selectors import api_token_list
from .services import api_token_create, api_token_revoke, one_time_login_redeem


@never_cache
@require_http_methods(["GET", "POST"])
def one_time_login(request: HttpRequest, token: str) -> HttpResponse:
    # GET shows a button; only the POST spends the token, so link previews can't burn it.
    if request.method == "GET":
        return render(request, "accounts/one_time_login.html", {"token": token})
    user = one_time_login_redeem(token=token, ip=request.META.get("REMOTE_ADDR"))
    if user is None:
        return render(request, "accounts/one_time_login_invalid.html", status=400)
    # Through allauth's login stages, so that a second factor, once set up, is still asked for.
    user.backend = "django.contrib.auth.backends.ModelBackend"
    response = perform_login(request, user, email_verification="none", redirect_url="/")
    if request.user.is_authenticated:
        # Recorded like allauth's own sign-in by emailed code (also a one-time secret), so that
        # the MFA set-up that follows does not ask a password-less admin to re-authenticate.
        record_authentication(request, user, method="code", email=user.email, reauthenticated=True)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_home(request: HttpRequest) -> HttpResponse:
    """Role, two-factor status and personal API tokens. A new token is shown once, here."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and mfa_missing_for_admin(request.user):
        form.add_error(None, "Set up two-factor authentication first: admins' tokens must not bypass it.")
    elif request.method == "POST" and form.is_valid():
        new_token = api_token_create(user=request.user, **form.cleaned_data)
        form = ApiTokenForm()
    context = {
        "role": role_of(request.user),
        "has_mfa": has_second_factor(request.user),
        "tokens": api_token_list(user=request.user),
        "form": form,
        "new_token": new_token,
        "now": timezone.now(),
    }
    return render(request, "accounts/home.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    api_token_revoke(token=get_object_or_404(ApiToken, pk=pk, user=request.user))
    return redirect("accounts:home")
