"""Helpers and fixtures shared by the imports, exports, API and alerts tests."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from essaim.initiatives.models import ImportSource, Initiative
from essaim.moderation.models import ModerationEvent, PendingVersion, Status
from essaim.taxonomy.models import Theme

FILES = Path(__file__).parent / "files"


@pytest.fixture(name="themes")
def themes_fixture(db):
    return [
        Theme.objects.create(name="Alimentation", slug="alimentation"),
        Theme.objects.create(name="Réemploi", slug="reemploi"),
    ]


def make_initiative(status=Status.PUBLISHED, themes=(), **fields) -> Initiative:
    fields.setdefault("name", "Jardin partagé des Prébendes")
    fields.setdefault("slug", slugify(fields["name"]))
    fields.setdefault("summary", "Un jardin ouvert à tous.")
    initiative = Initiative.objects.create(status=status, **fields)
    initiative.themes.set(themes)
    return initiative


def run_command(*args) -> None:
    call_command("import_initiatives", *[str(a) for a in args])


def database_state() -> dict:
    """What an import may write, to prove that a failed one wrote nothing."""
    return {
        "initiatives": list(Initiative.objects.order_by("pk").values()),
        "themes": list(Initiative.themes.through.objects.order_by("pk").values()),
        "events": ModerationEvent.objects.count(),
        "versions": PendingVersion.objects.count(),
        "sources": list(ImportSource.objects.order_by("pk").values()),
    }


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)
