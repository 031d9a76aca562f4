import pytest

from essaim.common.templatetags.links import web_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://exemple.org/a?b=c", "https://exemple.org/a?b=c"),
        ("  http://exemple.org ", "http://exemple.org"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        (" javascript:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("//exemple.org", ""),
        ("https://", ""),
        ("http://[::1", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_only_web_addresses_become_link_targets(value, expected):
    assert web_url(value) == expected
