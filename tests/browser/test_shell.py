"""The shell in a real browser: big screens, keyboard, live updates over the websocket."""

import pytest

from apps.core.services import announcement_publish as _announcement_publish
from tests.browser.conftest import off_the_loop

pytestmark = pytest.mark.browser


def announcement_publish(**kwargs):
    return off_the_loop(_announcement_publish, **kwargs)


def open_page(browser, url, *, width=1280, height=720):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector('#live-state[data-state="open"]', timeout=15_000)
    return page


def test_it_connects_live_and_shows_announcements_as_text(browser, site, artifacts):
    page = open_page(browser, site + "/")
    announcement_publish(message='<img src=x onerror="window.pwned=1"> Fire drill at 3', level="warning", author="ops")
    banner = page.locator(".announcement")
    banner.wait_for(timeout=10_000)
    assert banner.inner_text() == '<img src=x onerror="window.pwned=1"> Fire drill at 3'
    assert banner.get_attribute("data-level") == "warning"
    assert page.locator(".announcement img").count() == 0
    assert page.evaluate("window.pwned") is None
    page.screenshot(path=artifacts / "shell-720p.png")


def test_a_reloaded_page_resumes_with_what_it_missed(browser, site):
    page = open_page(browser, site + "/")
    announcement_publish(message="first", level="info", author="ops")
    page.locator(".announcement", has_text="first").wait_for(timeout=10_000)
    page.goto("about:blank")  # away: the socket closes
    announcement_publish(message="sent while you were away", level="critical", author="ops")
    page.go_back()
    page.locator(".announcement", has_text="sent while you were away").wait_for(timeout=10_000)
    seq = page.evaluate("JSON.parse(sessionStorage.getItem('visionspace.events.public')).seq")
    assert seq >= 2


def test_keyboard_users_see_where_focus_is(browser, site):
    page = open_page(browser, site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") != ""


def test_type_scales_from_720p_to_4k(browser, site, artifacts):
    small = open_page(browser, site + "/", width=1280, height=720)
    large = open_page(browser, site + "/", width=3840, height=2160)
    size = "parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    assert small.evaluate(size) >= 40  # readable across a room at 720p
    assert large.evaluate(size) >= 2.5 * small.evaluate(size)
    # Nothing spills sideways on either screen.
    for page in (small, large):
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    large.screenshot(path=artifacts / "shell-4k.png")
