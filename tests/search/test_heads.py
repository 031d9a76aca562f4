"""PostgreSQL reads a window's first matches from the table's first blocks when the words
are frequent (a *head*), and only then from the GIN indexes (``postgres_windows``). A
window read with a head must count what the indexes count, list only visible matches,
and be the same on the next request, so that pages follow."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.models import IndexEntry

from bench import search_index
from essaim.initiatives.models import Initiative
from essaim.moderation.models import Status
from essaim.search import postgres_windows, services
from essaim.search.services import search

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="heads are PostgreSQL's (ctid, pg_stats)"
)


@pytest.fixture(autouse=True)
def empty_index(db):
    """An index table emptied for the test (and restored with it): each writing lands
    after the previous one (in a table with free space left by other tests' rows, new
    rows fill that space first)."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {IndexEntry._meta.db_table}")


@pytest.fixture
def cap_of_ten(monkeypatch):
    monkeypatch.setattr(services, "RESULTS_CAP", 10)


def add_initiatives(names: list[str], **fields) -> list[Initiative]:
    """Initiatives indexed in this order (the index table's physical order)."""
    initiatives = Initiative.objects.bulk_create(
        Initiative(name=name, slug=f"i-{number}", status=Status.PUBLISHED, **fields)
        for number, name in enumerate(names, start=Initiative.objects.count())
    )
    search_index.index_initiatives(after_pk=initiatives[0].pk - 1)
    return initiatives


def analyse_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {IndexEntry._meta.db_table}")
    postgres_windows.forget_statistics()


def initiative_type() -> int:
    return ContentType.objects.get_for_model(Initiative).pk


def first_visible_in_physical_order(count: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_id FROM {IndexEntry._meta.db_table} "  # noqa: S608 (a model's table)
            "WHERE content_type_id = %s ORDER BY ctid",
            [initiative_type()],
        )
        ids = [int(object_id) for (object_id,) in cursor.fetchall()]
    visible = dict(Initiative.objects.public().values_list("pk", "name"))
    return [visible[pk] for pk in ids if pk in visible][:count]


def read(query: str, **options):
    """Every result of ``query`` (names, pages of 50) and its counts, with the SQL run."""
    with CaptureQueriesContext(connection) as queries:
        results = search(query, per_page=50, **options)
    names = [hit.title for hit in results.hits]
    counts = [(count.count, count.is_capped) for count in results.counts]
    windows = next(q["sql"] for q in queries.captured_queries if "window_0" in q["sql"])
    return names, counts, windows


def read_without_heads(query: str, monkeypatch) -> tuple[list[str], list]:
    with monkeypatch.context() as patch:
        patch.setattr(postgres_windows, "HEAD_MAX_ROWS", 0)
        names, counts, windows = read(query)
    assert "ctid" not in windows
    return names, counts


def test_frequent_words_are_read_from_the_head_and_pages_follow(db, cap_of_ten):
    add_initiatives([f"Atelier vélo {n}" for n in range(300)])
    hidden = first_visible_in_physical_order(6)[2::3]
    Initiative.objects.filter(name__in=hidden).update(is_hidden=True)
    analyse_index()

    names, counts, windows = read("atelier vélo")
    again, _, _ = read("atelier vélo")

    assert "ctid <" in windows
    assert postgres_windows._statistics().head_blocks(["ateli", "velo"], initiative_type(), 11) > 0
    assert counts == [(10, True)]
    assert len(set(names)) == 10
    assert not set(hidden) & set(names)
    assert again == names


def test_matches_past_the_head_are_found_by_the_indexes(db, cap_of_ten, monkeypatch):
    """Two frequent words that never meet but in a few entries at the end of the table:
    the head finds nothing, the tail (GIN) finds those few."""
    add_initiatives([f"Atelier couture {n}" for n in range(150)])
    add_initiatives([f"Réparation vélo {n}" for n in range(150)])
    add_initiatives([f"Atelier vélo {n}" for n in range(3)])
    analyse_index()

    names, counts, windows = read("atelier vélo")

    assert "ctid <" in windows
    assert sorted(names) == ["Atelier vélo 0", "Atelier vélo 1", "Atelier vélo 2"]
    assert counts == [(3, False)]
    assert (names, counts) == read_without_heads("atelier vélo", monkeypatch)


def test_rare_words_are_read_through_the_indexes_only(db):
    add_initiatives([f"Atelier vélo {n}" for n in range(300)])
    add_initiatives(["Atelier vélo de Chambord"])
    analyse_index()

    names, counts, windows = read("atelier chambord")

    assert "ctid" not in windows
    assert names == ["Atelier vélo de Chambord"]


def test_the_indexes_look_up_the_rarest_word_and_the_infrequent_ones(db):
    add_initiatives([f"Atelier vélo {n}" for n in range(300)])
    add_initiatives([f"Atelier de Tours {n}" for n in range(2)])
    analyse_index()
    statistics = postgres_windows._statistics()

    assert statistics.indexed_terms(["ateli", "tour"]) == {"tour"}
    assert statistics.indexed_terms(["ateli", "velo"]) in ({"ateli"}, {"velo"})
    assert statistics.indexed_terms(["chambord", "zzzz"]) == {"chambord", "zzzz"}
    names, _, windows = read("atelier tours")
    assert sorted(names) == ["Atelier de Tours 0", "Atelier de Tours 1"]
    assert "ts_match_vq" in windows


def test_a_table_never_analysed_has_no_head(db):
    add_initiatives([f"Atelier vélo {n}" for n in range(50)])
    with connection.cursor() as cursor:  # as after a restore, before autovacuum
        cursor.execute(
            "DELETE FROM pg_statistic WHERE starelid = %s::regclass",
            [IndexEntry._meta.db_table],
        )
    postgres_windows.forget_statistics()

    names, _, windows = read("atelier vélo")

    assert "ctid" not in windows
    assert len(names) == 50
