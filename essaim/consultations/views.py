"""Pages of the consultations: thin, each orchestrating forms, queries and services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essaim.accounts.roles import Role, has_role
from essaim.common.exports import csv_lines, download
from essaim.consultations import queries, services
from essaim.consultations.exceptions import ConsultationError
from essaim.consultations.forms import (
    AnswerForm,
    CoAuthorForm,
    CommentForm,
    ContributionForm,
    ProposalForm,
)
from essaim.consultations.models import (
    AnswerState,
    Attachment,
    Consultation,
    Follow,
    Kind,
    Participation,
    Phase,
    Proposal,
    Support,
)
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme

PAGE_SIZE = 20


def consultation_list(request):
    consultations = list(Consultation.objects.public().order_by("-information_starts_at", "pk"))
    groups = {"open": [], "coming": [], "closed": []}
    for consultation in consultations:
        groups[consultation.state].append(consultation)
    return render(request, "consultations/list.html", {"groups": groups})


def _consultation(slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.public(), slug=slug)


def detail(request, slug):
    consultation = _consultation(slug)
    proposals, active = queries.filtered(consultation, request.GET)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    themes = (
        Theme.objects.filter(
            consultation_proposals__in=Proposal.objects.public().filter(consultation=consultation)
        )
        .distinct()
        .order_by("name")
    )
    return render(request, "consultations/detail.html", {
        **_rules(request, consultation), "consultation": consultation, "page": page,
        "active": active, "themes": themes, "answer_states": AnswerState.choices,
        "sorts": [("recentes", _("Les plus récentes")), ("soutiens", _("Les plus soutenues")),
                  ("titre", _("Par titre"))],
        "query_string": _query_string(request),
        "following": request.user.is_authenticated
        and Follow.objects.filter(consultation=consultation, user=request.user).exists(),
    })  # fmt: skip


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _rules(request, consultation: Consultation) -> dict:
    user = request.user
    return {
        "participation_rule": services.participation_rule(consultation),
        "support_rule": services.support_rule(consultation),
        "may_participate": services.can_participate(consultation, user),
        "is_verified": services.is_verified(user),
        "supports_summary": services.supports_summary(consultation, user)
        if user.is_authenticated and consultation.phase in (Phase.SUPPORTS, Phase.ANSWERS,
                                                            Phase.CLOSED) else "",
        "Phase": Phase, "Participation": Participation,
    }  # fmt: skip


@login_required
def propose(request, slug, kind=Kind.PROPOSAL):
    consultation = _consultation(slug)
    form_class = ContributionForm if kind == Kind.CONTRIBUTION else ProposalForm
    refusal = _propose_refusal(request, consultation, kind)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refusal and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.submit_proposal(
                consultation=consultation, author=request.user, kind=kind, title=data["title"],
                body=data.get("body", ""), summary=data.get("summary", ""), themes=data["themes"],
                commune=data["commune_obj"], latitude=data.get("latitude"),
                longitude=data.get("longitude"), attachments=data["attachments"],
                sections=form.sections() if kind == Kind.CONTRIBUTION else (),
            )  # fmt: skip
        except ConsultationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Merci ! Votre proposition est envoyée : l'équipe de "
                                        "modération la relit avant publication."))  # fmt: skip
            return redirect(proposal.get_absolute_url())
    template = "consultations/contribute.html" if kind == Kind.CONTRIBUTION else (
        "consultations/propose.html")  # fmt: skip
    return render(request, template, {**_rules(request, consultation),
                                      "consultation": consultation, "form": form,
                                      "refusal": refusal,
                                      "tile_url": settings.ESSAIM_TILE_URL})  # fmt: skip


def contribute(request, slug):
    return propose(request, slug, kind=Kind.CONTRIBUTION)


def _propose_refusal(request, consultation, kind) -> str:
    if not consultation.accepts_proposals:
        return _("La phase des propositions n'est pas ouverte.")
    if not services.is_verified(request.user):
        return _("Vérifiez d'abord votre adresse e-mail (lien envoyé à l'inscription) pour "
                 "proposer.")  # fmt: skip
    if not services.can_participate(consultation, request.user):
        return services.participation_rule(consultation)
    if kind == Kind.CONTRIBUTION and not has_role(request.user, Role.MEMBER):
        return _("Les contributions longues sont déposées par les organisations membres.")
    return ""


def _proposal(request, slug, pk) -> Proposal:
    """A public proposal; its authors and moderators also see it before publication."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("consultation", "commune", "submitted_by"),
        pk=pk, consultation__slug=slug,
    )  # fmt: skip
    if proposal.is_public and proposal.consultation.published:
        return proposal
    if services.is_author(proposal, request.user) or has_role(request.user, Role.MODERATOR):
        return proposal
    raise Http404


def proposal_detail(request, slug, pk, comment_form=None, answer_form=None):
    proposal = _proposal(request, slug, pk)
    consultation = proposal.consultation
    user = request.user
    comments = list(proposal.comments.public().select_related("submitted_by")
                    .order_by("created_at", "pk")) if proposal.is_public else []  # fmt: skip
    return render(request, "consultations/proposal.html", {
        **_rules(request, consultation), "consultation": consultation, "proposal": proposal,
        "themes": proposal.themes.order_by("name"), "attachments": proposal.attachments.all(),
        "sections": proposal.sections.all(), "thread": _thread(comments),
        "supports_count": proposal.supports.count(),
        "supported": user.is_authenticated and Support.objects.filter(
            proposal=proposal, user=user).exists(),
        "is_author": services.is_author(proposal, user),
        "edit_refusal": services.edit_refusal(proposal, user),
        "is_organiser": services.is_organiser(consultation, user),
        "comment_form": comment_form or CommentForm(),
        "answer_form": answer_form or AnswerForm(initial={
            "state": proposal.answer_state or AnswerState.EVALUATING,
            "text": proposal.answer_text}),
        "may_comment": consultation.accepts_comments
        and services.can_participate(consultation, user),
        "coauthor_form": CoAuthorForm(), "coauthors": proposal.coauthors.order_by("email"),
    })  # fmt: skip


def _thread(comments) -> list:
    """Comments as a tree: each has ``children`` (replies to missing parents are dropped)."""
    by_id = {c.pk: c for c in comments}
    roots = []
    for comment in comments:
        comment.children = []
    for comment in comments:
        if comment.parent_id is None:
            roots.append(comment)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].children.append(comment)
    return roots


@login_required
def edit(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    refusal = services.edit_refusal(proposal, request.user)
    contribution = proposal.kind == Kind.CONTRIBUTION
    form_class = ContributionForm if contribution else ProposalForm
    initial = {"title": proposal.title, "body": proposal.body, "summary": proposal.summary,
               "themes": [t.pk for t in proposal.themes.all()],
               "commune": proposal.commune.name if proposal.commune else "",
               "postal_code": "", "latitude": proposal.latitude,
               "longitude": proposal.longitude}  # fmt: skip
    for i, section in enumerate(proposal.sections.all(), start=1):
        initial[f"heading_{i}"], initial[f"section_{i}"] = section.heading, section.body
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            result = services.edit_proposal(
                proposal=proposal, by=request.user, changes=form.changes(),
                sections=form.sections() if contribution else None,
                attachments=form.cleaned_data["attachments"],
            )  # fmt: skip
        except ConsultationError as error:
            messages.error(request, str(error))
        except Exception as error:  # moderation refusals (nothing changed…)
            from essaim.moderation.exceptions import ModerationError

            if not isinstance(error, ModerationError):
                raise
            messages.error(request, _("Rien n'a changé."))
        else:
            messages.success(request, _("Votre modification attend la modération.")
                             if result is not proposal else _("Proposition modifiée."))  # fmt: skip
            return redirect(proposal.get_absolute_url())
    template = "consultations/contribute.html" if contribution else "consultations/propose.html"
    return render(request, template, {**_rules(request, proposal.consultation),
                                      "consultation": proposal.consultation, "form": form,
                                      "refusal": refusal, "proposal": proposal,
                                      "tile_url": settings.ESSAIM_TILE_URL})  # fmt: skip


@login_required
@require_POST
def support(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    try:
        if request.POST.get("action") == "withdraw":
            services.withdraw_support(proposal=proposal, user=request.user)
            messages.success(request, _("Votre soutien est retiré."))
        else:
            services.support(proposal=proposal, user=request.user)
            messages.success(request, _("Merci, votre soutien est enregistré."))
    except ConsultationError as error:
        messages.error(request, str(error))
    return redirect(f"{proposal.get_absolute_url()}#soutiens")


@login_required
@require_POST
def comment(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    if not proposal.is_public:
        raise Http404
    form = CommentForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            new = services.add_comment(proposal=proposal, author=request.user,
                                       body=form.cleaned_data["body"],
                                       parent=form.cleaned_data["parent"])  # fmt: skip
        except ConsultationError as error:
            messages.error(request, str(error))
        else:
            if new.status == Status.PUBLISHED:
                messages.success(request, _("Votre commentaire est publié."))
            else:
                messages.success(request, _("Votre commentaire sera publié après modération."))
            return redirect(f"{proposal.get_absolute_url()}#commentaires")
    return proposal_detail(request, slug, pk, comment_form=form)


@login_required
@require_POST
def answer(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    if not services.is_organiser(proposal.consultation, request.user):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.answer(proposal=proposal, by=request.user, **form.cleaned_data)
        messages.success(
            request, _("Réponse publiée ; l'auteur·rice et les soutiens sont prévenus.")
        )
        return redirect(f"{proposal.get_absolute_url()}#reponse")
    return proposal_detail(request, slug, pk, answer_form=form)


@login_required
@require_POST
def invite(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    form = CoAuthorForm(request.POST)
    if form.is_valid():
        try:
            services.invite_coauthor(proposal=proposal, by=request.user,
                                     email=form.cleaned_data["email"])  # fmt: skip
        except ConsultationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Invitation envoyée."))
    else:
        messages.error(request, _("Adresse e-mail invalide."))
    return redirect(f"{proposal.get_absolute_url()}#coauteurs")


@login_required
@require_POST
def follow(request, slug):
    consultation = _consultation(slug)
    if request.POST.get("action") == "unfollow":
        services.unfollow(consultation=consultation, user=request.user)
        messages.success(request, _("Vous ne suivez plus cette consultation."))
    else:
        services.follow(consultation=consultation, user=request.user)
        messages.success(request, _("Vous serez prévenu·e par e-mail de chaque nouvelle phase."))
    return redirect(consultation.get_absolute_url())


def attachment(request, slug, pk, attachment):
    proposal = _proposal(request, slug, pk)
    item = get_object_or_404(Attachment, pk=attachment, proposal=proposal)
    response = FileResponse(default_storage.open(item.file.name), content_type=item.content_type)
    response["Content-Disposition"] = "inline" if item.content_type != "application/pdf" else (
        "attachment")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


def contribution_pdf(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    if proposal.kind != Kind.CONTRIBUTION:
        raise Http404
    from essaim.consultations.pdf import contribution_pdf as render_pdf

    response = HttpResponse(render_pdf(proposal), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contribution-{proposal.pk}.pdf"'
    return response


def results(request, slug):
    consultation = _consultation(slug)
    proposals = queries.public_proposals(consultation).order_by("-supports_count", "title", "pk")
    totals = proposals.order_by().values("answer_state").annotate(n=Count("pk", distinct=True))
    return render(request, "consultations/results.html", {
        "consultation": consultation, "proposals": proposals,
        "totals": _totals({row["answer_state"]: row["n"] for row in totals}),
    })  # fmt: skip


def _totals(counts: dict) -> list[tuple[str, int]]:
    rows = [(label, counts.get(value, 0)) for value, label in AnswerState.choices]
    return [*rows, (_("Pas encore de réponse"), counts.get("", 0))]


def _rows(request, consultation=None):
    base = request.build_absolute_uri("/").rstrip("/")
    proposals = queries.public_proposals(consultation).order_by("pk")
    return (queries.export_row(p, base) for p in proposals.iterator(chunk_size=2000))


def results_csv(request, slug):
    consultation = _consultation(slug)
    return download(csv_lines(queries.EXPORT_COLUMNS, _rows(request, consultation)),
                    content_type="text/csv; charset=utf-8",
                    filename=f"consultation-{consultation.slug}.csv")  # fmt: skip


def results_json(request, slug):
    consultation = _consultation(slug)
    data = {"consultation": consultation.title, "slug": consultation.slug,
            "organisateur": consultation.organiser_name,
            "propositions": list(_rows(request, consultation))}  # fmt: skip
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.slug}.json"'
    )
    return response


def download_comments_csv(request):
    """Every public comment, without its author (the open-data dataset of the discussion)."""
    rows = (queries.comment_row(c) for c in queries.public_comments().iterator(chunk_size=2000))
    return download(csv_lines(queries.COMMENT_COLUMNS, rows),
                    content_type="text/csv; charset=utf-8",
                    filename="consultations-commentaires.csv")  # fmt: skip


def download_csv(request):
    """Every public proposal of every published consultation (the open-data dataset)."""
    return download(csv_lines(queries.EXPORT_COLUMNS, _rows(request)),
                    content_type="text/csv; charset=utf-8",
                    filename="consultations-propositions.csv")  # fmt: skip
