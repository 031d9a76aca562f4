import http.server
import threading
from functools import partial

import pytest
from django.core.management.base import CommandError

from essaim.initiatives.models import GeocodingState, ImportRun, ImportSource, Initiative
from essaim.initiatives.signals import initiatives_changed
from essaim.moderation.models import ModerationEvent, PendingVersion, Status
from tests.initiatives.data_fixtures import (
    FILES,
    database_state,
    make_initiative,
    run_command,
    themes_fixture,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db


def by_key(source_name: str) -> dict[str, Initiative]:
    found = Initiative.objects.filter(source__name=source_name).prefetch_related("themes")
    return {i.source_key: i for i in found}


def test_semicolon_latin1_csv_is_read_with_french_headers(themes):
    run_command(FILES / "semicolon-latin1.csv", "--source", "cress")

    records = by_key("cress")
    assert sorted(records) == ["R1", "R2", "R3"]
    first = records["R1"]
    assert (first.name, first.commune_id, first.postal_code) == (
        "Ressourcerie du Cher",
        "18033",
        "18000",
    )
    assert (first.latitude, first.longitude, first.geocoding) == (
        47.081,
        2.398,
        GeocodingState.EXACT,
    )
    assert (first.siret, first.email, first.email_public) == (
        "12345678900012",
        "contact@ressourcerie.example",
        False,
    )
    assert first.legal_form == "association"
    assert [t.slug for t in first.themes.all()] == ["alimentation"]
    assert records["R2"].name == "Café associatif Élan"
    assert records["R2"].geocoding == GeocodingState.COMMUNE
    assert records["R2"].legal_form == "scop"
    assert records["R3"].commune.departement_id == "45"  # nearest commune to the point
    assert {i.status for i in records.values()} == {Status.PUBLISHED}


def test_utf8_csv_with_bom_and_english_headers(themes):
    run_command(FILES / "bom-utf8.csv", "--source", "jardins")

    records = by_key("jardins")
    assert records["J1"].name == "Jardin partagé des Prébendes"
    assert records["J1"].website == "https://jardin.example.org"
    assert records["J2"].commune.name == "Blois"


def test_geojson_reads_nom_or_name_and_point_geometry(themes):
    run_command(FILES / "initiatives.geojson", "--source", "geo")

    records = by_key("geo")
    assert records["g1"].commune_id == "45234"
    assert (records["g1"].longitude, records["g1"].latitude) == (1.9093, 47.9029)
    assert records["g2"].name == "Tiers-lieu du Loir"
    assert records["g2"].description == "Un lieu partagé."


def test_gogocarto_elements_json(themes):
    run_command(FILES / "gogocarto.json", "--format", "gogocarto", "--source", "transiscope")

    records = by_key("transiscope")
    assert records["aB3x"].commune.name == "Châteauroux"
    assert records["aB3x"].address == "2 rue de la Gare"
    assert [t.slug for t in records["aB3x"].themes.all()] == ["alimentation"]
    assert [t.slug for t in records["cD4y"].themes.all()] == ["reemploi"]


def test_reimport_updates_instead_of_duplicating(themes, tmp_path):
    run_command(FILES / "bom-utf8.csv", "--source", "jardins")
    changed = FILES.joinpath("bom-utf8.csv").read_bytes().replace(b"Roue Libre", b"Roue Libre 2")
    (tmp_path / "bom-utf8.csv").write_bytes(changed)

    run_command(tmp_path / "bom-utf8.csv", "--source", "jardins")

    assert Initiative.objects.count() == 2
    assert by_key("jardins")["J2"].name == "Atelier vélo Roue Libre 2"
    run = ImportRun.objects.first()
    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)


def test_local_edit_is_never_overwritten_but_proposed_as_a_version(themes, tmp_path):
    run_command(FILES / "bom-utf8.csv", "--source", "jardins")
    local = by_key("jardins")["J2"]
    local.summary = "Corrigé à la main"
    local.save()
    changed = FILES.joinpath("bom-utf8.csv").read_bytes().replace(b"Roue Libre", b"Roue Folle")
    (tmp_path / "bom-utf8.csv").write_bytes(changed)

    run_command(tmp_path / "bom-utf8.csv", "--source", "jardins")
    run_command(tmp_path / "bom-utf8.csv", "--source", "jardins")  # no second version

    local.refresh_from_db()
    assert (local.name, local.summary) == ("Atelier vélo Roue Libre", "Corrigé à la main")
    versions = PendingVersion.for_object(local)
    assert versions.count() == 1
    assert versions.get().changes["name"] == "Atelier vélo Roue Folle"


def test_full_import_archives_records_gone_from_the_source(themes, tmp_path):
    run_command(FILES / "bom-utf8.csv", "--source", "jardins")
    lines = FILES.joinpath("bom-utf8.csv").read_text(encoding="utf-8-sig").splitlines()
    (tmp_path / "one.csv").write_text("\n".join(lines[:2]), encoding="utf-8")

    run_command(tmp_path / "one.csv", "--source", "jardins")  # partial: nothing archived
    assert by_key("jardins")["J2"].status == Status.PUBLISHED
    run_command(tmp_path / "one.csv", "--source", "jardins", "--full")

    gone = by_key("jardins")["J2"]
    assert gone.status == Status.ARCHIVED
    event = ModerationEvent.for_object(gone).last()
    assert (event.action, event.reason) == ("archived", "Disparu de la source « jardins »")
    assert by_key("jardins")["J1"].status == Status.PUBLISHED


def test_pending_option_and_source_setting_queue_new_records(themes):
    run_command(FILES / "bom-utf8.csv", "--source", "jardins", "--pending")
    ImportSource.objects.create(name="prudente", kind="geojson", publish_directly=False)
    run_command(FILES / "initiatives.geojson", "--source", "prudente")

    assert set(Initiative.objects.values_list("status", flat=True)) == {Status.PENDING}
    assert Initiative.objects.public().count() == 0


def test_unknown_theme_is_a_warning_not_an_error(themes, tmp_path):
    (tmp_path / "t.csv").write_text("nom,themes\nA,alimentation;inconnu\n", encoding="utf-8")
    run_command(tmp_path / "t.csv", "--source", "t")

    assert [t.slug for t in by_key("t")["a"].themes.all()] == ["alimentation"]
    assert "thème « inconnu » inconnu, ignoré" in ImportRun.objects.get().message


def test_mapping_option_maps_unusual_columns(tmp_path):
    (tmp_path / "m.csv").write_text("Raison sociale|Code\nCoop du coin|37261\n", encoding="utf-8")
    run_command(
        tmp_path / "m.csv", "--source", "m", "--mapping", "Raison sociale=nom,Code=code_insee"
    )

    assert Initiative.objects.get().commune.name == "Tours"


BAD_INPUTS = {
    "missing-name.csv": ("nom;latitude;longitude\n;47;1\n", "ligne 2, champ « nom » : obligatoire"),
    "bad-lat.csv": ("nom,latitude,longitude\nA,47,1\nB,abc,1\n", "ligne 3, champ « latitude »"),
    "out-of-range.csv": ("nom,latitude,longitude\nA,95,1\n", "hors des bornes"),
    "half-point.csv": ("nom,latitude\nA,47\n", "il faut la latitude et la longitude"),
    "bad-insee.csv": ("nom,code_insee\nA,99999\n", "aucune commune n'a ce code"),
    "duplicate-id.csv": ("id,nom\n1,A\n1,B\n", "« 1 » déjà vu (ligne 2)"),
    "bad-siret.csv": ("nom,siret\nA,123\n", "un SIRET a 14 chiffres"),
    "bad.geojson": ('{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "f9", '
                    '"properties": {"description": "x"}, "geometry": null}]}',
                    "objet n° 1 (id f9), champ « nom » : obligatoire"),
    "line.geojson": ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties":'
                     ' {"nom": "A"}, "geometry": {"type": "LineString", "coordinates": []}}]}',
                     "un Point [longitude, latitude] est attendu"),
}  # fmt: skip


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_exits_2_naming_the_record_and_writes_nothing(name, tmp_path):
    make_initiative(name="Déjà là")
    content, expected = BAD_INPUTS[name]
    (tmp_path / name).write_text(content, encoding="utf-8")
    before = database_state()

    with pytest.raises(CommandError) as error:
        run_command(tmp_path / name, "--source", "neuve")

    assert error.value.returncode == 2
    assert expected in str(error.value)
    assert database_state() == before


def test_malformed_json_exits_2(tmp_path):
    before = database_state()
    with pytest.raises(CommandError) as error:
        run_command(FILES / "malformed.geojson")
    assert error.value.returncode == 2
    assert "JSON mal formé" in str(error.value)
    assert database_state() == before


def test_forced_utf8_on_a_latin1_file_is_a_bad_encoding(tmp_path):
    before = database_state()
    with pytest.raises(CommandError) as error:
        run_command(FILES / "semicolon-latin1.csv", "--encoding", "utf-8")
    assert error.value.returncode == 2
    assert "Encodage illisible" in str(error.value)
    assert database_state() == before


def test_a_late_error_leaves_earlier_valid_rows_unwritten(tmp_path):
    rows = "".join(f"Initiative {n},47,1\n" for n in range(2500))
    (tmp_path / "long.csv").write_text(f"nom,latitude,longitude\n{rows},47,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run_command(tmp_path / "long.csv")
    assert "ligne 2502, champ « nom »" in str(error.value)
    assert Initiative.objects.count() == 0


@pytest.fixture
def local_server(tmp_path):
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(FILES))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_import_from_a_local_server(themes, local_server):
    run_command(f"{local_server}/gogocarto.json", "--source", "transiscope")

    assert sorted(by_key("transiscope")) == ["aB3x", "cD4y"]
    assert ImportSource.objects.get(name="transiscope").url.endswith("/gogocarto.json")


def test_unreachable_url_exits_2(local_server):
    with pytest.raises(CommandError) as error:
        run_command(f"{local_server}/absent.csv")
    assert error.value.returncode == 2
    assert "Téléchargement impossible" in str(error.value)


def test_import_sends_initiatives_changed_with_the_ids(themes, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, ids, **kwargs):
        received.extend(ids)

    initiatives_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_command(FILES / "bom-utf8.csv", "--source", "jardins")
    finally:
        initiatives_changed.disconnect(listener)
    assert sorted(received) == sorted(Initiative.objects.values_list("pk", flat=True))


def test_imported_records_are_found_by_search(themes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_command(FILES / "bom-utf8.csv", "--source", "jardins")
    from essaim.search.services import search

    assert [hit.title for hit in search("prebendes").hits] == ["Jardin partagé des Prébendes"]


def test_periodic_refresh_imports_due_sources_once(themes, local_server):
    from essaim.initiatives import tasks

    ImportSource.objects.create(name="transiscope", kind="gogocarto", refresh_every_days=1,
                                url=f"{local_server}/gogocarto.json")  # fmt: skip
    ImportSource.objects.create(name="sans adresse", kind="csv", refresh_every_days=1)

    assert tasks.refresh_import_sources.call() == 1
    assert tasks.refresh_import_sources.call() == 0  # not due again today
    assert Initiative.objects.count() == 2
    assert ImportRun.objects.get().full is True


def test_reimport_replaces_the_themes_of_changed_records(themes, tmp_path):
    run_command(FILES / "bom-utf8.csv", "--source", "jardins")
    text = FILES.joinpath("bom-utf8.csv").read_text(encoding="utf-8-sig")
    changed = text.replace("Tours,alimentation", "Tours,reemploi").replace(
        "Blois,,", "Blois,alimentation;reemploi,"
    )
    (tmp_path / "bom-utf8.csv").write_text(changed, encoding="utf-8")

    run_command(tmp_path / "bom-utf8.csv", "--source", "jardins")

    records = by_key("jardins")
    assert [t.slug for t in records["J1"].themes.all()] == ["reemploi"]
    assert sorted(t.slug for t in records["J2"].themes.all()) == ["alimentation", "reemploi"]
    run = ImportRun.objects.first()
    assert (run.created, run.updated) == (0, 2)


def test_records_of_several_batches_keep_their_own_themes_and_distinct_slugs(themes, tmp_path):
    rows = "".join(
        f"k{n},Jardin {n % 1200},47,1,{'alimentation' if n % 2 else 'reemploi'}\n"
        for n in range(2500)
    )
    (tmp_path / "many.csv").write_text(f"id,nom,latitude,longitude,themes\n{rows}")

    run_command(tmp_path / "many.csv", "--source", "many")

    records = by_key("many")
    themes_by_key = {key: [t.slug for t in i.themes.all()] for key, i in records.items()}
    assert themes_by_key == {
        f"k{n}": ["alimentation" if n % 2 else "reemploi"] for n in range(2500)
    }
    assert len({i.slug for i in records.values()}) == 2500
    assert records["k1201"].slug == "jardin-1-2"  # "Jardin 1" again, in another batch


def test_command_reports_progress_while_writing_and_updating_the_map(
    themes, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    from essaim.initiatives import imports

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    rows = "".join(f"k{n},Jardin {n},47,1\n" for n in range(4))
    (tmp_path / "four.csv").write_text(f"id,nom,latitude,longitude\n{rows}")
    output = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_initiatives", str(tmp_path / "four.csv"), stdout=output)

    lines = output.getvalue().splitlines()
    assert lines[:3] == [
        "… 2 enregistrements lus, 0 écrits",
        "… 4 enregistrements lus, 0 écrits",
        "… 4 enregistrements lus et vérifiés, enregistrement en base",
    ]
    # New records reach the map before the commit (changed ones after it), then the report.
    assert lines[3] == "… mise à jour de la carte (4 fiches modifiées)"
    assert lines[4].startswith("4 lus : 4 créés")


def test_search_index_refresh_covers_every_page_of_imported_records(
    themes, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from essaim.initiatives import tasks
    from essaim.search.services import search

    monkeypatch.setattr(tasks, "INDEX_PAGE", 2)
    rows = "".join(f"k{n},Verger numéro{n},47,1\n" for n in range(5))
    (tmp_path / "five.csv").write_text(f"id,nom,latitude,longitude\n{rows}")

    with django_capture_on_commit_callbacks(execute=True):
        run_command(tmp_path / "five.csv", "--source", "vergers")

    assert [hit.title for hit in search("numero4").hits] == ["Verger numéro4"]
    assert [hit.title for hit in search("numero0").hits] == ["Verger numéro0"]


@pytest.mark.parametrize("bulk", [False, True], ids=["per-point deltas", "set-based deltas"])
def test_imported_records_reach_the_map_as_a_full_rebuild_would_place_them(
    themes, tmp_path, monkeypatch, django_capture_on_commit_callbacks, bulk
):
    from essaim.initiatives import clustering
    from essaim.initiatives.models import MapCell, MapPoint
    from essaim.taxonomy.models import Theme

    if bulk:  # the SQL path of large imports
        monkeypatch.setattr(clustering, "BULK_THRESHOLD", 0)

    def snapshot():
        cells = MapCell.objects.values_list("scope", "zoom", "cx", "cy", "count", "x_sum",
                                            "y_sum", "id_sum")  # fmt: skip
        points = MapPoint.objects.values_list("initiative_id", "x", "y", "commune",
                                              "departement", "scopes", "label")  # fmt: skip
        return sorted(cells), sorted(points)

    amap = Theme.objects.create(name="AMAP", slug="amap", parent=themes[0])
    make_initiative(name="Déjà sur la carte", latitude=47.4, longitude=0.7, themes=[amap])
    rows = [
        "k1,Four à pain,47.39,0.68,amap",
        "k2,Épicerie,47.9,1.9,alimentation;reemploi",
        "k3,Sans lieu,,,",
        "k4,Jardin,46.5,2.1,",
    ]
    (tmp_path / "a.csv").write_text("id,nom,latitude,longitude,themes\n" + "\n".join(rows))
    with django_capture_on_commit_callbacks(execute=True):
        run_command(tmp_path / "a.csv", "--source", "s")
    rows[0], rows[3] = "k1,Four à pain,48.1,1.3,reemploi", "k4,Jardin,46.5,2.1,amap"
    (tmp_path / "b.csv").write_text("id,nom,latitude,longitude,themes\n" + "\n".join(rows))
    with django_capture_on_commit_callbacks(execute=True):
        run_command(tmp_path / "b.csv", "--source", "s")
        run_command(tmp_path / "a.csv", "--source", "autre", "--pending")  # not on the map

    imported = snapshot()
    assert len(imported[1]) == 4
    clustering.rebuild()
    assert snapshot() == imported
