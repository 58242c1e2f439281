"""Serving render files from local media with HTTP Range (browsers seek in an MP4 with it).

Django's own static serving has no Range support and is there only with DEBUG, so the
stage serves ``renders/`` itself, in every mode, to users who may watch stages. The body
streams from an async iterator: under ASGI a sync one would be read whole into memory.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date

RENDER_NAME = re.compile(r"^renders/[0-9a-f-]{36}/a\d{1,3}/[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")
BYTE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".aac": "audio/aac",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".json": "application/json",
}


def render_file(name: str) -> Path:
    if not RENDER_NAME.match(name) or ".." in name:
        raise Http404("No such render file.")
    path = Path(settings.MEDIA_ROOT) / name
    if not path.is_file():
        raise Http404("No such render file (yet).")
    return path


async def _chunks(path: Path, start: int, length: int):
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        await asyncio.to_thread(handle.seek, start)
        while length > 0:
            chunk = await asyncio.to_thread(handle.read, min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(start, end) inclusive; None to send it all; False when unsatisfiable."""
    match = BYTE_RANGE.match(header.strip())
    if not match or not (match[1] or match[2]):
        return None  # absent, a multi-range or a unit we do not know: the whole file is a valid answer
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:
        start, end = max(0, size - int(match[2])), size - 1
    if start >= size or start > end:
        return False
    return start, end


def ranged_file_response(request: HttpRequest, path: Path) -> HttpResponse:
    stat = path.stat()
    size = stat.st_size
    content_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = wanted or (0, size - 1)
    length = max(0, end - start + 1)
    status = 206 if wanted else 200
    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type)
    else:
        response = StreamingHttpResponse(_chunks(path, start, length), status=status, content_type=content_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(stat.st_mtime)
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    # The playlist grows while the video renders; everything else is never rewritten (a new
    # attempt writes to a new directory), but it is private to people who may see stages.
    response["Cache-Control"] = "no-cache" if path.suffix == ".m3u8" else "private, max-age=3600"
    return response
