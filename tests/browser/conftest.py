"""Playwright driving Debian's Chromium (/usr/bin/chromium) against a real Daphne."""

import os
from pathlib import Path

import pytest

from tests.support import processes

CHROMIUM = "/usr/bin/chromium"
# Flags that work on these machines (closed network, running as root, no GPU).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"



@pytest.fixture(scope="module")
def playwright_driver():
    """Per module: Playwright's loop must be gone before non-browser tests run again."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the CI script does).")
    # Playwright's sync API runs an event loop; Django refuses ORM calls under one unless told.
    # Only for this test process: subprocess_env() leaves it out of the servers it starts.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="module")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def microphone_args(wav: Path | None, *, allow: bool = True) -> list[str]:
    """Chromium flags for a fake microphone that plays ``wav`` (looped, from the start of each capture).

    Without ``allow`` the permission prompt is left to the browser, which in headless mode says no.
    """
    args = ["--use-fake-device-for-media-stream"]
    if wav is not None:
        args.append(f"--use-file-for-fake-audio-capture={wav}")
    if allow:
        args.append("--use-fake-ui-for-media-stream")
    return args


@pytest.fixture
def browser_with_microphone(playwright_driver):
    """A factory: ``browser_with_microphone(wav)`` launches a Chromium whose microphone plays ``wav``.

    The file is a launch flag, hence one browser per WAV; all are closed after the test.
    Chromium loops the file, so give it a long silent tail.
    """
    launched = []

    def launch(wav: Path | None, *, allow: bool = True):
        browser = playwright_driver.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS + microphone_args(wav, allow=allow), headless=True)
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


@pytest.fixture
def site(transactional_db):
    """A real Daphne on the test database; yields its base URL."""
    with processes.daphne() as host:
        yield f"http://{host}"


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def off_the_loop(function, /, **kwargs):
    """Run sync Django/Channels code from a test that holds Playwright's event loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, **kwargs).result(timeout=30)
