import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from essaim.evaluation import services
from tests.evaluation.helpers import answer_all, consolidate_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(project, version, owner, member):
    found = services.start_assessment(project=project, version=version, title="Éval 2025", by=owner)
    answer_all(found, owner, {"c11": 4, "c12": 2, "c21": 1, "c22": None})
    answer_all(found, member, {"c11": 2, "c12": 2, "c21": 3, "c22": None})
    consolidate_with(found, {"c11": 3, "c12": 2, "c21": 2, "c22": None}, by=owner)
    criterion = found.version.criteria().first()
    services.add_action(
        project=project,
        assessment=found,
        title="Ouvrir le bureau aux usagers",
        criterion=criterion,
        by=owner,
    )
    return found


def test_pdf_report_holds_scores_comments_and_plan(client, member, assessment):
    client.force_login(member)

    response = client.get(reverse("evaluation:report-pdf", args=[assessment.pk]))

    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Projet Quetzal" in text and "Ouvrir le bureau aux usagers" in text
    assert "62" in text and "Critère c21" in text  # Axe un: (3 + 2) / 2 × 25 = 62.5


def test_printable_report_has_radar_table_and_plan(client, member, assessment):
    client.force_login(member)

    page = client.get(reverse("evaluation:report", args=[assessment.pk])).content.decode()

    assert 'role="img"' in page and 'data-axis="a1">62,5<' in page
    assert "Ouvrir le bureau aux usagers" in page


def test_team_csv_export_has_one_row_per_criterion(client, member, assessment):
    client.force_login(member)

    response = client.get(reverse("evaluation:export-csv", args=[assessment.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert [(r["code"], r["niveau"], r["reponses"], r["ecart"]) for r in rows] == [
        ("c11", "3", "2;4", "1"),
        ("c12", "2", "2;2", ""),
        ("c21", "2", "1;3", "1"),
        ("c22", "", "", ""),
    ]
    assert rows[0]["score_axe"] == "62.5"
