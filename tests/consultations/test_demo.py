import io
import time

import pytest

from essaim.consultations.demo import CLOSED, OPEN, load_demo
from essaim.consultations.models import Comment, Consultation, Kind, Phase, Proposal

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_and_an_open_consultation_and_is_idempotent(client):
    started = time.monotonic()
    load_demo(io.StringIO())
    assert time.monotonic() - started < 5
    load_demo(io.StringIO())
    closed, opened = Consultation.objects.get(slug=CLOSED), Consultation.objects.get(slug=OPEN)
    assert closed.phase == Phase.CLOSED and opened.phase == Phase.SUPPORTS
    assert not Proposal.objects.public().filter(consultation=closed, answer_state="").exists()
    assert Proposal.objects.public().filter(consultation=opened).count() == 4
    assert Comment.objects.public().filter(proposal__consultation=opened).count() == 3
    contribution = Proposal.objects.get(kind=Kind.CONTRIBUTION)
    assert contribution.sections.count() == 6
    html = client.get(contribution.get_absolute_url()).content.decode()
    assert "Sommaire" in html and "Documenter et évaluer" in html
    assert client.get(f"/consultations/{CLOSED}/resultats/").status_code == 200
