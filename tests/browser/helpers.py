"""Helpers for browser tests: accessibility checks with axe-core, log-in, focus."""

from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import ConsoleMessage, Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Older Chromium releases said "Refused to …"; Chromium 156 says "… violates the following
# Content Security Policy directive …".
CSP_MARKERS = ("Refused to", "Content Security Policy")
# WCAG 2.0 and 2.1, levels A and AA (what RGAA 4.1 maps to), plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page, *, disable: tuple[str, ...] = ()) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations.

    The script is evaluated through Playwright (the DevTools protocol), which the page's
    Content-Security-Policy does not govern: no <script> tag, no bypass_csp, so the strict
    policy stays enforced for everything the page itself does.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "rules": {rule: {"enabled": False} for rule in disable},
        "resultTypes": ["violations"],
    }
    results = page.evaluate("options => window.axe.run(document, options)", options)
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" — {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    {' > '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def assert_accessible(page: Page, *, disable: tuple[str, ...] = ()) -> None:
    """Fail listing every axe-core violation (rule, impact, help, target selectors).

    `disable` turns off named rules; give the reason next to the call.
    """
    violations = axe_violations(page, disable=disable)
    if violations:
        pytest.fail(
            f"axe-core found {len(violations)} violation(s) on {page.url}:\n"
            + describe(violations),
            pytrace=False,
        )


def log_in(page: Page, user, base_url: str) -> None:
    """Sign `user` in for this page's browser context (a session cookie, no form).

    `base_url` is the live server's (`live_server.url`).
    """
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def focused(page: Page) -> dict:
    """Describe the focused element: tag, id, classes, text, href."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, classes: [...el.classList],
                    text: el.textContent.trim(), href: el.getAttribute('href')};
        }"""
    )


class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen by one page."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        if any(marker in text for marker in CSP_MARKERS):
            # Checked first and on every level: report-only violations are warnings.
            self.errors.append(f"CSP violation: {text} ({message.location})")
        elif message.type == "error":
            self.errors.append(f"console error: {text} ({message.location})")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught exception: {error}")
