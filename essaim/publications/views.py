"""Front-end contribution views: propose an article, list one's proposals, edit and
resubmit one when editors ask for changes. Back office: push a veille pick to a dossier.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from essaim.common import exports as common_exports
from essaim.publications import exports, services
from essaim.publications.forms import ProposalForm
from essaim.publications.models import ArticleIndexPage, ArticlePage


def _proposer(request):
    if not services.can_propose(request.user):
        raise PermissionDenied(_("Proposer un article est réservé aux membres du réseau."))


@login_required
@require_http_methods(["GET", "POST"])
def propose(request):
    _proposer(request)
    parent = ArticleIndexPage.objects.first()
    if parent is None:
        raise Http404
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if services.proposals_today(request.user) >= services.MAX_PROPOSALS_PER_DAY:
            form.add_error(None, _("Trop de propositions aujourd'hui : réessayez demain."))
        else:
            article = ArticlePage(slug="")
            form.apply_to(article, user=request.user)
            services.submit_page_proposal(parent=parent, page=article, user=request.user)
            messages.success(request, _("Merci ! Votre article est transmis à l'équipe "
                                        "éditoriale pour relecture."))  # fmt: skip
            return redirect("publications:mine")
    status = 400 if form.errors else 200
    return render(request, "publications/propose.html", {"form": form}, status=status)


@login_required
@require_safe
def mine(request):
    proposals = services.proposals_of(request.user, ArticlePage)
    return render(request, "publications/mine.html", {"proposals": proposals})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, page_id):
    page = get_object_or_404(ArticlePage, pk=page_id)
    if page.owner_id != request.user.pk:
        raise Http404  # someone else's proposal: its existence is not our business
    proposal = services.proposal_of(page)
    if not proposal.can_edit:
        messages.info(request, _("Cet article est en relecture ou publié : il ne peut plus "
                                 "être modifié ici."))  # fmt: skip
        return redirect("publications:mine")
    draft = page.get_latest_revision_as_object()
    form = ProposalForm(request.POST or None, request.FILES or None,
                        initial=ProposalForm.initial_from(draft))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        form.apply_to(draft, user=request.user)
        services.resubmit(page=draft, user=request.user)
        messages.success(request, _("Votre article modifié est renvoyé en relecture."))
        return redirect("publications:mine")
    context = {"form": form, "page": draft, "proposal": proposal}
    return render(request, "publications/edit.html", context, status=400 if form.errors else 200)


@require_safe
def download_csv(request):
    """The index of public articles, streamed (open data)."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    return common_exports.download(
        exports.csv_lines(base_url), content_type="text/csv; charset=utf-8",
        filename="articles.csv",
    )  # fmt: skip
