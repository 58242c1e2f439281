"""The stage pages: the list, the big-screen page, its request form, its state, its render files."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import role_required, user_may
from apps.studio.selectors import job_event_payload
from apps.studio.services import RequestRefused, job_request

from .media import ranged_file_response, render_file
from .models import Stage, VoiceMode
from .selectors import stage_get, stage_list, stage_snapshot


WAKE_PHRASE = "VisionSpace"  # the page's first hint; the voice socket's "ready" names the server's


def stage_or_404(slug: str) -> Stage:
    try:
        return stage_get(slug=slug)
    except Stage.DoesNotExist:
        raise Http404(f"No stage is called {slug!r}.") from None


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_GET
@role_required("view_fleet")
def stage_index(request: HttpRequest) -> HttpResponse:
    return render(request, "stage/index.html", {"stages": stage_list()})


@never_cache
@require_GET
@role_required("view_fleet")
def stage_page(request: HttpRequest, slug: str) -> HttpResponse:
    stage = stage_or_404(slug)
    may_request = user_may(request.user, "operate")
    return render(request, "stage/stage.html", {
        "stage": stage, "snapshot": stage_snapshot(stage=stage), "may_request": may_request,
        "voice": voice_context(stage) if may_request else None,
    })


def voice_context(stage: Stage) -> dict | None:
    """What the page's voice input needs (docs/voice.md, "In the browser"); None when the stage has it off."""
    if stage.voice_mode == VoiceMode.OFF:
        return None
    return {"mode": stage.voice_mode, "socket": f"/ws/voice/{stage.slug}/", "wake_phrase": WAKE_PHRASE}


@never_cache
@require_GET
@role_required("view_fleet")
def stage_state(request: HttpRequest, slug: str) -> JsonResponse:
    """What the page starts from, again: for a page whose event stream was reset."""
    return JsonResponse(stage_snapshot(stage=stage_or_404(slug)))


@require_POST
@role_required("operate")
def stage_request(request: HttpRequest, slug: str) -> HttpResponse:
    """The request box: JSON for the page's script, a redirect back for a plain form post."""
    stage = stage_or_404(slug)
    try:
        job = job_request(stage=stage, requester=request.user, text=request.POST.get("text", ""))
    except RequestRefused as exc:
        if wants_json(request):
            return JsonResponse({"message": exc.message, "suggestions": exc.suggestions}, status=400)
        messages.error(request, exc.message)
        return redirect("stage:page", slug=stage.slug)
    if wants_json(request):
        return JsonResponse({"job": job_event_payload(job=job)}, status=201)
    return redirect("stage:page", slug=stage.slug)


@require_http_methods(["GET", "HEAD"])
@role_required("view_fleet")
def render_media(request: HttpRequest, name: str) -> HttpResponse:
    return ranged_file_response(request, render_file(name))
