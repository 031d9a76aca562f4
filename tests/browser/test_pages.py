"""Every public page: no axe-core violation, no console error, no CSP violation."""

import pytest

from tests.browser.helpers import assert_accessible

# Add a page here when it exists: (path, what it is). The `page` fixture fails the test on
# any console error or CSP violation, so each entry checks that too.
# Pages still served by another app's placeholder are expected to fail (strict: the day
# they pass, the marker must go).
PUBLIC_PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/comptes/login/", id="login"),
    pytest.param("/comptes/signup/", id="signup"),
    pytest.param("/territoires/region-24/", id="territory-region"),
    pytest.param("/territoires/37261/", id="territory-commune"),
    pytest.param("/territoires/37/", id="territory-departement"),
    pytest.param("/themes/", id="themes"),
    pytest.param("/recherche/?q=tours", id="search"),
    pytest.param("/accessibilite/", id="accessibility-statement"),
    pytest.param("/plan-du-site/", id="site-map"),
    pytest.param("/donnees/", id="open-data"),
    pytest.param("/observatoire/", id="observatory"),
    pytest.param("/observatoire/?territoire=37", id="observatory-departement"),
    pytest.param("/mentions-legales/", id="legal-notice"),
    pytest.param("/confidentialite/", id="privacy"),
    pytest.param("/api/v1/docs", id="api-docs"),
    pytest.param("/territoires/37/embed/", id="territory-embed"),
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_accessibility_violation(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert_accessible(page)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_accessibility_violation_on_a_phone(mobile_page, path):
    mobile_page.goto(path)
    assert_accessible(mobile_page)
