"""The real check: Debian's Chromium plays the MP4 natively and the HLS stream through hls.js
(the pop-up's path where native HLS is missing), from the first frame to the end."""

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"]
HLS_JS = Path(__file__).resolve().parents[3] / "node_modules" / "hls.js" / "dist" / "hls.min.js"

PLAY = """async ([id, source, useHls]) => {
  const video = document.getElementById(id);
  const errors = [];
  if (useHls) {
    const hls = new Hls();
    hls.on(Hls.Events.ERROR, (event, data) => errors.push(data.details + (data.fatal ? ' (fatal)' : '')));
    hls.loadSource(source);
    hls.attachMedia(video);
  } else {
    video.src = source;
  }
  const brightness = () => {
    const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 36;
    const context = canvas.getContext('2d'); context.drawImage(video, 0, 0, 64, 36);
    const data = context.getImageData(0, 0, 64, 36).data; let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += data[i] + data[i + 1] + data[i + 2];
    return sum / (data.length / 4) / 3;
  };
  return await new Promise((resolve) => {
    const samples = [];
    const timer = setInterval(() => { if (video.readyState >= 2) samples.push(brightness()); }, 100);
    const done = (result) => { clearInterval(timer); resolve({...result, errors, samples,
      duration: video.duration, width: video.videoWidth, height: video.videoHeight}); };
    video.addEventListener('error', () => done({error: video.error && video.error.message}));
    video.addEventListener('ended', () => done({ended: true}));
    setTimeout(() => done({timedOut: true, at: video.currentTime}), 30000);
    video.playbackRate = 4;
    video.play().catch((error) => done({error: String(error)}));
  });
}"""


@pytest.fixture
def served(rendered, tmp_path):
    if not HLS_JS.is_file():
        pytest.fail(f"{HLS_JS} is missing: run npm ci (the CI script does).")
    root = tmp_path / "web"
    shutil.copytree(rendered["output"].playlist.parent, root / "render")
    shutil.copy(HLS_JS, root / "hls.min.js")
    (root / "index.html").write_text('<!doctype html><video id="mp4" muted></video><video id="hls" muted></video>'
                                     '<script src="hls.min.js"></script>')

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_chromium_plays_the_mp4_and_the_hls_stream_to_the_end(served, rendered):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the CI script does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.goto(f"{served}/index.html")
            results = {
                "mp4": page.evaluate(PLAY, ["mp4", "render/video.mp4", False]),
                "hls": page.evaluate(PLAY, ["hls", "render/index.m3u8", True]),
            }
        finally:
            browser.close()
    for name, result in results.items():
        assert result.get("ended"), f"{name}: {result}"
        assert not [e for e in result["errors"] if "fatal" in e], f"{name}: {result['errors']}"
        assert (result["width"], result["height"]) == (1920, 1080)
        assert result["duration"] == pytest.approx(rendered["output"].duration_s, abs=0.1)
        samples = result["samples"]
        assert len(samples) > 10 and min(samples) > 5, f"{name} showed black frames: {samples}"
        assert max(samples) - min(samples) > 5, f"{name} never changed scene: {samples}"
