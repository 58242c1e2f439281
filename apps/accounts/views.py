from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .services import one_time_login_redeem


@never_cache
@require_http_methods(["GET", "POST"])
def one_time_login(request: HttpRequest, token: str) -> HttpResponse:
    # GET shows a button; only the POST spends the token, so link previews can't burn it.
    if request.method == "GET":
        return render(request, "accounts/one_time_login.html", {"token": token})
    user = one_time_login_redeem(token=token, ip=request.META.get("REMOTE_ADDR"))
    if user is None:
        return render(request, "accounts/one_time_login_invalid.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("core:home")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:home")
