"""Voice in, end to end in Chromium: espeak-ng speaks a WAV, Chromium's fake microphone plays
it into the stage page, the page streams it to the real VoiceConsumer on a real Daphne, a
real Celery worker renders the job, and the video pops up and plays. Push-to-talk (Space
held, and the on-screen button worked from the keyboard) and the wake phrase; a sentence
outside the grammar is refused with "didn't catch that" and makes no job."""

from __future__ import annotations

import secrets
from pathlib import Path

import numpy as np
import pytest

from apps.catalog.services import catalog_seed
from apps.stage.models import Stage
from apps.stage.services import stage_create
from apps.studio.models import VideoJob
from tests.browser.test_stage import FIRST_FRAME_HOOK, SAMPLE_JS, off_the_loop, video_time, wait_playing, worker
from tests.support.speech import RATE, silence, speak, speech_tools_missing, wav_write
from tests.support.users import session_cookie, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REQUEST = "show me the health of the prediction engine"
SERVICE = "prediction-engine"  # its slug in the seed catalogue
LEAD_S = 2.5   # silence before the sentence: the page is up and connected by then
TAIL_S = 60.0  # Chromium loops the file; the test is over long before it comes round again


@pytest.fixture(autouse=True, scope="module")
def speech_tools():
    missing = speech_tools_missing()
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: apt-get install espeak-ng ffmpeg")


def spoken_wav(directory: Path, text: str) -> tuple[Path, float]:
    """A WAV for the fake microphone, and where in it (seconds) the speech ends."""
    speech = speak(text)
    path = wav_write(directory / f"{secrets.token_hex(4)}.wav", np.concatenate([silence(LEAD_S), speech, silence(TAIL_S)]))
    return path, LEAD_S + len(speech) / RATE


def voice_stage(voice_mode: str) -> Stage:
    def create():
        catalog_seed()
        stage = stage_create(name="Voice wall", slug=f"voice-{secrets.token_hex(4)}")
        Stage.objects.filter(pk=stage.pk).update(voice_mode=voice_mode)
        stage.refresh_from_db()
        return stage

    return off_the_loop(create)


def open_stage(browser, site, stage):
    username = f"operator-{secrets.token_hex(3)}"
    cookie = off_the_loop(lambda: session_cookie(user_with_role("operator", username=username)))
    name, value = cookie.split("=", 1)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_cookies([{"name": name, "value": value, "url": site}])
    context.add_init_script(FIRST_FRAME_HOOK)
    page = context.new_page()
    page.goto(f"{site}/stage/{stage.slug}/")
    page.wait_for_selector('#stage-conn[data-state="open"]', timeout=15_000)
    return page


def captured_s(page) -> float:
    return page.evaluate("window.VisionSpaceVoice.timeline.frames") * 0.02


def file_position_s(page) -> float:
    """Where the fake microphone is in its file: it plays from the moment the page is granted the
    microphone, whether or not anything listens yet (so the frames captured are no clock for it)."""
    return page.evaluate("(performance.now() - window.VisionSpaceVoice.timeline.streamAt) / 1000")


def assert_before_the_speech(page) -> None:
    position = file_position_s(page)
    assert position < LEAD_S - 0.3, f"the page was ready {position:.2f} s into the microphone's file: the speech had begun"


def wait_mic(page, state: str, *, timeout: int = 15_000) -> None:
    """The mic badge reaches ``state``; else fail with what the voice socket and the capture did."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(f'#stage-mic[data-mic="{state}"]', timeout=timeout)
    except PlaywrightTimeout:
        said = page.evaluate("window.VisionSpaceVoice.timeline.messages.filter((m) => m.type !== 'pong')")
        raise AssertionError(f"the mic badge never showed {state!r} within {timeout} ms (it shows "
                             f"{page.get_attribute('#stage-mic', 'data-mic')!r}); {captured_s(page):.2f} s captured, "
                             f"{file_position_s(page):.2f} s into the file; the voice socket said {said}") from None


def voice_message(page, types: tuple[str, ...], *, timeout: int = 60_000) -> dict:
    """The first message of one of ``types`` the voice socket gave the page (the rest in the failure)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    js = f"window.VisionSpaceVoice.timeline.messages.find((m) => {list(types)!r}.includes(m.type))"
    try:
        page.wait_for_function(f"Boolean({js})", timeout=timeout)
    except PlaywrightTimeout:
        said = page.evaluate("window.VisionSpaceVoice.timeline.messages.filter((m) => m.type !== 'pong')")
        raise AssertionError(f"no {types} within {timeout} ms; the voice socket said {said}") from None
    return page.evaluate(js)


def assert_health_video(job: VideoJob, stage: Stage) -> None:
    """The job shows what was asked: the prediction engine's health chart (whatever filler words were heard)."""
    assert job.stage_id == stage.pk
    charts = [scene for scene in job.storyboard["scenes"] if scene["kind"] == "health_chart"]
    assert [scene["data"].get("slug") for scene in charts] == [SERVICE], job.storyboard


def assert_video_plays(page, job_id: str) -> None:
    page.wait_for_selector("#stage-player[open]", timeout=60_000)
    assert page.get_attribute("#stage-player", "data-job") == job_id
    wait_playing(page, beyond=0.2)
    start = video_time(page)
    wait_playing(page, beyond=start + 0.5)  # frames advance
    first = page.evaluate("window.__firstFrame")
    assert first["mean"] > 8 and first["bright"] > 0.005, first  # not black: the title and its text
    now = page.evaluate(SAMPLE_JS, page.locator("#stage-video").element_handle())
    assert now["mean"] > 8 and now["bright"] > 0.005, now
    # The page's own record of it, which bench/voice_to_video.py reads.
    entry = page.evaluate(f"window.VisionSpaceStage.timeline.jobs[{job_id!r}]")
    assert entry["firstFrame"] and entry["play"] and entry["events"].get("first_segment"), entry


def test_push_to_talk_space_held_shows_the_health_video(browser_with_microphone, site, tmp_path, artifacts):
    stage = voice_stage("push_to_talk")
    wav, speech_end_s = spoken_wav(tmp_path, REQUEST)
    with worker():
        page = open_stage(browser_with_microphone(wav), site, stage)
        page.wait_for_selector('#stage-mic[data-mic="ready"]', timeout=30_000)
        assert_before_the_speech(page)
        page.keyboard.down(" ")
        page.wait_for_selector('#stage-mic[data-mic="listening"]')
        wait_mic(page, "speech")
        # The server's VAD ends the turn at the end of the sentence, Space still held.
        final = voice_message(page, ("final", "refused"))
        page.keyboard.up(" ")
        assert final["type"] == "final", final
        assert set(final["timings"]) >= {"vad_end", "stt", "plan", "total"}
        assert captured_s(page) >= speech_end_s - LEAD_S  # (the page's clock is its capture: sanity)
        job = off_the_loop(lambda: VideoJob.objects.get(pk=final["job"]))
        assert job.request == final["text"]
        page.wait_for_function(f"document.getElementById('stage-caption').textContent === {final['text']!r}")
        assert_video_plays(page, final["job"])
        page.screenshot(path=artifacts / "stage-voice-popup-1080p.png")
        assert_health_video(job, stage)  # last: what was heard decides which video that is
    talks = page.evaluate("window.VisionSpaceVoice.timeline.talks")
    assert len(talks) == 1 and talks[0]["how"] == "hold"


def test_an_unknown_sentence_said_from_the_keyboard_is_not_caught_and_makes_no_job(
        browser_with_microphone, site, tmp_path):
    stage = voice_stage("push_to_talk")
    wav, _ = spoken_wav(tmp_path, "what is the weather today")
    page = open_stage(browser_with_microphone(wav), site, stage)
    page.wait_for_selector('#stage-mic[data-mic="ready"]', timeout=30_000)
    assert_before_the_speech(page)
    # Keyboard only: Tab from the text box past "Show me" to the talk button, Enter to talk.
    page.focus("#stage-text")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "voice-talk"
    page.keyboard.press("Enter")
    page.wait_for_selector('#voice-talk[aria-pressed="true"]')
    refused = voice_message(page, ("final", "refused"))
    assert refused["type"] == "refused", refused
    page.wait_for_selector('#voice-talk[aria-pressed="false"]')  # the turn ended by itself
    alert = page.locator("#stage-alert")
    alert.wait_for(state="visible")
    assert "didn't catch that" in alert.inner_text()
    assert page.get_attribute("#stage-mic", "data-mic") == "ready"
    assert off_the_loop(lambda: VideoJob.objects.filter(stage=stage).count()) == 0


def test_the_wake_phrase_shows_the_health_video_without_a_key(browser_with_microphone, site, tmp_path):
    stage = voice_stage("wake_phrase")
    wav, _ = spoken_wav(tmp_path, f"VisionSpace, {REQUEST}")
    with worker():
        page = open_stage(browser_with_microphone(wav), site, stage)
        wait_mic(page, "listening", timeout=30_000)
        assert_before_the_speech(page)
        assert page.inner_text("#stage-mic") == "Listening — say “VisionSpace, …”"
        assert page.is_hidden("#voice-talk")
        wait_mic(page, "speech")
        final = voice_message(page, ("final", "refused"))
        assert final["type"] == "final", final
        assert not final["text"].lower().startswith("vision")  # the wake phrase is not part of the request
        job = off_the_loop(lambda: VideoJob.objects.get(pk=final["job"]))
        assert job.request == final["text"]
        assert_video_plays(page, final["job"])
        assert_health_video(job, stage)
        assert page.evaluate("window.VisionSpaceVoice.timeline.talks") == []
