import pytest

from essaim.taxonomy.services import load_themes

pytestmark = pytest.mark.django_db


def test_staff_edit_themes_in_the_back_office_listed_as_a_tree(client, django_user_model):
    load_themes()
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(admin)
    html = client.get("/admin/snippets/taxonomy/theme/").content.decode()
    assert html.index("Alimentation et agriculture") < html.index("AMAP") < html.index("Énergie")


def test_outsider_cannot_reach_the_theme_admin(client, outsider):
    client.force_login(outsider)
    response = client.get("/admin/snippets/taxonomy/theme/")
    assert response.status_code == 302 and "AMAP" not in response.content.decode()
