"""API access: CORS for public reads, per-client rate limits with their headers, API keys
made in the back office."""

import pytest
from django.core.cache import cache

from essaim.accounts.roles import Role
from essaim.api.models import ApiKey, digest
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/initiatives"


@pytest.fixture(autouse=True)
def limit(settings):
    cache.clear()
    settings.ESSAIM_API_RATE_LIMIT = 3
    yield 3
    cache.clear()


def make_key(**fields) -> tuple[ApiKey, str]:
    key = ApiKey(name="Partenaire", **fields)
    secret = key.issue()
    key.save()
    return key, secret


def test_each_answer_says_how_many_requests_remain(client):
    answers = [client.get(URL) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert answers[0]["RateLimit-Limit"] == "3"
    assert answers[0]["RateLimit-Policy"] == "3;w=60"
    assert 1 <= int(answers[0]["RateLimit-Reset"]) <= 61


def test_over_the_limit_the_api_answers_429_until_the_next_minute(client):
    for _ in range(3):
        client.get(URL)

    refused = client.get(URL)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "réessayez" in refused.json()["detail"]
    assert refused["Access-Control-Allow-Origin"] == "*"  # a browser client can read why
    # Another address has its own count; pages outside the API are not limited.
    assert client.get(URL, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/carte/").status_code == 200


def test_an_api_key_carries_its_own_limit_and_records_its_use(client):
    key, secret = make_key(rate_limit=10)
    for _ in range(3):
        client.get(URL)

    answer = client.get(URL, HTTP_X_API_KEY=secret)
    bearer = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert (answer.status_code, answer["RateLimit-Limit"]) == (200, "10")
    assert answer["RateLimit-Remaining"] == "9" and bearer["RateLimit-Remaining"] == "8"
    key.refresh_from_db()
    assert key.last_used_on is not None


def test_unknown_and_revoked_keys_are_refused_not_served_as_anonymous(client):
    key, secret = make_key(is_active=False)

    for header in ({"HTTP_X_API_KEY": secret}, {"HTTP_X_API_KEY": "ess_nope"},
                   {"HTTP_AUTHORIZATION": "Bearer ess_nope"}):  # fmt: skip
        answer = client.get(URL, **header)
        assert answer.status_code == 401, header
        assert answer.json()["detail"] == "Clé d'API inconnue ou révoquée."
        assert answer["WWW-Authenticate"].startswith("Bearer")


def test_only_a_digest_of_the_key_is_stored():
    key, secret = make_key()
    assert secret.startswith("ess_") and len(secret) > 40
    assert key.digest == digest(secret) and secret not in (key.digest, key.prefix)
    assert ApiKey.objects.for_key(secret) == key
    assert ApiKey.objects.for_key(secret + "x") is None


def test_reads_are_open_to_any_origin_without_credentials(client):
    answer = client.get(URL, HTTP_ORIGIN="https://partenaire.example")
    download = client.get("/donnees/territoires.csv", HTTP_ORIGIN="https://partenaire.example")
    page = client.get("/carte/", HTTP_ORIGIN="https://partenaire.example")

    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "RateLimit-Remaining" in answer["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in answer
    assert download["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in page


def test_preflight_requests_are_answered_without_counting(client):
    answer = client.options(URL, HTTP_ORIGIN="https://partenaire.example",
                            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key")  # fmt: skip

    assert answer.status_code == 204
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "GET" in answer["Access-Control-Allow-Methods"]
    assert "X-Api-Key" in answer["Access-Control-Allow-Headers"]
    assert client.get(URL)["RateLimit-Remaining"] == "2"


def test_no_limit_when_set_to_zero(client, settings):
    settings.ESSAIM_API_RATE_LIMIT = 0
    answers = [client.get(URL) for _ in range(5)]
    assert all(a.status_code == 200 and "RateLimit-Limit" not in a for a in answers)


def test_the_openapi_document_says_every_operation_may_answer_401_and_429(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["components"]["securitySchemes"]["cleApi"]["name"] == "X-Api-Key"
    assert {} in schema["security"]  # keys are optional
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations
    for operation in operations:
        assert {"401", "429"} <= set(operation["responses"]), operation["operationId"]


def test_an_administrator_makes_a_key_in_the_back_office_and_sees_it_once(
    client, django_user_model
):
    admin = make_user(django_user_model, "ada@example.org", Role.ADMINISTRATOR)
    client.force_login(admin)

    answer = client.post("/admin/snippets/api/apikey/add/",
                         {"name": "Portail régional", "contact_email": "dev@region.example",
                          "rate_limit": 5000, "is_active": "on"}, follow=True)  # fmt: skip

    key = ApiKey.objects.get(name="Portail régional")
    body = answer.content.decode()
    shown = body.split("créée : ")[1].split(" ")[0]
    assert ApiKey.objects.for_key(shown) == key and key.rate_limit == 5000
    listing = client.get("/admin/snippets/api/apikey/").content.decode()
    assert key.prefix in listing and shown not in listing


def test_members_cannot_make_keys(client, member):
    client.force_login(member)
    client.post("/admin/snippets/api/apikey/add/", {"name": "x", "rate_limit": 10})
    assert not ApiKey.objects.exists()


def test_the_api_page_documents_every_operation_without_third_party_script(client):
    schema = client.get("/api/v1/openapi.json").json()
    body = client.get("/api/").url and client.get("/api/v1/docs").content.decode()

    for path, operations in schema["paths"].items():
        for method in operations:
            assert f"{method.upper()} {path}" in body
    assert "<script" not in body.split("</header>", 1)[-1].split("<footer", 1)[0]
    assert "cdn." not in body and "X-Api-Key" in body
    assert "3 requêtes par minute" in body  # the limit in force, from the settings
