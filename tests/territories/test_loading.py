import pytest
from django.core.management import call_command

from essaim.territories.models import EPCI, Commune, Departement, PostalCode, Region


def counts():
    return [m.objects.count() for m in (Region, Departement, EPCI, Commune, PostalCode)]


@pytest.mark.django_db
def test_the_session_database_holds_every_territory():
    assert counts() == [18, 101, 1255, 34875, 35359]


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_restores_edits(capsys):
    Commune.objects.filter(code="37261").update(name="Tours-sur-Loire", population=1)
    call_command("load_territories", "--no-index")
    tours = Commune.objects.get(code="37261")
    assert (tours.name, tours.name_folded, tours.population) == ("Tours", "tours", 139259)
    assert counts() == [18, 101, 1255, 34875, 35359]
    assert "34875 communes" in capsys.readouterr().out
