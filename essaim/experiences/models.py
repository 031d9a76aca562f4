"""Documented experiences: structured sheets (Wagtail pages) under one index, /experiences/.

A sheet tells what a project did, what worked, what did not and why, and what it would
take to do it elsewhere. Staff create sheets in the back office; the sheet's own team
(its co-editors) keep it up to date from a front-end form, each save a Wagtail revision.
What every public surface shows: ``ExperiencePage.objects.live().public()``.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from essaim.common import licences
from essaim.common.html import strip_html
from essaim.common.pages import EssaimPageManager
from essaim.experiences import blocks
from essaim.experiences.choosers import (
    commune_chooser,
    event_chooser,
    initiative_chooser,
    user_chooser,
)
from essaim.experiences.contact_details import find_contact_details
from essaim.experiences.templatetags.experiences import figure as format_figure

# Bold, italic, lists, links, one heading level: enough for a narrative, little to misuse.
TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]
NO_CONTACT_HELP = _(
    "N'écrivez ni adresse e-mail ni numéro de téléphone : la fiche est publique et "
    "réutilisable ; les visiteurs écrivent à l'équipe par un formulaire de contact."
)


class Outcome(models.TextChoices):
    SUCCESS = "reussite", _("Réussite")
    PARTIAL = "reussite-partielle", _("Réussite partielle")
    INSTRUCTIVE_FAILURE = "echec-instructif", _("Échec instructif")
    ABANDONED = "abandon", _("Projet abandonné")
    ONGOING = "en-cours", _("En cours")


def narrative(label, help_text=""):
    """A rich-text section of the sheet."""
    full_help = f"{help_text} {NO_CONTACT_HELP}" if help_text else NO_CONTACT_HELP
    return RichTextField(label, blank=True, features=TEXT_FEATURES, help_text=full_help)


class ExperienceIndexPage(RoutablePageMixin, Page):
    """/experiences/: the filterable list of sheets (one such page, made by a migration)."""

    introduction = models.TextField(_("introduction"), blank=True)

    objects = EssaimPageManager()

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["experiences.ExperiencePage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    class Meta:
        verbose_name = _("liste des expériences")

    @path("")
    def list_view(self, request):
        from essaim.experiences import views

        return views.experience_list(request, self)


class ExperiencePage(RoutablePageMixin, Page):
    """One experience sheet (the "fiche de capitalisation")."""

    objects = EssaimPageManager()

    summary = models.TextField(
        _("résumé"), max_length=500, help_text=_("500 caractères au plus, sans mise en forme.")
    )
    context = narrative(_("contexte et besoin"), _("D'où est parti le projet, pour qui."))
    actors = narrative(_("acteurs et partenaires"))
    timeline = StreamField(blocks.timeline_blocks(), blank=True, verbose_name=_("étapes"))
    resources = narrative(_("moyens et budget"), _("Personnes, temps, argent, lieux, outils."))
    budget_amount = models.DecimalField(
        _("budget total (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    results = narrative(_("résultats"))
    key_figures = StreamField(blocks.figure_blocks(), blank=True, verbose_name=_("chiffres clés"))
    what_worked = narrative(_("ce qui a marché"))
    what_did_not_work = narrative(_("ce qui n'a pas marché, et pourquoi"))
    lessons = narrative(_("enseignements"), _("Ce que vous feriez autrement."))
    replication = narrative(_("conditions pour reproduire ailleurs"))

    outcome = models.CharField(_("issue"), max_length=20, choices=Outcome.choices)
    started_on = models.DateField(_("début"), null=True, blank=True)
    ended_on = models.DateField(_("fin"), null=True, blank=True, help_text=_("Vide si en cours."))
    themes = ParentalManyToManyField(
        "taxonomy.Theme", related_name="experiences", verbose_name=_("thèmes"), blank=True
    )
    commune = models.ForeignKey(
        "territories.Commune", models.PROTECT, null=True, blank=True,
        related_name="experiences", verbose_name=_("commune"),
    )  # fmt: skip
    initiative = models.ForeignKey(
        "initiatives.Initiative", models.SET_NULL, null=True, blank=True,
        related_name="experiences", verbose_name=_("initiative liée"),
        help_text=_("Affichée seulement tant que l'initiative est publiée sur la carte."),
    )  # fmt: skip
    # Free text until the directory exists; it will become a link to an organisation.
    organisation_name = models.CharField(_("structure porteuse"), max_length=200, blank=True)
    licence = licences.licence_field()
    last_reviewed_on = models.DateField(
        _("dernière relecture"), default=timezone.localdate,
        help_text=_("Chaque année, les co-éditeur·rices reçoivent un rappel de relecture."),
    )  # fmt: skip

    # The narrative, in reading order: (field name, table-of-contents anchor).
    SECTIONS = [
        ("context", "contexte"), ("actors", "acteurs"), ("timeline", "etapes"),
        ("resources", "moyens"), ("results", "resultats"), ("what_worked", "ce-qui-a-marche"),
        ("what_did_not_work", "ce-qui-n-a-pas-marche"), ("lessons", "enseignements"),
        ("replication", "reproduire"),
    ]  # fmt: skip
    RICH_TEXT_FIELDS = [
        "context", "actors", "resources", "results", "what_worked", "what_did_not_work",
        "lessons", "replication",
    ]  # fmt: skip

    parent_page_types = ["experiences.ExperienceIndexPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([
            FieldPanel("outcome"),
            FieldRowPanel([FieldPanel("started_on"), FieldPanel("ended_on")]),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldPanel("commune", widget=commune_chooser.widget_class),
            FieldPanel("initiative", widget=initiative_chooser.widget_class),
            FieldPanel("organisation_name"),
        ], heading=_("En bref")),
        FieldPanel("context"),
        FieldPanel("actors"),
        FieldPanel("timeline"),
        MultiFieldPanel([FieldPanel("resources"), FieldPanel("budget_amount")],
                        heading=_("Moyens et budget")),
        MultiFieldPanel([FieldPanel("results"), FieldPanel("key_figures")],
                        heading=_("Résultats")),
        FieldPanel("what_worked"),
        FieldPanel("what_did_not_work"),
        FieldPanel("lessons"),
        FieldPanel("replication"),
        InlinePanel("event_links", heading=_("Événements liés"), label=_("Événement")),
        InlinePanel("co_editors", heading=_("Co-éditeur·rices"), label=_("Co-éditeur·rice"),
                    help_text=_("Les membres de l'équipe qui tiennent la fiche à jour depuis "
                                "le site, sans passer par l'administration.")),
        MultiFieldPanel([FieldPanel("licence"), FieldPanel("last_reviewed_on")],
                        heading=_("Licence et relecture")),
    ]  # fmt: skip

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("context"),
        index.SearchField("actors"),
        index.SearchField("results"),
        index.SearchField("what_worked"),
        index.SearchField("what_did_not_work"),
        index.SearchField("lessons"),
        index.SearchField("replication"),
        index.SearchField("organisation_name"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("commune", [index.SearchField("name")]),
        index.FilterField("outcome"),
    ]
    search_type_label = _("Expériences")

    class Meta:
        verbose_name = _("expérience documentée")
        verbose_name_plural = _("expériences documentées")

    def search_summary(self) -> str:
        return self.summary

    # --- validation ------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        for name in ["title", "summary", *self.RICH_TEXT_FIELDS]:
            if found := find_contact_details(getattr(self, name)):
                errors[name] = contact_details_error(found)
        if found := find_contact_details(self.timeline_text()):
            errors["timeline"] = contact_details_error(found)
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("La fin ne peut pas précéder le début.")
        if errors:
            raise ValidationError(errors)

    # --- reading ---------------------------------------------------------------------

    def section_html(self, name: str) -> str:
        """The stored rich text with Wagtail's links expanded; templates pass it to
        ``rich_text``, which sanitises it."""
        return expand_db_html(getattr(self, name) or "")

    def section_text(self, name: str) -> str:
        """A section as plain text (history diffs, e-mails)."""
        if name == "timeline":
            return self.timeline_text()
        if name == "key_figures":
            return self.figures_text()
        return strip_html(getattr(self, name) or "")

    def timeline_text(self) -> str:
        return "\n".join(
            " — ".join(
                part
                for part in (step.value["period"], step.value["title"], step.value["text"])
                if part
            )  # fmt: skip
            for step in self.timeline
        )

    def figures_text(self) -> str:
        lines = []
        for figure in self.key_figures:
            value = format_figure(figure.value["value"])
            lines.append(f"{figure.value['label']} : {value} {figure.value['unit']}".strip())
        return "\n".join(lines)

    @property
    def is_finished(self) -> bool:
        return self.ended_on is not None

    # --- sub-pages: edit form, history, contact (see views) ---------------------------

    @path("")
    def detail_view(self, request):
        from essaim.experiences import views

        return views.detail(request, self)

    @path("modifier/")
    def edit_view(self, request):
        from essaim.experiences import views

        return views.edit(request, self)

    @path("historique/")
    def history_view(self, request):
        from essaim.experiences import views

        return views.history(request, self)

    @path("historique/comparer/")
    def compare_view(self, request):
        from essaim.experiences import views

        return views.compare(request, self)

    @path("contact/")
    def contact_view(self, request):
        from essaim.experiences import views

        return views.contact(request, self)


def contact_details_error(found: list[str]) -> ValidationError:
    return ValidationError(
        _("Retirez les coordonnées personnelles (%(found)s) : la fiche est publique. Les "
          "visiteurs écrivent à l'équipe par le formulaire de contact."),
        code="contact_details", params={"found": ", ".join(found)},
    )  # fmt: skip


class ExperienceCoEditor(Orderable):
    """A member of the sheet's team, who may edit it from the site."""

    page = ParentalKey(ExperiencePage, on_delete=models.CASCADE, related_name="co_editors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="co_edited_experiences",
        verbose_name=_("personne"),
    )  # fmt: skip
    receives_messages = models.BooleanField(
        _("reçoit les messages des visiteurs"), default=True,
        help_text=_("Les messages du formulaire « Reproduire cette expérience » lui sont "
                    "transmis ; son adresse n'est jamais affichée."),
    )  # fmt: skip

    panels = [FieldPanel("user", widget=user_chooser.widget_class), FieldPanel("receives_messages")]

    class Meta(Orderable.Meta):
        verbose_name = _("co-éditeur·rice")
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="experience_unique_co_editor")
        ]


class ExperienceEvent(Orderable):
    """An agenda event the sheet links to (shown only while the event is public)."""

    page = ParentalKey(ExperiencePage, on_delete=models.CASCADE, related_name="event_links")
    event = models.ForeignKey(
        "agenda.Event", models.CASCADE, related_name="experience_links",
        verbose_name=_("événement"),
    )  # fmt: skip

    panels = [FieldPanel("event", widget=event_chooser.widget_class)]

    class Meta(Orderable.Meta):
        verbose_name = _("événement lié")


class RevisionNote(models.Model):
    """The change note a co-editor wrote with a revision (Wagtail revisions have none)."""

    revision = models.OneToOneField(
        "wagtailcore.Revision", models.CASCADE, related_name="experience_note"
    )
    note = models.CharField(_("note de modification"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("note de modification")

    def __str__(self):
        return self.note


class ReviewReminder(models.Model):
    """A yearly "is this sheet still right?" e-mail sent to a sheet's co-editors."""

    page = models.ForeignKey(ExperiencePage, models.CASCADE, related_name="review_reminders")
    sent_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        verbose_name = _("rappel de relecture")
        indexes = [models.Index(fields=["page", "sent_at"], name="experience_reminder_page")]

    def __str__(self):
        return f"{self.page_id} @ {self.sent_at:%Y-%m-%d}"
