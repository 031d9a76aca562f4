from django.urls import path
from django.views.decorators.http import require_safe

from essaim.common import exports as common_exports
from essaim.directory import exports, views

app_name = "directory"


def _download(name):
    produce, content_type = exports.DOWNLOADS[name]

    @require_safe
    def download(request):
        base_url = request.build_absolute_uri("/").rstrip("/")
        return common_exports.download(produce(base_url), content_type=content_type, filename=name)

    return download


urlpatterns = [
    path("annuaire/", views.organisation_list, name="list"),
    path("annuaire/proposer/", views.organisation_propose, name="propose"),
    path("annuaire/revendications/", views.claims, name="claims"),
    path("annuaire/personnes/", views.person_list, name="people"),
    path("annuaire/personnes/<slug:slug>/", views.person_detail, name="person"),
    path("annuaire/personnes/<slug:slug>/contact/", views.person_contact, name="person-contact"),
    path("annuaire/offres-besoins/", views.offer_need_list, name="offers-needs"),
    path("annuaire/offres-besoins/publier/", views.offer_need_publish, name="offer-need-publish"),
    path("annuaire/offres-besoins/<int:pk>/", views.offer_need_detail, name="offer-need"),
    path(
        "annuaire/offres-besoins/<int:pk>/contact/",
        views.offer_need_contact,
        name="offer-need-contact",
    ),
    path("annuaire/animateurs/", views.facilitator_list, name="facilitators"),
    path(
        "annuaire/animateurs/<int:pk>/contact/",
        views.facilitator_contact,
        name="facilitator-contact",
    ),
    path("annuaire/mon-territoire/", views.my_territory, name="my-territory"),
    path("annuaire/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("annuaire/<slug:slug>/contact/", views.organisation_contact, name="organisation-contact"),
    path("annuaire/<slug:slug>/modifier/", views.organisation_edit, name="organisation-edit"),
    path("annuaire/<slug:slug>/revendiquer/", views.organisation_claim, name="claim"),
    path("annuaire/<slug:slug>/liens/", views.organisation_links, name="links"),
    path("annuaire/<slug:slug>/membres/", views.organisation_members, name="members"),
    path("mon-compte/profil-annuaire/", views.my_profile, name="my-profile"),
    *[
        path(f"donnees/{name}", _download(name), name=f"download-{name.replace('.', '-')}")
        for name in exports.DOWNLOADS
    ],
]
