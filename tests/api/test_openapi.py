import pytest


@pytest.mark.django_db
def test_openapi_document_is_served_as_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    document = response.json()
    assert response.status_code == 200
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Essaim API"
    assert document["info"]["version"] == "1"
