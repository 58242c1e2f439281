from django.conf import settings
from django.contrib import messages

from apps.accounts.permissions import role_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from .forms import AnnouncementForm
from .navigation import SECTIONS
from .readiness import readiness_checks
from .services import announcement_publish


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No I/O, so a slow database never restarts web."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness_checks()
    failed = [c.name for c in checks if not c.ok]
    body = {
        "status": "ok" if not failed else "unavailable",
        "failed": failed,
        "checks": {c.name: {"ok": c.ok, "ms": round(c.ms, 1), **({"error": c.error} if c.error else {})} for c in checks},
    }
    return JsonResponse(body, status=503 if failed else 200)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if token:
        supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not constant_time_compare(supplied, token):
            return HttpResponse("metrics need 'Authorization: Bearer <METRICS_TOKEN>'\n", status=401, content_type="text/plain")
    return ExportToDjangoView(request)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"sections": SECTIONS})


def section(request: HttpRequest, slug: str) -> HttpResponse:
    entry = next((s for s in SECTIONS if s.slug == slug), None)
    if entry is None:
        raise Http404(f"No section {slug!r}")
    return render(request, "core/not_yet.html", {"section": entry}, status=200)


@role_required("operate")
def live(request: HttpRequest) -> HttpResponse:
    """The ops feed (every event on 'ops' and 'public', live) and the announcement form."""
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        announcement_publish(author=request.user.get_username(), **form.cleaned_data)
        messages.success(request, "Announced on every screen.")
        return redirect("core:live")
    return render(request, "core/live.html", {"form": form}, status=400 if form.errors else 200)
