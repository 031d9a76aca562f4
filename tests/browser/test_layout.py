"""The site-wide layout with a keyboard and on a phone."""

import os
from pathlib import Path

import pytest

from tests.browser.helpers import focused

# Set ESSAIM_SCREENSHOTS=/some/dir to keep screenshots of the layout for a human to look at.
SCREENSHOTS = os.environ.get("ESSAIM_SCREENSHOTS")


def screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def tab_to(page, selector: str, *, limit: int = 30) -> int:
    """Press Tab until `selector` has focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    pytest.fail(f"{selector} was not reached with {limit} presses of Tab")


def test_first_tab_focuses_the_skip_link_and_enter_moves_focus_to_main(page):
    page.goto("/accessibilite/")
    page.keyboard.press("Tab")
    assert focused(page) == {
        "tag": "a",
        "id": "",
        "classes": ["skip-link"],
        "text": "Aller au contenu",
        "href": "#contenu",
    }
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contenu"
    assert page.evaluate("location.hash") == "#contenu"
    # The next Tab continues after the skip target, not from the top of the page.
    page.keyboard.press("Tab")
    assert not page.evaluate("document.querySelector('header').contains(document.activeElement)")


def test_header_search_submits_with_the_keyboard(page):
    page.goto("/accessibilite/")
    tab_to(page, "#header-q")
    page.keyboard.type("tours")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/?q=tours")
    assert page.input_value("#header-q") == "tours"


def test_focus_is_visible_on_links_and_buttons(page):
    page.goto("/")
    tab_to(page, ".main-nav a")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize("path", ["/", "/accessibilite/"])
def test_phone_width_has_no_horizontal_scroll(mobile_page, path):
    mobile_page.goto(path)
    widths = mobile_page.evaluate(
        "({page: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert widths == {"page": 375, "viewport": 375}
    screenshot(mobile_page, f"mobile{path.replace('/', '-').rstrip('-') or '-home'}")


def test_desktop_home_screenshot(page):
    page.goto("/")
    assert page.locator("h1").count() == 1
    screenshot(page, "desktop-home")
