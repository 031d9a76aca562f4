"""The observatory's dashboard in Chromium: charts drawn, their tables reachable, axe clean."""

from playwright.sync_api import expect

from essaim.taxonomy.models import Theme
from tests.browser.helpers import assert_accessible
from tests.initiatives.map_data import make_initiative


def test_dashboard_draws_charts_with_their_tables_and_passes_axe(page):
    food = Theme.objects.create(name="Alimentation", slug="alimentation", position=1)
    for n in range(3):
        make_initiative(name=f"Épicerie {n}", lon=0.68 + n / 100, lat=47.39, commune_id="37261",
                        themes=[food])  # fmt: skip
    make_initiative(name="Recyclerie d'Orléans", lon=1.90, lat=47.90, commune_id="45234")

    page.goto("/observatoire/")

    themes = page.locator("#chart-initiatives-par-theme").locator("xpath=..")
    expect(themes.locator("svg rect.chart-bar")).to_have_count(1)
    themes.get_by_text("Voir les données en tableau").click()
    expect(themes.locator("table td.number").first).to_have_text("3")
    shaded = page.locator("#chart-carte-par-territoire").locator("xpath=..")
    expect(shaded.locator("svg path")).to_have_count(6)  # the six départements of the région
    assert shaded.locator("svg[role=img]").bounding_box()["height"] > 100
    assert_accessible(page)

    page.get_by_label("Territoire").select_option(label="Indre-et-Loire (37)")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("h1")).to_contain_text("Indre-et-Loire")
    expect(
        page.get_by_role("heading", name="Initiatives par intercommunalité").first
    ).to_be_visible()
    assert_accessible(page)


def test_a_chart_shown_on_another_site_is_drawn_in_its_frame(page, live_server):
    food = Theme.objects.create(name="Alimentation", slug="alimentation", position=1)
    make_initiative(name="Épicerie", lon=0.68, lat=47.39, commune_id="37261", themes=[food])
    page.goto("/observatoire/")
    themes = page.locator("#chart-initiatives-par-theme").locator("xpath=..")
    themes.get_by_text("Intégrer sur un autre site").click()
    code = themes.get_by_label("Code à copier dans votre page", exact=False).input_value()
    assert_accessible(page)

    # A partner's page (another origin: data: URL) framing the chart.
    page.set_content(f"<!doctype html><html lang='fr'><title>Partenaire</title><body>{code}")
    frame = page.frame_locator("iframe")
    expect(frame.locator("svg rect.chart-bar")).to_have_count(1)
    expect(frame.get_by_role("link", name="Source", exact=False)).to_have_attribute(
        "target", "_blank"
    )
