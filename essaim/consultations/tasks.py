"""Background tasks of consultations: take ids, re-fetch, send."""

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from essaim.common.mail import send_mail_template, send_to_each


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task()
def notify_answer(proposal_id: int) -> int:
    """Mail the official answer to the author, co-authors and supporters (one each)."""
    from essaim.consultations.models import Proposal
    from essaim.consultations.services import answer_recipients

    proposal = Proposal.objects.select_related("consultation").get(pk=proposal_id)
    context = {"proposal": proposal, "consultation": proposal.consultation,
               "url": _absolute(proposal.get_absolute_url())}  # fmt: skip
    return send_to_each("consultations/email/answer.txt", context, answer_recipients(proposal))


@task()
def notify_followers(consultation_id: int, phase: str) -> int:
    """Tell a consultation's followers that a new phase started."""
    from essaim.consultations.models import Consultation, Phase

    consultation = Consultation.objects.get(pk=consultation_id)
    emails = consultation.follows.exclude(user__email="").values_list("user__email", flat=True)
    context = {"consultation": consultation, "phase": Phase(phase).label,
               "url": _absolute(consultation.get_absolute_url()),
               "unfollow": _absolute(reverse("consultations:follow",
                                             kwargs={"slug": consultation.slug}))}  # fmt: skip
    return send_to_each("consultations/email/phase.txt", context, sorted(set(emails)))


@task()
def send_coauthor_invitation(coauthor_id: int) -> int:
    from essaim.consultations.models import CoAuthor

    coauthor = CoAuthor.objects.select_related("proposal__consultation").get(pk=coauthor_id)
    proposal = coauthor.proposal
    context = {"proposal": proposal, "author": proposal.submitted_by,
               "url": _absolute(reverse("consultations:edit", kwargs={
                   "slug": proposal.consultation.slug, "pk": proposal.pk}))}  # fmt: skip
    return send_mail_template("consultations/email/coauthor.txt", context, to=coauthor.email)


@task()
def detect_phase_changes() -> int:
    """Periodic (ESSAIM_PERIODIC_TASKS): announce each new phase to followers, once."""
    from essaim.consultations import services

    return len(services.detect_phase_changes())
