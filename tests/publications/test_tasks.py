from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from essaim.publications.models import ArticlePage
from essaim.publications.tasks import publish_scheduled
from tests.publications.conftest import make_article


def test_the_worker_runs_wagtail_scheduled_publishing(db):
    assert "essaim.publications.tasks.publish_scheduled" in settings.ESSAIM_PERIODIC_TASKS
    article = make_article("Programmé", live=False)
    revision = article.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    assert revision.approved_go_live_at
    publish_scheduled.call()
    assert ArticlePage.objects.get(pk=article.pk).live
    publish_scheduled.call()  # idempotent
    assert ArticlePage.objects.live().count() == 1
