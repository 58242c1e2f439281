"""The catalogue in a real browser: the wall on a 1080p screen, the keyboard, the filters
with and without JavaScript, the service page and the relations graph from 720p to 4K."""

from itertools import count

import pytest

from apps.catalog.services import catalog_seed
from tests.browser.conftest import off_the_loop
from tests.support.users import session_cookie, user_with_role

pytestmark = pytest.mark.browser

# WCAG relative luminance and contrast, computed on the colours the browser actually used.
CONTRAST_JS = """
(el) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bgEl = el, bg = getComputedStyle(el).backgroundColor;
  while (bg === "rgba(0, 0, 0, 0)" && bgEl.parentElement) { bgEl = bgEl.parentElement; bg = getComputedStyle(bgEl).backgroundColor; }
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


_users = count(1)


def signed_in_context(browser, site, *, width, height, javascript=True):
    username = f"viewer-{next(_users)}"
    cookie = off_the_loop(lambda: session_cookie(user_with_role("viewer", username=username)))
    name, value = cookie.split("=", 1)
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
    context.add_cookies([{"name": name, "value": value, "url": site}])
    return context


def test_the_wall_on_a_big_screen(browser, site, artifacts):
    off_the_loop(catalog_seed)
    page = signed_in_context(browser, site, width=1920, height=1080).new_page()
    page.goto(site + "/catalogue/")

    assert page.locator(".card").count() == 22
    counts = page.locator(".wall-counts").inner_text()
    for text in ("22", "11", "6", "5", "containerised", "need containerisation", "integration needed"):
        assert text in counts
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    name_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.card-name')).fontSize)")
    assert name_px >= 28  # readable from across a room at 1080p
    for badge in page.locator(".card .badge, .card .level, .card .health").all()[:30]:
        assert badge.evaluate(CONTRAST_JS) >= 4.5, badge.inner_text()
    page.screenshot(path=artifacts / "catalogue-wall.png")

    # Keyboard: Tab reaches a card, the focus is visible, Enter opens the service.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('card')"):
            break
    else:
        pytest.fail("Tab never reached a card")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    name = page.evaluate("document.activeElement.querySelector('.card-name').textContent")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalogue/*/")
    assert page.locator("h1").inner_text() == name

    # The filter form with JavaScript: htmx swaps only the grid and updates the address.
    page.goto(site + "/catalogue/")
    page.select_option("#id_status", "needs_containerisation")
    page.wait_for_function("document.querySelectorAll('.card').length === 6")
    assert "status=needs_containerisation" in page.url
    assert page.locator("h1").count() == 1 and page.locator(".wall-counts").count() == 1
    assert {b.inner_text() for b in page.locator(".card .badge").all()} == {"Needs containerisation"}

    # The service page, its tabs as plain links.
    page.goto(site + "/catalogue/visionspace-automation-hub/")
    assert page.locator(".graph .node").count() == 15  # itself, the 11 VLS and 3 integrations
    page.screenshot(path=artifacts / "catalogue-service.png", full_page=True)
    page.locator(".tabs").get_by_role("link", name="Container").click()
    page.wait_for_url("**?tab=container")
    assert "gcr.io/api-for-warp-drive/visionspace:latest" in page.locator(".tab-panel").inner_text()
    page.screenshot(path=artifacts / "catalogue-service-container.png", full_page=True)


def test_the_filters_work_without_javascript(browser, site):
    off_the_loop(catalog_seed)
    page = signed_in_context(browser, site, width=1280, height=720, javascript=False).new_page()
    page.goto(site + "/catalogue/")
    page.select_option("#id_status", "integration_needed")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**status=integration_needed**")
    assert page.locator(".card").count() == 5


@pytest.mark.parametrize("width,height", [(1280, 720), (3840, 2160)])
def test_the_graph_is_readable_from_720p_to_4k(browser, site, artifacts, width, height):
    off_the_loop(catalog_seed)
    page = signed_in_context(browser, site, width=width, height=height).new_page()
    page.goto(site + "/catalogue/graph/")
    assert page.locator(".graph .node").count() == 22
    label_px = page.evaluate("document.querySelector('.graph .node text').getBoundingClientRect().height")
    assert label_px >= (16 if width == 1280 else 36)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Every label fits inside its box.
    overflow = page.evaluate("""[...document.querySelectorAll('.graph .node')].filter(a => {
        const box = a.querySelector('rect').getBoundingClientRect(), text = a.querySelector('text').getBoundingClientRect();
        return text.right > box.right - 2 || text.bottom > box.bottom;
    }).map(a => a.dataset.slug)""")
    assert overflow == []
    page.screenshot(path=artifacts / f"catalogue-graph-{height}p.png", full_page=True)
