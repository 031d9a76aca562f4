from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperiencesConfig(AppConfig):
    """Documented experiences ("capitalisation"): structured, co-edited sheets (Wagtail pages)."""

    name = "essaim.experiences"
    label = "experiences"
    verbose_name = _("Expériences documentées")
