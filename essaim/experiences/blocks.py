"""StreamField blocks of an experience sheet: timeline steps and key figures."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class StepBlock(blocks.StructBlock):
    period = blocks.CharBlock(
        label=_("Période ou date"), max_length=60, help_text=_("Ex. : « Printemps 2021 ».")
    )
    title = blocks.CharBlock(label=_("Titre de l'étape"), max_length=120)
    text = blocks.TextBlock(label=_("Ce qui s'est passé"), required=False)

    class Meta:
        icon = "date"
        label = _("Étape")


class KeyFigureBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Ce qui est compté"), max_length=120)
    value = blocks.DecimalBlock(label=_("Valeur"), decimal_places=2, max_digits=14)
    unit = blocks.CharBlock(
        label=_("Unité"),
        max_length=30,
        required=False,
        help_text=_("Ex. : « foyers », « € », « t »"),
    )

    class Meta:
        icon = "table"
        label = _("Chiffre clé")


def timeline_blocks():
    return [("step", StepBlock())]


def figure_blocks():
    return [("figure", KeyFigureBlock())]
