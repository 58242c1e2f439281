"""A request id on every request: taken from X-Request-ID when sane, else made here.

It is bound into structlog's context (so every log line of the request carries it) and
returned in the response's X-Request-ID header.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from asgiref.sync import iscoroutinefunction, markcoroutinefunction

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = structlog.get_logger("visionspace.access")


def request_id_from(header: str | None) -> str:
    if header and _SAFE_ID.match(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    async_capable = True
    sync_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(self.get_response):
            markcoroutinefunction(self)

    def _start(self, request) -> float:
        request.request_id = request_id_from(request.headers.get("X-Request-ID"))
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request.request_id, path=request.path)
        return time.perf_counter()

    def _finish(self, request, response, started: float):
        response["X-Request-ID"] = request.request_id
        access_log.info(
            "request",
            method=request.method,
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 1),
        )
        structlog.contextvars.clear_contextvars()  # log lines after the request must not claim its id
        return response

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        started = self._start(request)
        return self._finish(request, self.get_response(request), started)

    async def __acall__(self, request):
        started = self._start(request)
        return self._finish(request, await self.get_response(request), started)


class ProbeMiddleware:
    """Answer /healthz and /readyz before host validation.

    Kubernetes and Cloud Run probe a container by its IP address, a Host that
    ALLOWED_HOSTS rightly does not list; everything else still gets Django's 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import views

        if request.path_info == "/healthz":
            return views.healthz(request)
        if request.path_info == "/readyz":
            return views.readyz(request)
        return self.get_response(request)
