"""The public history: published revisions only, authors' display names, readable diffs."""

import re

import pytest

from essaim.experiences import services
from essaim.experiences.history import word_diff
from essaim.experiences.models import ExperiencePage
from tests.experiences.conftest import COEDITOR_EMAIL

HISTORY = "/experiences/une-ressourcerie-itinerante/historique/"
ROWS = re.compile(r"<tr>\s*<td><time[^>]*>[^<]*</time></td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>")


def co_edit(sheet, user, note, **changes):
    page = ExperiencePage.objects.get(pk=sheet.pk)
    return services.save_co_edit(page=page, changes=changes, by=user, note=note)


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("La vente a marché.", "La vente n'a pas marché.") == [
        ("equal", "La vente "), ("insert", "n'"), ("equal", "a"), ("insert", " pas"),
        ("equal", " marché."),
    ]  # fmt: skip
    assert word_diff("trop cher.", "trop de carburant.") == [
        ("equal", "trop "), ("delete", "cher"), ("insert", "de carburant"), ("equal", "."),
    ]  # fmt: skip


@pytest.mark.django_db
def test_history_lists_publications_newest_first_with_names_and_notes(client, sheet, coeditor):
    co_edit(sheet, coeditor, "Chiffres 2023", lessons="<p>Vendre en boutique.</p>")

    html = client.get(HISTORY).content.decode()

    assert ROWS.findall(html) == [("Dominique", "Chiffres 2023"), ("Équipe du site", "—")]
    assert COEDITOR_EMAIL not in html and "coeditrice-secrete" not in html


@pytest.mark.django_db
def test_unpublished_drafts_never_appear_in_the_history(client, sheet, editor):
    page = ExperiencePage.objects.get(pk=sheet.pk)
    page.lessons = "<p>Brouillon confidentiel</p>"
    draft = page.save_revision(user=editor)

    html = client.get(HISTORY).content.decode()
    assert len(ROWS.findall(html)) == 1
    first = sheet.live_revision_id
    compare = f"{HISTORY}comparer/?de={first}&a={draft.pk}"
    assert client.get(compare).status_code == 404


@pytest.mark.django_db
def test_compare_shows_what_changed_between_two_publications(client, sheet, coeditor):
    before = sheet.live_revision_id
    after = co_edit(sheet, coeditor, "", what_did_not_work="<p>La vente itinérante coûtait "
                                                          "trop de carburant.</p>").pk  # fmt: skip

    response = client.get(f"{HISTORY}comparer/?de={before}&a={after}")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h2 id="diff-1">Ce qui n&#x27;a pas marché, et pourquoi</h2>' in html
    assert '<del><span class="visually-hidden">[retiré : </span>cher<' in html
    assert '<ins><span class="visually-hidden">[ajouté : </span>de carburant<' in html
    assert "Contexte et besoin" not in html  # unchanged sections are not listed


@pytest.mark.django_db
def test_history_links_each_publication_to_its_changes(client, sheet, coeditor):
    before = sheet.live_revision_id
    after = co_edit(sheet, coeditor, "", lessons="<p>Nouveau.</p>").pk

    html = client.get(HISTORY).content.decode()

    assert f"comparer/?de={before}&amp;a={after}" in html


@pytest.mark.django_db
def test_compare_refuses_revisions_of_another_sheet_and_garbage(client, index, sheet, coeditor):
    from tests.experiences.conftest import make_sheet

    other = make_sheet(index, "Autre fiche")
    mine = sheet.live_revision_id

    assert client.get(f"{HISTORY}comparer/?de={mine}&a={other.live_revision_id}").status_code == 404
    assert client.get(f"{HISTORY}comparer/?de=abc&a={mine}").status_code == 404
