"""The stage's voice controls in Chromium against a stand-in voice socket (Playwright's
route_web_socket): what the page sends for push-to-talk (Space held, the button, the
remote key, the keyboard on the button), wake-phrase streaming, the mic badge, partial
captions, refusals, a blocked microphone, and who gets the controls. The real pipeline is
in test_stage_voice.py."""

from __future__ import annotations

import json
import secrets
import time

import numpy as np
import pytest

from apps.stage.models import Stage
from apps.stage.services import stage_create
from tests.browser.conftest import off_the_loop
from tests.support.speech import silence, speak, wav_write
from tests.support.users import session_cookie, user_with_role

pytestmark = [pytest.mark.browser]

FRAME_BYTES = 640  # 20 ms of 16 kHz s16le
READY = {"type": "ready", "sample_rate": 16000, "sample_format": "s16le", "channels": 1, "frame_ms": [20, 40],
         "mode": "push_to_talk", "wake_phrase": "VisionSpace", "max_utterance_s": 10, "idle_s": 30}


class FakeVoiceServer:
    """The server end of /ws/voice/<slug>/ inside Playwright: records what the page sends."""

    def __init__(self, mode: str = "push_to_talk"):
        self.mode = mode
        self.log: list = []  # "binary:<n>" for audio, else the JSON messages, in order
        self.socket = None

    def __call__(self, ws) -> None:
        self.socket = ws
        ws.on_message(self.receive)
        ws.send(json.dumps({**READY, "mode": self.mode}))

    def receive(self, message) -> None:
        self.log.append(f"binary:{len(message)}" if isinstance(message, bytes) else json.loads(message))

    def send(self, **message) -> None:
        self.socket.send(json.dumps(message))

    def controls(self) -> list[str]:
        return [m["type"] for m in self.log if isinstance(m, dict) and m["type"] != "ping"]

    def audio_frames(self) -> list[int]:
        return [int(m.split(":")[1]) for m in self.log if isinstance(m, str)]


@pytest.fixture(scope="module")
def quiet_wav(tmp_path_factory):
    path = tmp_path_factory.mktemp("voice") / "say.wav"
    return wav_write(path, np.concatenate([silence(0.3), speak("show me the fleet"), silence(60)]))


def new_stage(*, voice_mode: str | None = None, **fields):
    def create():
        stage = stage_create(name="Voice wall", slug=f"voice-{secrets.token_hex(4)}", **fields)
        if voice_mode is not None:  # stage_create does not take it (the admin sets it)
            Stage.objects.filter(pk=stage.pk).update(voice_mode=voice_mode)
            stage.refresh_from_db()
        return stage

    return off_the_loop(create)


def until(page, condition, *, what, timeout_s: float = 10.0) -> None:
    """Wait for a test-side condition (the stand-in server's log), letting Playwright deliver messages meanwhile."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what() if callable(what) else what}")
        page.wait_for_timeout(20)  # a polling tick with a deadline: the routed socket's messages arrive in it


def open_stage(browser, site, stage, server: FakeVoiceServer | None, *, role="operator", init_script: str = ""):
    username = f"{role}-{secrets.token_hex(3)}"
    cookie = off_the_loop(lambda: session_cookie(user_with_role(role, username=username)))
    name, value = cookie.split("=", 1)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_cookies([{"name": name, "value": value, "url": site}])
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    if server is not None:
        page.route_web_socket("**/ws/voice/**", server)
    page.goto(f"{site}/stage/{stage.slug}/")
    page.wait_for_selector('#stage-conn[data-state="open"]', timeout=15_000)
    return page


def wait_frames(page, server: FakeVoiceServer, at_least: int) -> None:
    until(page, lambda: len(server.audio_frames()) >= at_least, what=f"{at_least} audio frames at the server")


def mic(page) -> tuple[str, str]:
    return page.get_attribute("#stage-mic", "data-mic"), page.inner_text("#stage-mic")


def test_push_to_talk_with_space_held_sends_start_audio_and_stop(browser_with_microphone, site, quiet_wav, artifacts):
    stage = new_stage()
    server = FakeVoiceServer()
    page = open_stage(browser_with_microphone(quiet_wav), site, stage, server)
    page.wait_for_selector('#stage-mic[data-mic="ready"]', timeout=15_000)
    assert mic(page) == ("ready", "Hold Space to talk")
    assert page.is_visible("#voice-talk")
    assert "Hold Space" in page.inner_text("#voice-help")
    page.wait_for_function("window.VisionSpaceVoice.timeline.frames > 20")
    assert server.audio_frames() == []  # nothing leaves the page before the key is down
    assert page.evaluate("window.VisionSpaceVoice.timeline.contextRate") == 16000
    page.screenshot(path=artifacts / "stage-voice-ptt-1080p.png")

    page.keyboard.down(" ")
    page.wait_for_selector('#stage-mic[data-mic="listening"]')
    assert page.get_attribute("#voice-talk", "aria-pressed") == "true"
    wait_frames(page, server, 25)  # the 200 ms pre-roll and then live frames
    page.keyboard.up(" ")
    page.wait_for_selector('#stage-mic[data-mic="ready"]')
    until(page, lambda: "stop" in server.controls(), what="stop")
    assert server.controls() == ["start", "stop"]
    assert set(server.audio_frames()) == {FRAME_BYTES}
    first_audio = next(i for i, m in enumerate(server.log) if isinstance(m, str))
    assert server.log[first_audio - 1] == {"type": "start"}
    sent = len(server.audio_frames())
    page.wait_for_function("window.VisionSpaceVoice.timeline.frames > 0")
    talk = page.evaluate("window.VisionSpaceVoice.timeline.talks[0]")
    assert talk["stop"] > talk["start"] and talk["how"] == "hold"
    # Released: no more audio.
    frames_now = page.evaluate("window.VisionSpaceVoice.timeline.frames")
    page.wait_for_function(f"window.VisionSpaceVoice.timeline.frames > {frames_now + 10}")
    assert len(server.audio_frames()) == sent

    # The socket's partials and states show on the badge and in the caption; a refusal in the alert.
    server.send(type="listening", speech=True)
    page.wait_for_selector('#stage-mic[data-mic="speech"]')
    assert page.inner_text("#stage-mic") == "Hearing speech…"
    server.send(type="partial", text="show me the")
    page.wait_for_function("document.getElementById('stage-caption').textContent === 'show me the'")
    assert page.get_attribute("#stage-caption", "data-final") == "false"
    server.send(type="refused", text="what is the weather", suggestion="show me the fleet health",
                message="Sorry, I didn't catch that — try “show me the fleet health”.")
    page.wait_for_selector("#stage-alert:not([hidden])")
    assert "didn't catch that" in page.inner_text("#stage-alert-text")
    assert page.inner_text("#stage-suggestions button") == "show me the fleet health"
    page.wait_for_selector('#stage-mic[data-mic="ready"]')


def test_the_keyboard_and_the_remote_operate_the_talk_button(browser_with_microphone, site, quiet_wav):
    stage = new_stage()
    server = FakeVoiceServer()
    page = open_stage(browser_with_microphone(quiet_wav), site, stage, server)
    page.wait_for_selector('#stage-mic[data-mic="ready"]', timeout=15_000)

    # Space typed into the text box is text, not talk.
    page.click("#stage-text")
    page.keyboard.type("show me ")
    assert page.input_value("#stage-text") == "show me "
    assert server.controls() == []

    # Tab reaches the button; it shows where focus is; Enter toggles it on, Space toggles it off.
    page.keyboard.press("Tab")  # the "Show me" button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "voice-talk"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.wait_for_selector('#voice-talk[aria-pressed="true"]')
    assert "press again" in page.inner_text("#voice-talk")
    wait_frames(page, server, 5)
    page.keyboard.press(" ")
    page.wait_for_selector('#voice-talk[aria-pressed="false"]')

    # The remote's Record key (F8 on a keyboard): press to start, press to stop; also with the player's keys around.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("F8")
    page.wait_for_selector('#voice-talk[aria-pressed="true"]')
    # Playwright has no MediaRecord key; a remote's key event is what the page sees anyway.
    page.evaluate("document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'MediaRecord', bubbles: true}))")
    page.wait_for_selector('#voice-talk[aria-pressed="false"]')
    until(page, lambda: server.controls().count("stop") == 2, what=lambda: f"two stops, got {server.controls()}")
    assert server.controls() == ["start", "stop", "start", "stop"]
    assert page.input_value("#stage-text") == "show me "

    # The pointer: down talks, up stops.
    page.hover("#voice-talk")
    page.mouse.down()
    page.wait_for_selector('#voice-talk[aria-pressed="true"]')
    page.mouse.up()
    page.wait_for_selector('#voice-talk[aria-pressed="false"]')

    # A final from the server ends a toggled talk by itself.
    page.keyboard.press("F8")
    page.wait_for_selector('#voice-talk[aria-pressed="true"]')
    server.send(type="final", text="show me the fleet", job="6f1c2b8e-8d53-4c7b-9d7e-1c1f0c6a2b10", timings={})
    page.wait_for_selector('#voice-talk[aria-pressed="false"]')
    assert page.inner_text("#stage-caption") == "show me the fleet"


def test_wake_phrase_mode_streams_without_a_button(browser_with_microphone, site, quiet_wav, artifacts):
    stage = new_stage(voice_mode="wake_phrase")
    server = FakeVoiceServer(mode="wake_phrase")
    page = open_stage(browser_with_microphone(quiet_wav), site, stage, server)
    page.wait_for_selector('#stage-mic[data-mic="listening"]', timeout=15_000)
    assert page.inner_text("#stage-mic") == "Listening — say “VisionSpace, …”"
    assert page.is_hidden("#voice-talk")
    assert "“VisionSpace, show me the fleet health”" in page.inner_text("#voice-help")
    wait_frames(page, server, 25)
    assert server.controls() == []
    page.keyboard.press(" ")  # no push-to-talk here
    assert "start" not in server.controls()
    page.screenshot(path=artifacts / "stage-voice-wake-1080p.png")


def test_a_blocked_microphone_says_how_to_allow_it(browser_with_microphone, site, quiet_wav):
    stage = new_stage()
    page = open_stage(browser_with_microphone(quiet_wav, allow=False), site, stage, FakeVoiceServer())
    page.wait_for_selector('#stage-mic[data-mic="error"]', timeout=15_000)
    assert page.inner_text("#stage-mic") == ("Microphone blocked — allow it in the browser's site settings, "
                                             "then reload")
    page.keyboard.press(" ")
    assert page.get_attribute("#voice-talk", "aria-pressed") == "false"


def test_viewers_and_stages_with_voice_off_get_no_microphone(browser_with_microphone, site, quiet_wav):
    browser = browser_with_microphone(quiet_wav)
    viewer_page = open_stage(browser, site, new_stage(), None, role="viewer")
    off_page = open_stage(browser, site, new_stage(voice_mode="off"), None)
    for page in (viewer_page, off_page):
        assert page.locator("#stage-voice").count() == 0
        assert page.evaluate("typeof window.VisionSpaceVoice") == "undefined"
        assert mic(page) == ("off", "Microphone off")


# The latency under test, not a wait for anything: loading the worklet module takes 1 s longer.
SLOW_WORKLET = """
const addModule = AudioWorklet.prototype.addModule;
AudioWorklet.prototype.addModule = function (...args) {
  return new Promise((resolve) => setTimeout(resolve, 1000)).then(() => addModule.apply(this, args));
};
"""


def test_the_page_hears_the_microphone_from_its_first_sample(browser_with_microphone, site, tmp_path):
    """A microphone delivers from the grant on: the worklet is loaded before it is asked for.
    Its module takes a second longer to load here, as on a busy machine; a tone 0.5 s into the fake
    microphone's file must still be captured 0.5 s after the first frame."""
    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(1600) / 16000) * 32767).astype(np.int16)
    wav = wav_write(tmp_path / "tone.wav", np.concatenate([silence(0.5), tone, silence(30)]))
    page = open_stage(browser_with_microphone(wav), site, new_stage(), FakeVoiceServer(), init_script=SLOW_WORKLET)
    page.wait_for_selector('#stage-mic[data-mic="ready"]', timeout=15_000)
    page.wait_for_function("window.VisionSpaceVoice.timeline.frames > 60")
    peaks = page.evaluate("window.VisionSpaceVoice.timeline.peaks(0, 60)")
    onset = next((f for f, peak in enumerate(peaks) if peak > 0.1), None)
    assert onset is not None and abs(onset - 25) <= 3, peaks  # 0.5 s = 25 frames of 20 ms
