"""The stage in Chromium, with a real Daphne, a real Celery worker and the real renderer:
type a request and the video pops up playing (not black, with captions); Esc, the end of
the video and the keyboard; a reload mid-render resumes; refusals, notes, seeking, 720p–4K."""

from __future__ import annotations

import secrets
import time

import pytest

from apps.catalog.services import catalog_seed
from apps.events.services import event_publish
from apps.stage.services import stage_create
from apps.studio.models import VideoJob
from apps.studio.services import job_create
from apps.studio.storyboard import Scene, Storyboard
from tests.browser.conftest import off_the_loop as _off_the_loop
from tests.studio.events import wait_for_event
from tests.support import processes
from tests.support.users import session_cookie, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REQUEST = "show me the flight memory system status"

# The frame on screen, drawn to a canvas and measured (same origin, so the canvas is readable).
SAMPLE_JS = """
(video) => {
  const c = document.createElement("canvas"); c.width = 192; c.height = 108;
  const g = c.getContext("2d"); g.drawImage(video, 0, 0, c.width, c.height);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let sum = 0, bright = 0; const n = d.length / 4;
  for (let i = 0; i < d.length; i += 4) {
    const l = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
    sum += l; if (l > 150) bright++;
  }
  return {mean: sum / n, bright: bright / n, time: video.currentTime};
}
"""
# Keeps the very first frame the player shows (loadeddata does not bubble: listen in the capture phase).
FIRST_FRAME_HOOK = """
document.addEventListener("loadeddata", (e) => {
  if (window.__firstFrame || e.target.id !== "stage-video") return;
  window.__firstFrame = (%s)(e.target);
}, true);
""" % SAMPLE_JS


# How the player started a job's video: from the event's inline start or not, the render files
# the page fetched (by name), and when hls.js had the playlist against when the page fetched it.
PLAYER_START_JS = """
(job) => {
  const entry = window.VisionSpaceStage.timeline.jobs[job];
  const mine = performance.getEntriesByType("resource").filter((r) => r.name.includes(job));
  return {primed: entry.primed, level: entry.hls.level, fetched: mine.map((r) => r.name.split("/").pop()),
          playlist_fetches: mine.filter((r) => r.name.endsWith("/index.m3u8")).map((r) => r.startTime)};
}
"""


def off_the_loop(function, /, **kwargs):
    """Django calls from a thread of their own, which then closes its connection (PostgreSQL counts them)."""
    from django.db import connections

    def call():
        try:
            return function(**kwargs)
        finally:
            connections.close_all()

    return _off_the_loop(call)


def long_board(scenes: int) -> Storyboard:
    return Storyboard(request="a long video", summary="A long video", scenes=tuple(
        Scene(kind="text", title=f"Part {i + 1}", narration=f"This is part {i + 1} of the video.", duration_s=5.0,
              data={"heading": f"Part {i + 1}", "lines": ["Live from the test", f"Scene {i + 1}"]}) for i in range(scenes)))


def short_board() -> Storyboard:
    return Storyboard(request="a short video", summary="A short video", scenes=(
        Scene(kind="title", title="Short", narration="A short one.", duration_s=2.0, data={"heading": "Short"}),
        Scene(kind="text", title="Two", narration="The end.", duration_s=2.0, data={"heading": "Two", "lines": ["bye"]}),
    ))


def new_stage(**fields):
    return off_the_loop(stage_create, name="Lobby wall", slug=f"lobby-{secrets.token_hex(4)}", **fields)


def worker():
    return processes.celery_worker(processes.subprocess_env(OUTBOUND_ALLOW_PRIVATE="true"))


def stage_page(browser, site, stage, *, role="operator", width=1920, height=1080):
    username = f"{role}-{secrets.token_hex(3)}"
    cookie = off_the_loop(lambda: session_cookie(user_with_role(role, username=username)))
    name, value = cookie.split("=", 1)
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": name, "value": value, "url": site}])
    context.add_init_script(FIRST_FRAME_HOOK)
    page = context.new_page()
    page.goto(f"{site}/stage/{stage.slug}/")
    page.wait_for_selector('#stage-conn[data-state="open"]', timeout=15_000)
    return page


def video_time(page) -> float:
    return page.evaluate("document.getElementById('stage-video').currentTime")


def wait_playing(page, *, beyond: float = 0.0, timeout: int = 30_000) -> None:
    page.wait_for_function(f"(() => {{ const v = document.getElementById('stage-video');"
                           f" return !v.paused && v.readyState >= 3 && v.currentTime > {beyond}; }})()", timeout=timeout)


def test_a_typed_request_pops_up_a_playing_video_with_captions(browser, site, artifacts):
    off_the_loop(catalog_seed)
    stage = new_stage()
    with worker():
        page = stage_page(browser, site, stage)
        page.screenshot(path=artifacts / "stage-idle-1080p.png")
        page.fill("#stage-text", REQUEST)
        asked = time.monotonic()
        page.keyboard.press("Enter")

        page.wait_for_selector("#stage-player[open]", timeout=60_000)
        opened = time.monotonic() - asked
        wait_playing(page, beyond=0.2)
        playing = time.monotonic() - asked
        start = video_time(page)
        wait_playing(page, beyond=start + 0.5)  # time advances: it is really playing

        # hls.js feeds the element through Media Source Extensions (the growing HLS playlist).
        assert page.evaluate("document.getElementById('stage-video').currentSrc").startswith("blob:")
        # It started from what the first-segment event carried: the playlist and the init segment
        # from memory, the first segment fetched once (docs/stage.md, "Playback").
        started = page.evaluate(PLAYER_START_JS, page.get_attribute("#stage-player", "data-job"))
        assert started["primed"] is True, started
        assert "init.mp4" not in started["fetched"], started
        assert started["fetched"].count("seg_000.m4s") == 1, started
        assert all(at > started["level"] for at in started["playlist_fetches"]), started
        first = page.evaluate("window.__firstFrame")
        assert first["mean"] > 8 and first["bright"] > 0.005, first  # not black: the title and its text
        now = page.evaluate(SAMPLE_JS, page.locator("#stage-video").element_handle())
        assert now["mean"] > 8 and now["bright"] > 0.005, now

        # Captions: the WebVTT track arrives with the finished video and shows its cues.
        page.wait_for_function("(() => { const t = document.getElementById('stage-video').textTracks[0];"
                               " return t && t.mode === 'showing' && t.cues && t.cues.length > 0; })()", timeout=60_000)
        cues = page.evaluate("Array.from(document.getElementById('stage-video').textTracks[0].cues).map(c => c.text)")
        assert any("Lucy" in cue or "flight memory" in cue.lower() for cue in cues), cues
        assert page.locator("#stage-video track[kind=captions]").get_attribute("src").endswith("/captions.vtt")
        assert page.evaluate("document.getElementById('stage-video').poster").endswith("/poster.jpg")

        # Centred, modal, focus inside.
        box = page.locator("#stage-player").bounding_box()
        assert abs(box["x"] + box["width"] / 2 - 960) < 4 and abs(box["y"] + box["height"] / 2 - 540) < 4
        assert page.evaluate("document.getElementById('stage-player').contains(document.activeElement)")
        for _ in range(4):
            page.keyboard.press("Tab")
            assert page.evaluate("document.getElementById('stage-player').matches(':modal')")
        page.locator("#stage-video").focus()
        page.screenshot(path=artifacts / "stage-popup-1080p.png")

        page.keyboard.press("Escape")
        # The dialog's "close" event (which resets the stage) is dispatched after close() returns.
        page.wait_for_function("!document.getElementById('stage-player').open"
                               " && document.getElementById('stage').dataset.view === 'idle'")
        assert page.evaluate("document.getElementById('stage-video').paused")
        assert page.evaluate("document.activeElement.id") == "stage-text"
    job = off_the_loop(lambda: VideoJob.objects.get(stage=stage))
    assert job.state == "ready"
    print(f"\nstage timings: pop-up {opened:.2f} s, playing {playing:.2f} s after Enter; job {job.timings}")


def test_a_reloaded_page_resumes_the_render_and_still_pops_up_the_video(browser, site, artifacts):
    stage = new_stage(max_scenes=40)
    with worker() as celery:
        page = stage_page(browser, site, stage, role="viewer")
        job = off_the_loop(job_create, stage=stage, requester=None, request="a long video", storyboard=long_board(40))
        # Caught in the stage's event log, which misses no step, then frozen there: a fast machine renders
        # the 40 scenes in a few seconds, so the reload must not race the render.
        wait_for_event(stage.group, lambda event: str(event["payload"].get("step", "")).startswith("drawing scene 4/"),
                       timeout=60)
        with processes.paused(celery):
            assert off_the_loop(lambda: VideoJob.objects.get(pk=job.pk).state) == "rendering"
            page.wait_for_function(f"document.getElementById('stage-progress').dataset.job === '{job.pk}'")
            page.reload()
            # Straight from the server's snapshot, before any new event: the ring shows the job where it is.
            progress = page.locator("#stage-progress")
            assert progress.is_visible() and progress.get_attribute("data-job") == str(job.pk)
            assert progress.get_attribute("data-state") == "rendering"
            after_reload = int(progress.get_attribute("aria-valuenow"))
            assert after_reload >= 10
            page.screenshot(path=artifacts / "stage-reloaded-mid-render-1080p.png")
            seq = page.evaluate(f"JSON.parse(sessionStorage.getItem('visionspace.events.{stage.group}')).seq")
            assert seq > 0
            page.wait_for_selector('#stage-conn[data-state="open"]')
        # Then live again: the ring moves on from the events after that seq.
        page.wait_for_function(f"Number(document.getElementById('stage-progress').getAttribute('aria-valuenow')) > {after_reload}",
                               timeout=60_000)
        page.wait_for_selector("#stage-player[open]", timeout=60_000)
        assert page.get_attribute("#stage-player", "data-job") == str(job.pk)
        wait_playing(page, beyond=0.3)
        assert video_time(page) < 5  # from the start, not the growing playlist's live edge
        # From the snapshot, which carries no inline start: hls.js fetched the playlist itself.
        started = page.evaluate(PLAYER_START_JS, str(job.pk))
        assert started["primed"] is False and "index.m3u8" in started["fetched"], started
        assert page.locator("#player-status").inner_text().startswith("Still being made: ")
        page.wait_for_function("(() => { const t = document.getElementById('stage-video').textTracks[0];"
                               " return t && t.cues && t.cues.length > 0; })()", timeout=90_000)
    assert off_the_loop(lambda: VideoJob.objects.get(pk=job.pk).state) == "ready"


def test_the_player_keys_and_the_end_of_the_video(browser, site):
    stage = new_stage()
    with worker():
        page = stage_page(browser, site, stage)
        off_the_loop(job_create, stage=stage, requester=None, request="a short video", storyboard=short_board())
        page.wait_for_selector("#stage-player[open]", timeout=60_000)
        wait_playing(page)
        page.wait_for_function("document.getElementById('stage-video').textTracks.length > 0", timeout=60_000)
        page.keyboard.press("Space")
        page.wait_for_function("document.getElementById('stage-video').paused")
        paused_at = video_time(page)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"document.getElementById('stage-video').currentTime > {paused_at + 1}")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"document.getElementById('stage-video').currentTime < {paused_at + 1}")
        page.keyboard.press("f")
        page.wait_for_function("document.fullscreenElement && document.fullscreenElement.id === 'stage-video'")
        page.keyboard.press("f")
        page.wait_for_function("!document.fullscreenElement")
        page.keyboard.press("Enter")  # a remote's OK
        page.wait_for_function("!document.getElementById('stage-video').paused")
        # Left alone, the video plays to its end and the stage goes back to idle.
        page.wait_for_function("!document.getElementById('stage-player').open", timeout=30_000)
        assert page.get_attribute("#stage", "data-view") == "idle"


def test_the_mp4_seeks_over_http_ranges(browser, site):
    stage = new_stage()
    with worker():
        page = stage_page(browser, site, stage)
        job = off_the_loop(job_create, stage=stage, requester=None, request="a long video", storyboard=long_board(4))
        page.wait_for_function("document.getElementById('stage-video').textTracks.length > 0", timeout=60_000)
    mp4 = off_the_loop(lambda: VideoJob.objects.get(pk=job.pk).mp4)
    seeked = page.evaluate("""async (url) => {
        const v = document.createElement("video"); v.muted = true; v.preload = "auto"; v.src = url;
        document.body.append(v);
        await new Promise((ok, no) => { v.onloadedmetadata = ok; v.onerror = () => no(v.error.message); });
        v.currentTime = 14.5;
        await new Promise((ok) => { v.onseeked = ok; });
        return {time: v.currentTime, duration: v.duration, seekable: v.seekable.end(0)};
    }""", f"/stage/media/{mp4}")
    assert abs(seeked["time"] - 14.5) < 0.1 and seeked["duration"] > 19 and seeked["seekable"] > 19


def test_a_refusal_shows_what_would_work_and_a_suggestion_asks_again(browser, site):
    off_the_loop(catalog_seed)
    stage = new_stage()
    page = stage_page(browser, site, stage)
    page.fill("#stage-text", "show me the weather on mars")
    page.keyboard.press("Enter")
    alert = page.locator("#stage-alert")
    alert.wait_for(state="visible")
    assert "I can't show that yet" in alert.inner_text()
    assert page.locator("#stage-caption").inner_text() == "show me the weather on mars"
    page.locator("#stage-suggestions button", has_text=REQUEST).click()
    page.wait_for_selector('#stage-progress[data-state="queued"]')
    assert page.locator("#stage-request").inner_text() == f"“{REQUEST}”"
    assert off_the_loop(lambda: VideoJob.objects.filter(stage=stage).count()) == 1


def test_the_ring_notes_and_captions_follow_the_events(browser, site, artifacts):
    stage = new_stage()
    page = stage_page(browser, site, stage, role="viewer")
    assert page.locator("#stage-form").count() == 0
    job = "6f1c2b8e-8d53-4c7b-9d7e-1c1f0c6a2b10"
    off_the_loop(event_publish, group=stage.group, type="stage.job", payload={
        "job": job, "state": "rendering", "request": REQUEST, "step": "drawing scene 2/4", "fraction": 0.42,
        "attempt": 1, "message": "Drawing scene 2/4"})
    page.wait_for_function("document.getElementById('stage-progress').getAttribute('aria-valuenow') === '42'")
    assert page.locator("#stage-step").inner_text() == "Drawing scene 2/4"
    assert page.locator("#stage-percent").inner_text() == "42%"
    assert page.get_attribute("#ring-bar", "stroke-dashoffset") == "58"
    assert page.get_attribute("#stage", "data-view") == "working"
    page.screenshot(path=artifacts / "stage-progress-1080p.png")
    off_the_loop(event_publish, group=stage.group, type="stage.job", payload={
        "job": job, "state": "failed", "request": REQUEST, "step": "drawing scene 2/4", "fraction": 0.42,
        "error": "The video could not be made: boom"})
    page.locator("#stage-alert").wait_for()
    assert "boom" in page.locator("#stage-alert-text").inner_text()
    assert page.locator("#stage-progress").is_hidden() and page.get_attribute("#stage", "data-view") == "idle"
    off_the_loop(event_publish, group=stage.group, type="stage.note",
                 payload={"message": "Component from <b>x</b> skipped: timed out after 2 s.", "level": "warning"})
    off_the_loop(event_publish, group=stage.group, type="stage.caption", payload={"text": "show me the", "final": False})
    note = page.locator(".stage-note")
    note.wait_for()
    assert note.inner_text() == "Component from <b>x</b> skipped: timed out after 2 s."
    assert page.locator(".stage-note b").count() == 0
    page.wait_for_function("document.getElementById('stage-caption').textContent === 'show me the'")
    assert page.get_attribute("#stage-caption", "data-final") == "false"


@pytest.mark.parametrize("width, height", [(1280, 720), (3840, 2160)])
def test_the_idle_stage_fills_any_screen(browser, site, artifacts, width, height):
    stage = new_stage()
    page = stage_page(browser, site, stage, width=width, height=height)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    prompt = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.stage-prompt')).fontSize)")
    assert prompt >= 0.05 * height  # readable across a room
    box = page.locator(".stage-prompt").bounding_box()
    assert abs(box["x"] + box["width"] / 2 - width / 2) < width * 0.01
    page.screenshot(path=artifacts / f"stage-idle-{height}p.png")
