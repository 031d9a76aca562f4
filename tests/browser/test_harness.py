"""The harness itself: it must see what it claims to catch, or every other test is vacuous."""

import pytest

from tests.browser.helpers import PageProblems, assert_accessible, log_in

INJECT_INLINE_SCRIPT = """() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
}"""


@pytest.fixture
def watched_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    yield page, problems
    context.close()


def test_csp_refuses_an_inline_script_and_the_harness_reports_it(watched_page):
    page, problems = watched_page
    page.goto("/")
    page.evaluate(INJECT_INLINE_SCRIPT)
    assert page.evaluate("window.injected") is None
    assert len(problems.errors) == 1
    assert problems.errors[0].startswith("CSP violation: Executing inline script violates")


def test_csp_refuses_an_inline_style_and_the_harness_reports_it(watched_page):
    page, problems = watched_page
    page.goto("/")
    page.evaluate("() => document.querySelector('h1').setAttribute('style', 'color: red')")
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") != "rgb(255, 0, 0)"
    assert len(problems.errors) == 1
    assert problems.errors[0].startswith("CSP violation: Applying inline style violates")


def test_harness_reports_uncaught_exceptions(watched_page):
    page, problems = watched_page
    page.goto("/")
    page.evaluate("() => { setTimeout(() => { throw new Error('boom') }, 0) }")
    page.wait_for_timeout(50)
    assert problems.errors == ["uncaught exception: boom"]


def test_assert_accessible_lists_each_violation_with_its_target(page):
    page.goto("/")
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img id="no-alt" src="/static/img/essaim.svg">\')'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    assert "- image-alt (critical)" in str(failure.value)
    assert "#no-alt" in str(failure.value)


def test_signed_in_member_sees_the_account_links_and_no_violation(page, member, live_server):
    log_in(page, member, live_server.url)
    page.goto("/")
    account_links = page.locator(".account-nav li").all_inner_texts()
    assert account_links == ["Bob", "Se déconnecter"]
    assert_accessible(page)
