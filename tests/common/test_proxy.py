"""Behind a proxy, each visitor keeps their own address (and their own rate limit)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from essaim.common.middleware import ForwardedClientAddressMiddleware
from essaim.initiatives.models import Initiative
from essaim.taxonomy.models import Theme
from tests.initiatives.conftest import form_data


def address_seen(settings, hops: int, forwarded: str) -> str:
    settings.ESSAIM_PROXY_HOPS = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    ForwardedClientAddressMiddleware(lambda r: r.META["REMOTE_ADDR"])(request)
    return request.META["REMOTE_ADDR"]


def test_address_is_the_one_our_proxy_appended(settings):
    assert address_seen(settings, 1, "203.0.113.7") == "203.0.113.7"


def test_addresses_the_client_forged_are_ignored(settings):
    assert address_seen(settings, 1, "198.51.100.1, 203.0.113.7") == "203.0.113.7"


def test_two_proxies_deep_take_the_second_from_the_right(settings):
    assert address_seen(settings, 2, "198.51.100.1, 203.0.113.7, 10.0.0.9") == "203.0.113.7"


def test_too_short_a_header_leaves_the_proxy_address(settings):
    assert address_seen(settings, 2, "203.0.113.7") == "10.0.0.2"


@pytest.mark.django_db
def test_behind_a_proxy_the_rate_limit_counts_each_visitor_apart(client, settings):
    settings.ESSAIM_PROXY_HOPS = 1
    settings.ESSAIM_ANTISPAM_RATE_LIMIT = 2
    cache.clear()
    theme = Theme.objects.create(name="AMAP", slug="amap")

    def propose(name, visitor, forged="") -> None:
        data = form_data(name=name, summary="Objets.", themes=[theme.pk], postal_code="37500",
                         address="2 rue Voltaire", commune_label="Chinon",
                         proposer_email="lea@example.net", legal_form="association")  # fmt: skip
        forwarded = f"{forged}, {visitor}" if forged else visitor
        client.post("/initiatives/proposer/", data, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR=forwarded)  # fmt: skip

    for i, visitor in enumerate(["203.0.113.1", "203.0.113.2", "203.0.113.3"]):
        propose(f"Ressourcerie {i}", visitor)
    for i, forged in enumerate(["198.51.100.1", "198.51.100.2", "198.51.100.3"]):
        propose(f"Recyclerie {i}", "203.0.113.9", forged=forged)

    names = set(Initiative.objects.values_list("name", flat=True))
    assert {f"Ressourcerie {i}" for i in range(3)} <= names  # three visitors, one proxy
    assert len({n for n in names if n.startswith("Recyclerie")}) == 2  # forging does not help
    cache.clear()
