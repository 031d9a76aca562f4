"""Self-assessment pages. Everything but campaign pages is private to the project's team
(and staff): every view looks the project up among the user's own, so that anyone else —
signed in or not — gets a 404 and cannot tell whether it exists."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from essaim.common import charts
from essaim.common import exports as common_exports
from essaim.evaluation import aggregates, exports, results, services
from essaim.evaluation.forms import (
    ActionForm,
    ActionStatusForm,
    AnswerForm,
    AssessmentForm,
    ConsolidationForm,
    InvitationForm,
    ProjectForm,
    parse_level,
)
from essaim.evaluation.models import (
    Action,
    Answer,
    Assessment,
    Campaign,
    Criterion,
    Invitation,
    Project,
)

RADAR_SERIES = 3  # assessments overlaid on one radar: more would be unreadable
LOW_LEVEL = 1  # criteria at or below this level are proposed for the progress plan


# --- lookups: 404 for anyone outside the team --------------------------------------------


def _project(request, slug: str) -> Project:
    return get_object_or_404(Project.objects.of_member(request.user), slug=slug)


def _assessment(request, pk: int) -> Assessment:
    queryset = Assessment.objects.of_member(request.user).select_related("project", "version__grid")
    return get_object_or_404(queryset, pk=pk)


def _lead_only(request, project: Project) -> None:
    if not services.is_lead(project, request.user):
        raise Http404


# --- index and projects ------------------------------------------------------------------


@require_safe
def index(request):
    """What the module is, open campaigns; and, signed in, my projects."""
    today = timezone.localdate()
    if not request.user.is_authenticated:
        context = {"campaigns": Campaign.objects.open_on(today), "form": None, "projects": None}
        return render(request, "evaluation/index.html", context)
    projects = (
        Project.objects.filter(members__user=request.user)
        .annotate(assessment_count=Count("assessments", distinct=True))
        .order_by("name")
    )
    context = {
        "projects": projects,
        "campaigns": Campaign.objects.open_on(today),
        "form": ProjectForm(),
    }
    return render(request, "evaluation/index.html", context)


@login_required
def project_create(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = services.create_project(
            name=data["name"],
            description=data["description"],
            by=request.user,
            subject=data["initiative"],
            theme=data["theme"],
            commune=data["commune"],
        )
        messages.success(request, _("Projet créé : invitez votre équipe et commencez."))
        return redirect(project)
    return render(request, "evaluation/project_form.html", {"form": form})


@require_safe
def project_detail(request, slug: str):
    project = _project(request, slug)
    assessments = list(project.assessments.select_related("version__grid", "campaign"))
    consolidated = [a for a in assessments if a.is_consolidated]
    series = results.progress(consolidated[-RADAR_SERIES:])
    members = project.members.select_related("user")
    actions = project.actions.select_related("criterion", "owner")
    context = {
        "project": project,
        "assessments": assessments,
        "members": members,
        "is_lead": services.is_lead(project, request.user),
        "actions": actions,
        "subject": project_subject(project),
        "radar": radar_context(series),
        "evolution": results.evolution(series),
        "series": series,
        "invitation_form": InvitationForm(),
        "assessment_form": AssessmentForm(),
        "status_choices": Action.Status.choices,
        "invitations": project.invitations.filter(accepted_at__isnull=True),
    }
    return render(request, "evaluation/project.html", context)


def project_subject(project: Project):
    from essaim.evaluation import subjects

    return subjects.public_object(project.subject_type, project.subject_id)


def _action_form(project, assessment, data=None, criterion: str = ""):
    criteria = (
        Criterion.objects.filter(axis__version_id=assessment.version_id)
        if assessment
        else Criterion.objects.none()
    )
    initial = {"criterion": criterion} if criterion.isdigit() else {}
    return ActionForm(
        data,
        initial=initial,
        project=project,
        criteria=criteria.order_by("axis__position", "position"),
    )


@require_POST
def invite(request, slug: str):
    project = _project(request, slug)
    _lead_only(request, project)
    form = InvitationForm(request.POST)
    if form.is_valid():
        url = request.build_absolute_uri(reverse("evaluation:invitation", args=["x"]))[:-2]
        services.invite(
            project=project, email=form.cleaned_data["email"], by=request.user, accept_url=url
        )
        messages.success(request, _("Invitation envoyée."))
    else:
        messages.error(request, _("Adresse e-mail invalide : invitation non envoyée."))
    return redirect(project)


def invitation(request, token: str):
    found = get_object_or_404(
        Invitation.objects.select_related("project"), token=token, accepted_at__isnull=True
    )
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        services.accept_invitation(invitation=found, user=request.user)
        messages.success(request, _("Vous faites partie de l'équipe du projet."))
        return redirect(found.project)
    return render(request, "evaluation/invitation.html", {"invitation": found})


@require_POST
def assessment_create(request, slug: str):
    project = _project(request, slug)
    _lead_only(request, project)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une grille et donnez un titre."))
        return redirect(project)
    assessment = services.start_assessment(project=project, by=request.user, **form.cleaned_data)
    return redirect("evaluation:answer", pk=assessment.pk)


# --- answering ---------------------------------------------------------------------------


def _criteria(assessment: Assessment):
    return (
        Criterion.objects.filter(axis__version_id=assessment.version_id)
        .select_related("axis")
        .prefetch_related("questions")
        .order_by("axis__position", "axis__pk", "position", "pk")
    )


def _initial(answer: Answer | None) -> dict:
    if answer is None:
        return {}
    level = "na" if answer.not_applicable else ("" if answer.level is None else str(answer.level))
    return {"level": level, "comment": answer.comment, "evidence_url": answer.evidence_url}


def answer(request, pk: int):
    assessment = _assessment(request, pk)
    if not assessment.project.members.filter(user=request.user).exists():
        raise Http404  # staff may read results, only the team answers
    criteria = list(_criteria(assessment))
    mine = {
        a.criterion_id: a
        for a in Answer.objects.filter(assessment=assessment, respondent=request.user)
    }
    data = request.POST if request.method == "POST" else None
    if data is not None and assessment.is_consolidated:
        messages.error(request, _("Évaluation consolidée : réponses closes."))
        return redirect(assessment)
    forms = [AnswerForm(data, criterion=c, initial=_initial(mine.get(c.pk))) for c in criteria]
    if data is not None and not assessment.is_consolidated and all(f.is_valid() for f in forms):
        for form in forms:
            _save(assessment, request.user, form)
        messages.success(request, _("Vos réponses sont enregistrées."))
        return redirect(assessment)
    answered = sum(1 for form in forms if form.is_answered)
    context = {
        "assessment": assessment,
        "project": assessment.project,
        "forms": forms,
        "answered": answered,
        "total": len(forms),
    }
    return render(request, "evaluation/answer.html", context, status=400 if data else 200)


def _save(assessment, user, form) -> None:
    level, na = parse_level(form.cleaned_data["level"])
    services.save_answer(
        assessment=assessment,
        respondent=user,
        criterion=form.criterion,
        level=level,
        not_applicable=na,
        comment=form.cleaned_data["comment"],
        evidence_url=form.cleaned_data["evidence_url"],
    )


@require_POST
def autosave(request, pk: int, criterion: int):
    """One criterion posted by the page's script; answers with the respondent's progress."""
    assessment = _assessment(request, pk)
    if not assessment.project.members.filter(user=request.user).exists():
        raise Http404
    if assessment.is_consolidated:
        return JsonResponse({"error": _("Évaluation consolidée : réponses closes.")}, status=409)
    found = get_object_or_404(_criteria(assessment), pk=criterion)
    form = AnswerForm(request.POST, criterion=found)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    _save(assessment, request.user, form)
    mine = Answer.objects.filter(assessment=assessment, respondent=request.user)
    answered = mine.filter(Q(level__isnull=False) | Q(not_applicable=True)).count()
    return JsonResponse({"answered": answered, "total": _criteria(assessment).count()})


# --- results and consolidation -----------------------------------------------------------


def radar_context(series: list[results.Results]) -> dict | None:
    if not series:
        return None
    labels = [axis.axis.name for axis in series[-1].axes]
    spokes, shapes, rings = charts.radar(
        labels, [(item.assessment.title, [a.score for a in item.axes]) for item in series]
    )
    description = " ".join(
        f"{item.assessment.title} : "
        + ", ".join(
            f"{a.axis.name} {'—' if a.score is None else round(a.score)}" for a in item.axes
        )
        + "."
        for item in series
    )
    return {
        "spokes": spokes,
        "series": shapes,
        "rings": rings,
        "size": charts.RADAR_SIZE,
        "labels": labels,
        "description": description,
    }


@require_safe
def assessment_detail(request, pk: int):
    assessment = _assessment(request, pk)
    return render(request, "evaluation/assessment.html", _results_context(request, assessment))


def _results_context(request, assessment: Assessment) -> dict:
    project = assessment.project
    previous = list(
        project.assessments.filter(
            status=Assessment.Status.CONSOLIDATED, started_on__lte=assessment.started_on
        )
        .exclude(pk=assessment.pk)
        .order_by("started_on", "pk")
    )
    series = results.progress([*previous[-(RADAR_SERIES - 1) :], assessment])
    current = series[-1]
    since = previous[-1].started_on if previous else None
    actions = project.actions.select_related("criterion", "owner")
    context = {
        "assessment": assessment,
        "project": project,
        "results": current,
        "series": series,
        "radar": radar_context(series),
        "evolution": results.evolution(series),
        "is_lead": services.is_lead(project, request.user),
        "is_member": project.members.filter(user=request.user).exists(),
        "actions": actions.filter(assessment=assessment),
        "done_since": actions.filter(status=Action.Status.DONE, assessment__in=previous)
        if since
        else [],
        "proposals": [
            row
            for row in current.rows
            if row.gap or (row.level is not None and row.level <= LOW_LEVEL)
        ],
        "action_form": _action_form(project, assessment, criterion=request.GET.get("critere", "")),
        "status_choices": Action.Status.choices,
    }
    return context


def consolidate(request, pk: int):
    assessment = _assessment(request, pk)
    _lead_only(request, assessment.project)
    criteria = list(_criteria(assessment))
    proposed = services.proposed_consolidation(assessment)
    given, people = results.respondent_levels(assessment)
    notes: dict[int, list[Answer]] = {}
    for found in Answer.objects.filter(assessment=assessment).exclude(comment="", evidence_url=""):
        notes.setdefault(found.criterion_id, []).append(found)
    data = request.POST if request.method == "POST" else None
    forms = []
    for criterion in criteria:
        value = proposed.get(criterion.pk, {})
        level = "na" if value.get("not_applicable") else value.get("level")
        initial = {"level": "" if level is None else str(level), "comment": value.get("comment")}
        form = ConsolidationForm(data, criterion=criterion, initial=initial)
        form.respondents = sorted(given.get(criterion.pk, []))
        form.notes = notes.get(criterion.pk, [])
        forms.append(form)
    if data is not None and all(form.is_valid() for form in forms):
        values = {}
        for form in forms:
            level, na = parse_level(form.cleaned_data["level"])
            values[form.criterion.pk] = {
                "level": level,
                "not_applicable": na,
                "comment": form.cleaned_data["comment"],
            }
        services.consolidate(assessment=assessment, values=values, by=request.user)
        messages.success(request, _("Évaluation consolidée."))
        return redirect(assessment)
    context = {
        "assessment": assessment,
        "project": assessment.project,
        "forms": forms,
        "people": people,
    }
    return render(request, "evaluation/consolidate.html", context, status=400 if data else 200)


# --- progress plan -----------------------------------------------------------------------


@require_POST
def action_create(request, pk: int):
    assessment = _assessment(request, pk)
    project = assessment.project
    if not project.members.filter(user=request.user).exists():
        raise Http404
    form = _action_form(project, assessment, request.POST)
    if form.is_valid():
        services.add_action(
            project=project, assessment=assessment, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Action ajoutée au plan de progrès."))
    else:
        messages.error(request, _("L'action n'a pas été ajoutée : vérifiez le titre et la date."))
    return redirect(reverse("evaluation:assessment", args=[assessment.pk]) + "#plan")


@require_POST
def action_update(request, pk: int):
    mine = Action.objects.filter(
        project__in=Project.objects.filter(members__user=request.user)
        if request.user.is_authenticated
        else Project.objects.none()
    )
    action = get_object_or_404(mine, pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.set_action_status(
            action=action, status=form.cleaned_data["status"], by=request.user
        )
    if request.POST.get("next_anchor") == "project" or not action.assessment_id:
        return redirect(reverse("evaluation:project", args=[action.project.slug]) + "#plan")
    return redirect(reverse("evaluation:assessment", args=[action.assessment_id]) + "#plan")


# --- reports and exports -----------------------------------------------------------------


@require_safe
def report(request, pk: int):
    assessment = _assessment(request, pk)
    return render(request, "evaluation/report.html", _results_context(request, assessment))


@require_safe
def report_pdf(request, pk: int):
    from essaim.evaluation import reports

    assessment = _assessment(request, pk)
    context = _results_context(request, assessment)
    response = HttpResponse(reports.pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{assessment.pk}.pdf"'
    return response


@require_safe
def export_csv(request, pk: int):
    assessment = _assessment(request, pk)
    lines = exports.assessment_lines(results.results(assessment))
    return common_exports.download(
        lines, content_type="text/csv; charset=utf-8", filename=f"evaluation-{assessment.pk}.csv"
    )


# --- campaigns (public: aggregates only) -------------------------------------------------


@require_safe
def campaign_list(request):
    campaigns = Campaign.objects.public().select_related("version__grid")
    return render(request, "evaluation/campaign_list.html", {"campaigns": campaigns})


@require_safe
def campaign(request, slug: str):
    found = get_object_or_404(Campaign.objects.public().select_related("version__grid"), slug=slug)
    leads = (
        Project.objects.filter(members__user=request.user, members__role="lead")
        if request.user.is_authenticated
        else Project.objects.none()
    )
    context = {
        "campaign": found,
        "aggregates": aggregates.campaign_aggregates(found),
        "min_group": settings.ESSAIM_EVALUATION_MIN_GROUP,
        "my_projects": leads.exclude(assessments__campaign=found),
        "is_open": found.is_open(),
    }
    return render(request, "evaluation/campaign.html", context)


@require_POST
@login_required
def campaign_join(request, slug: str):
    found = get_object_or_404(Campaign.objects.public(), slug=slug)
    project = _project(request, request.POST.get("project", ""))
    _lead_only(request, project)
    if not found.is_open():
        messages.error(request, _("Cette campagne n'est pas ouverte."))
        return redirect(found)
    assessment = services.join_campaign(campaign=found, project=project, by=request.user)
    return redirect("evaluation:answer", pk=assessment.pk)


@require_safe
def aggregates_csv(request):
    lines = aggregates.csv_lines(request.build_absolute_uri("/")[:-1])
    return common_exports.download(
        lines, content_type="text/csv; charset=utf-8", filename="evaluation-agregats.csv"
    )
