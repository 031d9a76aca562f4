"""essaim add-source (URLs with feed discovery, --private, --theme, --opml), OPML export."""

import pytest
from django.core.management import CommandError, call_command

from essaim.veille.exports import opml
from essaim.veille.models import Source
from tests.veille.conftest import FILES

pytestmark = pytest.mark.django_db


def test_add_source_finds_the_feed_announced_by_a_web_page(feed_server, themes, capsys):
    call_command("add_source", feed_server.url("/files/page.html"), "--theme", "insertion")
    source = Source.objects.get()
    assert source.url == feed_server.url("/files/rss20.xml")  # the first announced feed
    assert (source.title, source.is_public) == ("Le Fil de l'ESS", True)
    assert [t.slug for t in source.themes.all()] == ["insertion"]
    assert source.items.count() == 3 and source.etag
    assert "Ajoutée : Le Fil de l'ESS" in capsys.readouterr().out


def test_add_source_takes_feed_urls_directly_and_marks_private_ones(feed_server):
    call_command("add_source", feed_server.url("/files/atom.xml"),
                 feed_server.url("/files/feed.json"), "--private")  # fmt: skip
    assert sorted(Source.objects.values_list("is_public", flat=True)) == [False, False]
    call_command("add_source", feed_server.url("/files/atom.xml"))  # already followed
    assert Source.objects.count() == 2


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/files/page_without_feed.html", "cette page n'annonce aucun flux"),
        ("/files/broken.xml", "XML mal formé"),
        ("/files/absent.xml", "404 (adresse introuvable)"),
    ],
)
def test_add_source_refuses_what_is_not_a_feed_with_exit_2(feed_server, capsys, path, words):
    with pytest.raises(CommandError) as error:
        call_command("add_source", feed_server.url(path))
    assert error.value.returncode == 2
    assert words in capsys.readouterr().err and not Source.objects.exists()


def test_unknown_theme_is_refused_with_exit_2(feed_server):
    with pytest.raises(CommandError, match="Thème inconnu : nulle-part") as error:
        call_command("add_source", feed_server.url("/files/atom.xml"), "--theme", "nulle-part")
    assert error.value.returncode == 2 and not Source.objects.exists()


def test_opml_import_creates_sources_with_themes_from_categories(themes, capsys):
    call_command("add_source", "--opml", str(FILES / "sources.opml"))
    sources = {s.title: {t.slug for t in s.themes.all()} for s in Source.objects.all()}
    assert sources == {"Le Fil de l'ESS": {"monnaies-locales"},
                       "Tiers-lieux du Centre": {"tiers-lieux", "insertion"}}  # fmt: skip
    assert "2 source(s) ajoutée(s), 0 déjà suivie(s)" in capsys.readouterr().out
    call_command("add_source", "--opml", str(FILES / "sources.opml"))
    assert Source.objects.count() == 2


def test_bad_opml_names_the_outline_and_writes_nothing():
    with pytest.raises(CommandError) as error:
        call_command("add_source", "--opml", str(FILES / "bad.opml"))
    assert error.value.returncode == 2
    assert "Outline n° 2 « Flux FTP » : adresse de flux invalide" in str(error.value)
    assert not Source.objects.exists()


def test_unreadable_opml_says_where(tmp_path):
    path = tmp_path / "x.opml"
    path.write_text("<opml><body><outline></body>")
    with pytest.raises(CommandError, match=r"OPML illisible \(ligne 1\)"):
        call_command("add_source", "--opml", str(path))


def test_opml_export_import_round_trip_keeps_public_sources_only(client, themes):
    public = Source.objects.create(url="https://a.example.org/feed", title="A",
                                   site_url="https://a.example.org/")  # fmt: skip
    public.themes.set([themes["insertion"]])
    Source.objects.create(url="https://secret.example.org/feed", title="S", is_public=False)
    exported = client.get("/veille/sources.opml").content
    assert exported == opml(title=exported.decode().split("<title>")[1].split("<")[0])
    Source.objects.all().delete()
    from essaim.veille import services

    assert services.import_opml(data=exported) == (1, 0)
    source = Source.objects.get()
    assert (source.url, source.title, source.site_url) == (
        "https://a.example.org/feed", "A", "https://a.example.org/")  # fmt: skip
    assert [t.slug for t in source.themes.all()] == ["insertion"]
