from django.urls import path

from essaim.consultations import views

app_name = "consultations"
P = "consultations/<slug:slug>/propositions/<int:pk>/"
urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/<slug:slug>/", views.detail, name="detail"),
    path("consultations/<slug:slug>/proposer/", views.propose, name="propose"),
    path("consultations/<slug:slug>/contribuer/", views.contribute, name="contribute"),
    path("consultations/<slug:slug>/suivre/", views.follow, name="follow"),
    path("consultations/<slug:slug>/resultats/", views.results, name="results"),
    path("consultations/<slug:slug>/resultats.csv", views.results_csv, name="results-csv"),
    path("consultations/<slug:slug>/resultats.json", views.results_json, name="results-json"),
    path(P, views.proposal_detail, name="proposal"),
    path(P + "modifier/", views.edit, name="edit"),
    path(P + "soutenir/", views.support, name="support"),
    path(P + "commenter/", views.comment, name="comment"),
    path(P + "repondre/", views.answer, name="answer"),
    path(P + "coauteurs/", views.invite, name="invite"),
    path(P + "contribution.pdf", views.contribution_pdf, name="pdf"),
    path(P + "pieces/<int:attachment>/", views.attachment, name="attachment"),
    path("donnees/consultations.csv", views.download_csv, name="download-csv"),
    path(
        "donnees/consultations-commentaires.csv",
        views.download_comments_csv,
        name="download-comments-csv",
    ),
]
