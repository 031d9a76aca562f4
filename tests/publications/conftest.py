"""Fixtures of the publications tests: an editor, themes, and article/dossier builders."""

import pytest
from wagtail.rich_text import RichText

from essaim.accounts.roles import Role
from essaim.publications.models import ArticleIndexPage, ArticlePage, DossierIndexPage, DossierPage
from essaim.taxonomy.models import Theme
from tests.conftest import make_user


@pytest.fixture
def editor(db, django_user_model):
    return make_user(django_user_model, "eddie@example.org", Role.EDITOR, display_name="Eddie")


@pytest.fixture
def facilitator(db, django_user_model):
    return make_user(django_user_model, "sacha@example.org", Role.FACILITATOR,
                     display_name="Sacha")  # fmt: skip


@pytest.fixture
def currencies(db):
    return Theme.objects.create(name="Monnaies locales", slug="monnaies-locales-test")


@pytest.fixture
def third_places(db):
    return Theme.objects.create(name="Tiers-lieux", slug="tiers-lieux-test")


def make_article(title, *, themes=(), territory="", live=True, body="Un texte court.", **extra):
    index = ArticleIndexPage.objects.get()
    article = ArticlePage(
        title=title, lead=f"Chapô de {title}", territory_key=territory, live=live,
        body=[("paragraph", RichText(f"<p>{body}</p>"))], **extra,
    )  # fmt: skip
    article.themes.set(themes)
    index.add_child(instance=article)
    article.save_revision()
    return article


def make_dossier(title, *, theme=None, items=(), live=True, **extra):
    index = DossierIndexPage.objects.get()
    dossier = DossierPage(title=title, lead=f"Chapô de {title}", theme=theme, live=live,
                          items=list(items), **extra)  # fmt: skip
    index.add_child(instance=dossier)
    return dossier
