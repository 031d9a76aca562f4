"""CSRF everywhere: every URL of the project refuses a POST that carries no CSRF token,
and every POST form in our templates carries ``{% csrf_token %}``.

The URL walk covers the whole resolver (our apps, allauth, Wagtail's admin and pages):
Django's CSRF middleware rejects a token-less POST before any view runs, so a resolved
URL that does not answer 403 "CSRF" is exempt — and must be in ``EXEMPT`` with its reason.
"""

import functools
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# URL prefix -> why the CSRF middleware does not refuse a token-less POST there. The
# walk below proves, signed in as staff, that such a POST is refused all the same.
EXEMPT = {
    # Wagtail's admin API (Django REST framework views are exempt from the middleware):
    # anonymous requests are sent to the login page, and DRF's session authentication
    # enforces CSRF itself for signed-in staff.
    "/admin/api/main/": "Django REST framework checks CSRF for session users",
}
UUID = "00000000-0000-0000-0000-000000000000"
SAMPLES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": UUID}
ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
# Patterns too irregular for ``sample_url``, with a URL they match.
KNOWN = {r"^((?:[\w\-]+/)*)$": "/une-page-wagtail/"}  # Wagtail's page tree (serve)
REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?([^()]*)\)[?*+]?")


def leaves(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from leaves(pattern, text)
        elif isinstance(pattern, URLPattern):
            yield text, pattern


def sample_url(pattern_text: str) -> str:
    """A concrete URL matching ``pattern_text`` (route and regex syntax mixed)."""
    if pattern_text in KNOWN:
        return KNOWN[pattern_text]
    url = ROUTE_PARAM.sub(lambda m: SAMPLES.get(m["conv"] or "str", "x"), pattern_text)
    url = REGEX_GROUP.sub(lambda m: "1" if r"\d" in m[1] else "x", url)
    url = url.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + url.lstrip("/")


@functools.cache
def project_urls() -> list[tuple[str, str]]:
    """(URL, view name) for every leaf pattern; fails on a pattern no sample URL reaches."""
    found, unreachable = {}, []
    for text, _pattern in leaves(get_resolver()):
        url = sample_url(text)
        try:
            match = resolve(url)
        except Resolver404:
            unreachable.append(text)
            continue
        found.setdefault(url, match.view_name or match._func_path)
    assert unreachable == [], f"no sample URL for: {unreachable}"
    return tuple(sorted(found.items()))


def refuses_post(response) -> bool:
    """Refused by the CSRF check, or a view that takes no POST at all (405)."""
    csrf = response.status_code == 403 and b"CSRF" in response.content
    return csrf or response.status_code == 405


def test_every_url_refuses_a_post_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    not_refused = {}
    for url, view in project_urls():
        if any(url.startswith(prefix) for prefix in EXEMPT):
            continue
        response = client.post(url, {"name": "x"})
        if not refuses_post(response):
            not_refused[url] = (view, response.status_code)
    assert not_refused == {}, "\n".join(f"{u} {v}" for u, v in not_refused.items())


def test_exempt_urls_refuse_a_post_without_token_from_signed_in_staff(django_user_model):
    staff = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    exempt = [url for url, _view in project_urls() if url.startswith(tuple(EXEMPT))]

    accepted = {url: client.post(url, {"name": "x"}).status_code for url in exempt}

    assert exempt
    assert {url: code for url, code in accepted.items() if code not in (403, 405)} == {}


def test_the_walk_reaches_forms_of_every_module():
    urls = {url for url, _view in project_urls()}

    # A few known POST targets: if the walk missed them, the test above would prove nothing.
    for expected in ["/initiatives/proposer/", "/agenda/proposer/", "/admin/login/",
                     "/comptes/login/", "/veille/abonnement/"]:  # fmt: skip
        assert expected in urls


POST_FORM = re.compile(r"<form\b[^>]*\bmethod\s*=\s*[\"']?post\b[^>]*>(.*?)</form>",
                       re.IGNORECASE | re.DOTALL)  # fmt: skip


def our_templates() -> list[Path]:
    return sorted((ROOT / "essaim").rglob("templates/**/*.html"))


def test_every_post_form_in_our_templates_carries_a_csrf_token():
    missing = []
    for template in our_templates():
        for number, form in enumerate(POST_FORM.findall(template.read_text()), start=1):
            if "{% csrf_token %}" not in form:
                missing.append(f"{template.relative_to(ROOT)} (formulaire n° {number})")
    assert missing == []


def test_the_template_scan_sees_post_forms():
    forms = sum(len(POST_FORM.findall(t.read_text())) for t in our_templates())

    assert forms >= 10
