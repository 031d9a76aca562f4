"""Browser harness: Playwright's sync API driving Debian's Chromium against `live_server`.

Fixtures:
- `browser` (session): one headless Chromium, launched from /usr/bin/chromium with a fresh
  temporary user data dir (Playwright's `launch()` makes one per browser).
- `new_page` (factory): `new_page(width=1280, height=900)` opens a page in its own context
  (no shared cookies or storage) whose base URL is the live server. Any console error,
  uncaught exception or CSP violation on it fails the test at teardown.
- `page`: `new_page()` at desktop size; `mobile_page`: `new_page(width=375, height=812)`.

Helpers live in tests/browser/helpers.py (`assert_accessible`, `log_in`, `focused`,
`PageProblems`).
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.helpers import PageProblems

CHROMIUM = os.environ.get("ESSAIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # containers and CI run as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Nothing may reach the network: no update checks, no component or sync downloads.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser as `browser` and run them after the others.

    Running them last keeps Playwright's event loop (see `browser`) away from the rest
    of the suite when everything runs in one process.
    """
    ours = [item for item in items if BROWSER_DIR in Path(item.path).parents]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    items[:] = [item for item in items if item not in ours] + ours


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (not `playwright install`)")
    # Playwright's sync API runs an asyncio event loop in this thread, so Django believes
    # it is called from async code and refuses ORM calls made by tests and fixtures
    # (SynchronousOnlyOperation). Those calls are sequential with the browser, never
    # concurrent, so the check does not apply. Set only while the browser runs.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def territories(transactional_db):
    """Reloads the territory tree that the previous browser test's flush emptied.

    Browser tests are transactional (the live server runs in another thread), so the data
    loaded once in django_db_setup does not survive them; pages need it (~1.5 s a test).
    """
    from essaim.territories.loading import index_territories, load_territories
    from essaim.territories.models import Region

    if not Region.objects.exists():
        load_territories()
        index_territories()
    # The flush also emptied the role groups' permissions (recreated by post_migrate
    # before Wagtail's own permissions exist), recreated content types and left
    # rate-limit counters in the in-process cache the live server shares.
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    from essaim.accounts.services import sync_role_groups

    sync_role_groups()
    ContentType.objects.clear_cache()
    cache.clear()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., Page]]:
    opened: list[tuple[Page, PageProblems]] = []

    def open_page(*, width: int = 1280, height: int = 900, **context_options) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            locale="fr-FR",
            **context_options,
        )
        page = context.new_page()
        problems = PageProblems()
        page.on("console", problems.on_console)
        page.on("pageerror", problems.on_page_error)
        opened.append((page, problems))
        return page

    yield open_page
    errors = [error for _, problems in opened for error in problems.errors]
    for page, _ in opened:
        page.context.close()
    if errors:
        pytest.fail("The browser reported problems:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def mobile_page(new_page) -> Page:
    return new_page(width=375, height=812, is_mobile=True, has_touch=True)
