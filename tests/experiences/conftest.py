"""Fixtures for experience sheets: the index page, sheets in each state, co-editors."""

import time

import pytest
from django.contrib.auth.models import Group
from django.utils.text import slugify

from essaim.accounts.roles import Role
from essaim.experiences.models import ExperienceCoEditor, ExperienceIndexPage, ExperiencePage
from essaim.moderation.antispam import TIMESTAMP_FIELD, issue_timestamp
from essaim.territories.models import Commune
from tests.conftest import make_user

TOURS = "37261"
COEDITOR_EMAIL = "coeditrice-secrete@equipe.example.org"


@pytest.fixture
def index(db) -> ExperienceIndexPage:
    """The /experiences/ page the data migration created."""
    return ExperienceIndexPage.objects.get()


def make_sheet(index, title="Une ressourcerie itinérante", *, publish=True, themes=(),
               commune=TOURS, co_editors=(), **fields) -> ExperiencePage:  # fmt: skip
    """A sheet under ``index``, published as a first revision unless ``publish`` is False."""
    fields.setdefault("slug", slugify(title))
    fields.setdefault("summary", "Un camion collecte des objets dans les villages.")
    fields.setdefault("outcome", "reussite-partielle")
    fields.setdefault("context", "<p>Pas de déchèterie à moins de 40 minutes.</p>")
    fields.setdefault("what_did_not_work", "<p>La vente itinérante coûtait trop cher.</p>")
    page = ExperiencePage(
        title=title, commune=Commune.objects.get(pk=commune) if commune else None,
        live=publish, **fields,
    )  # fmt: skip
    page.themes = list(themes)
    page.co_editors = [ExperienceCoEditor(user=user) for user in co_editors]
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ExperiencePage.objects.get(pk=page.pk)


@pytest.fixture
def coeditor(db, django_user_model):
    return make_user(django_user_model, COEDITOR_EMAIL, display_name="Dominique")


@pytest.fixture
def editor(db, django_user_model):
    user = make_user(django_user_model, "edith@example.org", Role.EDITOR, display_name="Edith")
    Group.objects.get(name=Role.EDITOR)  # made by the accounts migration, with page permissions
    return user


@pytest.fixture
def sheet(index, coeditor):
    return make_sheet(index, co_editors=[coeditor])


def form_data(**fields) -> dict:
    """A public form's data as a person who took ten seconds to fill it would send."""
    return {TIMESTAMP_FIELD: issue_timestamp(time.time() - 10), **fields}
