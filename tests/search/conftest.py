import pytest
from wagtail.models import Page, Site


@pytest.fixture
def site_root(db):
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def make_page(site_root, django_capture_on_commit_callbacks):
    """A page under the site root, indexed the way the site indexes it (on commit)."""

    def make(title: str, *, live: bool = True, **fields) -> Page:
        with django_capture_on_commit_callbacks(execute=True):
            page = site_root.add_child(instance=Page(title=title, live=live, **fields))
        return page

    return make
