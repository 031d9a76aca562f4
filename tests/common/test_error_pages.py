"""Error pages speak French, say what to do, and never touch the database when rendered
without a request (500, CSRF failure, busy database)."""

import pytest
from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from essaim.common.middleware import BusyDatabaseMiddleware

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_french_404_with_search_and_the_site_navigation(client):
    response = client.get("/initiatives/nexiste-pas/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in html and 'action="/recherche/"' in html
    assert 'class="site-header"' in html  # the whole site around it, not a bare page


def test_a_refused_form_says_why_in_french_and_saves_nothing():
    from essaim.initiatives.models import Initiative

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/initiatives/proposer/", {"name": "Sans jeton"})

    html = response.content.decode()
    assert response.status_code == 403
    assert "Le formulaire n'a pas pu être vérifié" in html.replace("&#x27;", "'")
    assert "rechargez-la" in html
    assert not Initiative.objects.filter(name="Sans jeton").exists()


@pytest.mark.parametrize("template", ["500.html", "503.html", "403_csrf.html"])
def test_standalone_error_pages_render_without_a_request_or_a_query(template):
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(template, {})

    assert len(queries) == 0
    assert '<html lang="fr">' in html and "Retour à l'accueil" in html.replace("&#x27;", "'")


def test_a_database_busy_past_its_timeout_is_a_503_to_retry_not_a_500():
    middleware = BusyDatabaseMiddleware(lambda request: None)
    request = RequestFactory().post("/agenda/proposer/")

    response = middleware.process_exception(request, OperationalError("database is locked"))

    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "rien n'a été enregistré" in response.content.decode().replace("&#x27;", "'")
    other = OperationalError("no such table: agenda_event")
    assert middleware.process_exception(request, other) is None  # a real bug stays a 500
