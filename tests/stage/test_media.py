"""Render files over a real Daphne: HTTP Range (seeking in an MP4), the playlist never cached,
only for people who may watch stages, and nothing outside renders/."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.support import processes
from tests.support.users import session_cookie, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def files():
    base = f"renders/{uuid.uuid4()}/a1"
    root = Path(settings.MEDIA_ROOT) / base
    root.mkdir(parents=True)
    body = os.urandom(700_000)  # larger than one streamed chunk
    (root / "video.mp4").write_bytes(body)
    (root / "index.m3u8").write_text("#EXTM3U\n")
    (root / "captions.vtt").write_text("WEBVTT\n")
    return base, body


@pytest.fixture
def site(db):
    with processes.daphne() as host:
        yield f"http://{host}"


def get(url: str, *, cookie: str | None, method: str = "GET", **headers):
    request = urllib.request.Request(url, method=method, headers={**headers, **({"Cookie": cookie} if cookie else {})})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_ranges_heads_and_types(site, files):
    base, body = files
    cookie = session_cookie(user_with_role("viewer"))
    url = f"{site}/stage/media/{base}/video.mp4"

    status, headers, content = get(url, cookie=cookie)
    assert (status, content) == (200, body)
    assert headers["Accept-Ranges"] == "bytes" and headers["Content-Type"] == "video/mp4"
    assert headers["Content-Length"] == str(len(body))

    cases = {"bytes=10-19": (10, 19), "bytes=-5": (len(body) - 5, len(body) - 1),
             "bytes=600000-": (600_000, len(body) - 1), "bytes=699990-999999": (699_990, len(body) - 1)}
    for header, (start, end) in cases.items():
        status, headers, content = get(url, cookie=cookie, Range=header)
        assert status == 206, header
        assert content == body[start:end + 1], header
        assert headers["Content-Range"] == f"bytes {start}-{end}/{len(body)}"
        assert headers["Content-Length"] == str(end - start + 1)

    status, headers, _ = get(url, cookie=cookie, Range=f"bytes={len(body)}-")
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(body)}"
    status, headers, content = get(url, cookie=cookie, Range="bytes=0-1,5-6")  # multi-range: the whole file is fine
    assert status == 200 and content == body

    status, headers, content = get(url, cookie=cookie, method="HEAD")
    assert status == 200 and content == b"" and headers["Content-Length"] == str(len(body))

    status, headers, content = get(f"{site}/stage/media/{base}/index.m3u8", cookie=cookie)
    assert status == 200 and headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert headers["Cache-Control"] == "no-cache" and content == b"#EXTM3U\n"
    status, headers, _ = get(f"{site}/stage/media/{base}/captions.vtt", cookie=cookie)
    assert headers["Content-Type"] == "text/vtt; charset=utf-8"


def test_only_people_who_may_watch_stages_get_render_files(site, files):
    base, _ = files
    url = f"{site}/stage/media/{base}/video.mp4"
    status, headers, _ = get(url, cookie=None)
    assert status == 302 and headers["Location"].startswith("/accounts/login/")
    assert get(url, cookie=session_cookie(user_with_role(None, username="nobody")))[0] == 403


@pytest.mark.parametrize("name", [
    "renders/../secret_key", "renders/x/a1/video.mp4", "{base}/../../../secret_key", "{base}/missing.mp4",
    "{base}/.hidden", "secret_key",
])
def test_nothing_but_render_files(site, files, name):
    base, _ = files
    (Path(settings.MEDIA_ROOT) / base / ".hidden").write_text("x")
    status, _, _ = get(f"{site}/stage/media/{name.format(base=base)}", cookie=session_cookie(user_with_role("viewer")))
    assert status == 404
