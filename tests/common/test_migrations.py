import pytest
from wagtail.models import Page


@pytest.mark.django_db
def test_wagtail_placeholder_page_is_not_live():
    placeholder = Page.objects.get(depth=2, slug="home")
    assert placeholder.live is False
    assert not Page.objects.live().filter(title__startswith="Welcome").exists()
