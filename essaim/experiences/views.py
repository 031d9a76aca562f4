"""Pages of experience sheets, served by Wagtail (see the routes on the page models):
the list, a sheet, its co-editors' form, its history and comparison, its contact relay."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from essaim.agenda.models import Event
from essaim.common import exports as common_exports
from essaim.common import licences
from essaim.experiences import exports, services, structured_data
from essaim.experiences import history as revisions
from essaim.experiences.forms import (
    CoEditForm,
    ContactForm,
    FigureFormSet,
    StepFormSet,
    figure_initial,
    figures_value,
    step_initial,
    timeline_value,
)
from essaim.experiences.models import ExperienceIndexPage, ExperiencePage, Outcome
from essaim.initiatives.models import Initiative
from essaim.taxonomy.models import Theme
from essaim.territories.territory import commune_filter, find_territory

PER_PAGE = 12
HISTORY_PER_PAGE = 30
MAX_QUERY = 100


def _themes():
    return Prefetch("themes", Theme.objects.order_by("position", "name"))


# --- list --------------------------------------------------------------------------------


def experience_list(request, index: ExperienceIndexPage):
    """Live public sheets; ?theme= (with its sub-themes), ?territoire=, ?issue=."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    sheets, filters = _filtered(request)
    page = Paginator(sheets, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": index, "self": index, "results": page, "filters": filters,
               "query_string": query.urlencode(), "outcomes": Outcome.choices,
               "top_themes": Theme.objects.top_level().order_by("position", "name")}  # fmt: skip
    return render(request, "experiences/list.html", context)


def public_sheets():
    return ExperiencePage.objects.live().public()


def _filtered(request):
    sheets = (
        public_sheets()
        .select_related("commune__departement")
        .prefetch_related(_themes())
        .order_by("-first_published_at", "-pk")
    )
    filters = {"theme": None, "territory": None, "unknown_territory": False, "outcome": ""}
    if slug := request.GET.get("theme", "").strip()[:MAX_QUERY]:
        filters["theme"] = theme = Theme.objects.filter(slug=slug).first()
        ids = theme.family_ids() if theme else []
        sheets = sheets.filter(themes__in=ids).distinct()
    if key := request.GET.get("territoire", "").strip()[:MAX_QUERY]:
        filters["territory"] = territory = find_territory(key)
        filters["unknown_territory"] = territory is None
        sheets = sheets.filter(commune_filter(territory)) if territory else sheets.none()
    if (outcome := request.GET.get("issue", "")) in Outcome.values:
        filters["outcome"] = outcome
        sheets = sheets.filter(outcome=outcome)
    return sheets, filters


# --- detail ------------------------------------------------------------------------------


def detail(request, page: ExperiencePage, contact_form=None, status=200):
    if request.method not in ("GET", "HEAD") and contact_form is None:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render(request, "experiences/detail.html",
                  _detail_context(request, page, contact_form), status=status)  # fmt: skip


def _detail_context(request, page: ExperiencePage, contact_form=None) -> dict:
    path = page.get_url(request)  # a preview of a new page has none yet
    url = request.build_absolute_uri(path) if path else ""
    themes = list(page.themes.order_by("position", "name"))
    initiative = _public_initiative(page)
    initiative_url = request.build_absolute_uri(initiative.get_absolute_url()) if initiative else ""
    offers_contact = bool(services.contact_recipients(page))
    if offers_contact and contact_form is None:
        contact_form = ContactForm(request=request)
    document = structured_data.experience_document(page, url=url, themes=themes,
                                                   initiative_url=initiative_url)  # fmt: skip
    return {
        "page": page, "self": page, "themes": themes, "initiative": initiative,
        "events": _public_events(page), "sections": _sections(page),
        "jsonld": structured_data.script_json(document), "canonical_url": url,
        "licence_url": licences.url(page.licence), "licence_label": licences.label(page.licence),
        "contact_form": contact_form if offers_contact else None,
        "can_edit": services.can_co_edit(request.user, page),
    }  # fmt: skip


def _public_initiative(page: ExperiencePage) -> Initiative | None:
    if not page.initiative_id:
        return None
    return Initiative.objects.public().filter(pk=page.initiative_id).first()


def _public_events(page: ExperiencePage) -> list[Event]:
    if page.pk is None:  # a preview of a new page
        return []
    events = Event.objects.public().filter(experience_links__page=page)
    return list(events.select_related("commune").order_by("start", "pk").distinct())


def _sections(page: ExperiencePage) -> list[dict]:
    """The non-empty sections, in order, for the body and the table of contents."""
    meta = ExperiencePage._meta
    sections = []
    for name, anchor in ExperiencePage.SECTIONS:
        section = {"name": name, "anchor": anchor,
                   "title": str(meta.get_field(name).verbose_name).capitalize()}  # fmt: skip
        if name == "timeline":
            section["steps"] = [step.value for step in page.timeline]
            filled = bool(section["steps"])
        else:
            section["html"] = page.section_html(name)
            filled = bool(page.section_text(name))
        if name == "resources":
            filled = filled or page.budget_amount is not None
        if name == "results":
            section["figures"] = [figure.value for figure in page.key_figures]
            filled = filled or bool(section["figures"])
        if filled:
            sections.append(section)
    return sections


# --- contact -----------------------------------------------------------------------------


def contact(request, page: ExperiencePage):
    """Relays a visitor's message to the sheet's team (addresses never shown)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not services.contact_recipients(page):
        raise Http404
    form = ContactForm(request.POST, request=request)
    if not form.is_valid():
        return detail(request, page, contact_form=form, status=400)
    services.send_contact_message(page=page, **form.message_fields())
    return render(request, "experiences/contact_sent.html", {"page": page, "self": page})


# --- co-editing --------------------------------------------------------------------------


def _require_co_editor(request, page: ExperiencePage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.can_co_edit(request.user, page):
        raise PermissionDenied
    return None


def edit(request, page: ExperiencePage):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if refusal := _require_co_editor(request, page):
        return refusal
    if request.method == "POST" and "reviewed" in request.POST:
        services.mark_reviewed(page=page, by=request.user)
        messages.success(request, _("Merci ! La fiche est marquée comme relue aujourd'hui."))
        return redirect(page.get_url(request))
    data = request.POST if request.method == "POST" else None
    form = CoEditForm(data, page=page)
    steps = StepFormSet(data, initial=step_initial(page), prefix="etapes")
    figures = FigureFormSet(data, initial=figure_initial(page), prefix="chiffres")
    status = 200
    if data is not None:
        if (
            form.is_valid()
            and steps.is_valid()
            and figures.is_valid()
            and _save(request, page, form, steps, figures)
        ):
            messages.success(request, _("Vos modifications sont publiées."))
            return redirect(page.get_url(request))
        status = 400
    context = {"page": page, "self": page, "form": form, "steps": steps, "figures": figures}
    return render(request, "experiences/edit.html", context, status=status)


def _save(request, page: ExperiencePage, form, steps, figures) -> bool:
    changes = form.changes()
    changes["timeline"] = timeline_value(page, steps)
    changes["key_figures"] = figures_value(page, figures)
    try:
        services.save_co_edit(page=page, changes=changes, by=request.user,
                              note=form.cleaned_data["note"])  # fmt: skip
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
        return False
    return True


# --- history -----------------------------------------------------------------------------


def history(request, page: ExperiencePage):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    entries = Paginator(services.published_revisions(page), HISTORY_PER_PAGE)
    results = entries.get_page(request.GET.get("page"))
    rows = list(results)
    for row, older in zip(rows, [*rows[1:], None][: len(rows)], strict=True):
        row.previous_revision_id = older.revision_id if older else None
        row.author = services.public_name(row.revision.user)
        row.note = getattr(getattr(row.revision, "experience_note", None), "note", "")
    if rows and results.has_next():  # the oldest row on this page compares with the next page
        following = entries.page(results.next_page_number()).object_list[0]
        rows[-1].previous_revision_id = following.revision_id
    context = {"page": page, "self": page, "results": results, "rows": rows}
    return render(request, "experiences/history.html", context)


def compare(request, page: ExperiencePage):
    """?de=<revision>&a=<revision>: both must be publications of this sheet."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    published = services.published_revisions(page)
    ids = {}
    for param in ("de", "a"):
        try:
            ids[param] = int(request.GET.get(param, ""))
        except ValueError:
            raise Http404 from None
    entries = {e.revision_id: e for e in published.filter(revision_id__in=ids.values())}
    if set(ids.values()) - set(entries):
        raise Http404
    old, new = entries[ids["de"]], entries[ids["a"]]
    if old.timestamp > new.timestamp:
        old, new = new, old
    diffs = revisions.compare(old.revision.as_object(), new.revision.as_object())
    changed = [diff for diff in diffs if diff.changed]
    context = {"page": page, "self": page, "changed": changed, "old": old, "new": new,
               "old_author": services.public_name(old.revision.user),
               "new_author": services.public_name(new.revision.user)}  # fmt: skip
    return render(request, "experiences/compare.html", context)


@require_safe
def download_csv(request):
    """Every public sheet as a table, streamed (open data)."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    return common_exports.download(
        exports.csv_lines(base_url), content_type="text/csv; charset=utf-8",
        filename="experiences.csv",
    )  # fmt: skip
