"""Public pages of the watch (picks, items of public sources, letters, subscription) and
the curators' sorting page. Every public view starts from ``public()``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from essaim.common import exports as common_exports
from essaim.initiatives.models import Initiative
from essaim.taxonomy.models import Theme
from essaim.veille import exports, services
from essaim.veille.forms import PickForm, SubscribeForm
from essaim.veille.models import Digest, DigestSubscription, Item, ItemMention, Pick

PER_PAGE = 20
MAX_QUERY = 100


def _themes_prefetch(path: str = "themes") -> Prefetch:
    return Prefetch(path, Theme.objects.order_by("position", "name"))


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _theme_from(request, slug: str | None) -> Theme | None:
    slug = slug or request.GET.get("theme", "").strip()
    if not slug:
        return None
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        raise Http404
    return theme


# --- public ---------------------------------------------------------------------------


@require_safe
def pick_list(request, slug: str | None = None):
    """The curated selection, newest first; by theme (with its sub-themes)."""
    theme = _theme_from(request, slug)
    picks = (Pick.objects.public().select_related("item__source")
             .prefetch_related(_themes_prefetch()).order_by("-picked_at", "-pk"))  # fmt: skip
    if theme:
        picks = picks.filter(themes__in=theme.family_ids()).distinct()
    context = {"page": _page(request, picks), "theme": theme,
               "query_string": _query_string(request) if not slug else "",
               "top_themes": Theme.objects.top_level().order_by("position", "name")}  # fmt: skip
    return render(request, "veille/picks.html", context)


def _accepted_mentions() -> Prefetch:
    accepted = ItemMention.objects.filter(
        state=ItemMention.State.ACCEPTED, initiative__in=Initiative.objects.public()
    ).select_related("initiative")
    return Prefetch("mentions", accepted, to_attr="accepted_mentions")


@require_safe
def item_list(request):
    """Everything public sources published, newest first; ?theme=, ?q= (title)."""
    theme = _theme_from(request, None)
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    items = (Item.objects.public().select_related("source")
             .prefetch_related(_themes_prefetch(), _accepted_mentions())
             .order_by("-published_at", "-pk"))  # fmt: skip
    if theme:
        items = items.filter(themes__in=theme.family_ids()).distinct()
    if query:
        items = items.filter(title__icontains=query)
    context = {"page": _page(request, items), "theme": theme, "q": query,
               "query_string": _query_string(request),
               "top_themes": Theme.objects.top_level().order_by("position", "name")}  # fmt: skip
    return render(request, "veille/items.html", context)


@require_safe
def picks_csv(request):
    return common_exports.download(
        exports.picks_csv_lines(), content_type="text/csv; charset=utf-8", filename="veille.csv"
    )


@require_safe
def sources_opml(request):
    from django.conf import settings

    body = exports.opml(title=f"{settings.ESSAIM_SITE_NAME} — sources de la veille")
    response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="veille-sources.opml"'
    return response


@require_safe
def digest_list(request):
    digests = Digest.objects.public().only("pk", "subject", "period_end", "pick_count")
    return render(request, "veille/digests.html", {"page": _page(request, digests),
                                                   "query_string": ""})  # fmt: skip


@require_safe
def digest_detail(request, pk: int):
    return render(request, "veille/digest.html",
                  {"digest": get_object_or_404(Digest.objects.public(), pk=pk)})  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        subscription = services.subscribe(email=form.cleaned_data["email"],
                                          themes=form.cleaned_data["themes"])  # fmt: skip
        return render(request, "veille/subscription_sent.html", {"email": subscription.email})
    status = 400 if form.is_bound else 200
    return render(request, "veille/subscribe.html", {"form": form}, status=status)


@require_safe
def confirm(request, token: str):
    subscription = get_object_or_404(DigestSubscription, token=token)
    services.confirm_subscription(subscription=subscription)
    return render(request, "veille/subscription_confirmed.html", {"subscription": subscription})


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    # A POST, so that mail scanners following links unsubscribe no one.
    subscription = get_object_or_404(DigestSubscription, token=token)
    if request.method == "POST":
        subscription.delete()
        return render(request, "veille/unsubscribed.html")
    return render(request, "veille/unsubscribe.html", {"subscription": subscription})


# --- curators -------------------------------------------------------------------------


def curator_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not services.can_curate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


@require_safe
@curator_required
def to_sort(request):
    """Recent items of every source, private ones included, each with a "Retenir" form."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    items = (Item.objects.select_related("source", "pick")
             .prefetch_related(_themes_prefetch()).order_by("-published_at", "-pk"))  # fmt: skip
    if query:
        items = items.filter(Q(title__icontains=query) | Q(source__title__icontains=query))
    page = _page(request, items)
    # One query for the theme choices of every form on the page.
    choices = [(t.pk, str(t)) for t in Theme.objects.tree_order().select_related("parent")]
    rows = []
    for item in page.object_list:
        form = PickForm(prefix=f"item-{item.pk}", initial=_initial(item))
        form.fields["themes"].choices = choices
        rows.append((item, form))
    context = {"page": page, "rows": rows, "q": query, "query_string": _query_string(request)}
    return render(request, "veille/to_sort.html", context)


def _initial(item: Item) -> dict:
    pick = getattr(item, "pick", None)
    if pick is not None:
        return {"comment": pick.comment, "themes": [t.pk for t in item.themes.all()]}
    return {"themes": [t.pk for t in item.themes.all()]}


@require_POST
@curator_required
def pick(request, pk: int):
    item = get_object_or_404(Item.objects.select_related("source"), pk=pk)
    form = PickForm(request.POST, prefix=f"item-{item.pk}")
    if not form.is_valid():
        return render(request, "veille/pick_invalid.html", {"item": item, "form": form},
                      status=400)  # fmt: skip
    services.pick_item(item=item, by=request.user, comment=form.cleaned_data["comment"],
                       themes=form.cleaned_data["themes"])  # fmt: skip
    if item.source.is_public:
        messages.success(request, _("« %(title)s » est retenu.") % {"title": item.title})
    else:
        messages.warning(request, _("« %(title)s » est retenu, mais sa source est privée : "
                                    "il reste interne.") % {"title": item.title})  # fmt: skip
    return redirect(request.POST.get("next") or reverse("veille:to-sort"))
