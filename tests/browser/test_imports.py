"""The back office's import pages in a real browser: upload, the run's page, axe-core."""

from playwright.sync_api import expect

from essaim.initiatives.models import Initiative
from tests.browser.helpers import assert_accessible, log_in
from tests.initiatives.data_fixtures import FILES


def test_moderator_uploads_a_file_and_reads_the_run(page, live_server, moderator, settings,
                                                    tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    log_in(page, moderator, live_server.url)
    page.goto("/admin/initiatives/imports/")
    assert page.title() == "Importer des initiatives - Wagtail"
    assert_accessible(page)

    page.get_by_label("Fichier").set_input_files(str(FILES / "bom-utf8.csv"))
    page.get_by_label("Nom de la nouvelle source").fill("Jardins")
    page.get_by_role("button", name="Lancer l'import").click()
    expect(page.locator("[data-count=created]")).to_have_text("2")
    assert page.title() == "Import « Jardins » - Wagtail"
    assert_accessible(page)
    assert Initiative.objects.public().count() == 2
