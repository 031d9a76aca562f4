"""Storing entries: sanitising, canonical links, keyword themes, initiative mentions."""

import re

import pytest
from django.utils import timezone

from essaim.initiatives.models import Initiative
from essaim.moderation.models import Status
from essaim.veille.matching import qualifies
from essaim.veille.models import Item, ItemMention, KeywordRule
from essaim.veille.parsing import parse
from essaim.veille.storing import canonical_link, store_entries
from tests.veille import factories
from tests.veille.conftest import FILES

pytestmark = pytest.mark.django_db
DANGER = re.compile(r"<script|<iframe|<object|<embed|<style|<form|<meta|<base|\bon\w+\s*=|"
                    r"javascript:|data:|style=", re.IGNORECASE)  # fmt: skip


def store(name: str, src=None):
    src = src or factories.source()
    feed = parse((FILES / name).read_bytes(), url="https://hostile.example.org/feed.xml")
    return store_entries(source=src, entries=feed.entries, now=timezone.now())


def test_hostile_html_is_sanitised_before_storage():
    created = store("hostile.xml")
    assert len(created) == 2
    for item in Item.objects.all():
        assert not DANGER.search(item.summary_html), item.summary_html
        assert "<script" not in item.title.lower()
    first = Item.objects.get(guid__endswith="hostile-1")
    assert first.title == "Titre piégé"
    assert 'href="https://ok.example.org/"' in first.summary_html
    assert Item.objects.get(guid__endswith="hostile-2").link == ""  # javascript: link dropped


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("https://Ex.org/a?utm_source=x&id=3&utm_medium=y#top", "https://ex.org/a?id=3"),
        ("http://ex.org:80/a?fbclid=1", "http://ex.org/a"),
        ("https://ex.org", "https://ex.org/"),
        ("javascript:alert(1)", ""),
        ("ftp://ex.org/a", ""),
    ],
)
def test_canonical_links_drop_tracking_and_fragments(raw, canonical):
    assert canonical_link(raw) == canonical


def test_keyword_rules_give_themes_whatever_the_case_and_accents(themes):
    KeywordRule.objects.create(theme=themes["monnaies-locales"], keywords="monnaie locale\nGabare")
    KeywordRule.objects.create(theme=themes["insertion"], keywords="chantiers d'insertion, IAE")
    store("rss20.xml")
    by_guid = {i.guid: {t.slug for t in i.themes.all()} for i in Item.objects.all()}
    assert by_guid == {"fil-ess-1042": {"monnaies-locales"}, "fil-ess-1041": set(),
                       "fil-ess-1040": {"insertion"}}  # fmt: skip


def test_source_themes_are_given_to_its_items(themes):
    src = factories.source()
    src.themes.set([themes["tiers-lieux"]])
    store("feed.json", src)
    assert {t.slug for i in Item.objects.all() for t in i.themes.all()} == {"tiers-lieux"}


def test_mentions_of_public_initiatives_are_suggested_by_whole_name():
    def initiative(name, status=Status.PUBLISHED):
        slug = name.lower().replace(" ", "-").replace("é", "e")
        return Initiative.objects.create(name=name, slug=slug, summary="…", status=status)

    veron = initiative("Ressourcerie du Véron")
    tours = initiative("Épicerie solidaire de Tours")
    initiative("Gabare")  # one word, under 8 characters: noise
    initiative("Ressourcerie du Véron bis", status=Status.PENDING)
    store("rss20.xml")
    mentions = ItemMention.objects.all()
    assert {(m.item.guid, m.initiative_id) for m in mentions} == {
        ("fil-ess-1042", veron.pk), ("fil-ess-1042", tours.pk)}  # fmt: skip
    assert {m.state for m in mentions} == {ItemMention.State.SUGGESTED}


def test_short_single_words_do_not_qualify_as_names():
    assert not qualifies("Gabare") and qualifies("Recyclerie") and qualifies("La Gabare")


def themes_by_guid():
    return {i.guid: {t.slug for t in i.themes.all()} for i in Item.objects.all()}


def test_editing_a_keyword_rule_rethemes_items_already_stored(
    themes, django_capture_on_commit_callbacks
):
    store("rss20.xml")
    assert themes_by_guid()["fil-ess-1042"] == set()

    with django_capture_on_commit_callbacks(execute=True):
        rule = KeywordRule.objects.create(theme=themes["monnaies-locales"], keywords="Gabare")
    assert themes_by_guid()["fil-ess-1042"] == {"monnaies-locales"}

    with django_capture_on_commit_callbacks(execute=True):
        rule.keywords = "chantiers d'insertion"
        rule.save()
    assert themes_by_guid() == {"fil-ess-1042": set(), "fil-ess-1041": set(),
                                "fil-ess-1040": {"monnaies-locales"}}  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        rule.delete()
    assert all(not slugs for slugs in themes_by_guid().values())


def test_rethemed_items_keep_their_source_themes_and_other_sources_are_untouched(
    themes, django_capture_on_commit_callbacks
):
    src, other = factories.source(), factories.source()
    store("rss20.xml", src)
    other_item = factories.item(other, title="Rien à voir")
    other_item.themes.set([themes["insertion"]])

    with django_capture_on_commit_callbacks(execute=True):
        src.themes.set([themes["tiers-lieux"]])
        KeywordRule.objects.create(theme=themes["monnaies-locales"], keywords="Gabare")

    assert themes_by_guid()["fil-ess-1042"] == {"tiers-lieux", "monnaies-locales"}
    assert themes_by_guid()["fil-ess-1041"] == {"tiers-lieux"}
    # The other source has no themes: a recompute drops what no rule nor source gives.
    assert themes_by_guid()[other_item.guid] == set()

    with django_capture_on_commit_callbacks(execute=True):
        src.themes.clear()
    assert themes_by_guid()["fil-ess-1041"] == set()
    assert themes_by_guid()["fil-ess-1042"] == {"monnaies-locales"}
