"""The benchmarks' data generators write raw SQL: they must follow the models as they
change (a NOT NULL column added to a model broke one unnoticed). Tiny volumes here; the
timings stay in bench/."""

import pytest

from bench import generate, generate_agenda
from essaim.agenda.models import Event
from essaim.initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def test_the_initiative_generator_writes_valid_rows():
    generate.generate(60)

    assert Initiative.objects.count() == 60
    assert Initiative.objects.public().exists()
    assert all(i.commune_id and i.latitude for i in Initiative.objects.all()[:10])


def test_the_event_generator_writes_valid_rows():
    generate_agenda.generate(30)

    assert Event.objects.count() == 30
    assert Event.objects.filter(occurrences__isnull=False).exists()
