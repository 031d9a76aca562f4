from django.urls import path

from essaim.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("evaluation/", views.index, name="index"),
    path("evaluation/projets/nouveau/", views.project_create, name="project-create"),
    path("evaluation/projets/<slug:slug>/", views.project_detail, name="project"),
    path("evaluation/projets/<slug:slug>/inviter/", views.invite, name="invite"),
    path(
        "evaluation/projets/<slug:slug>/evaluations/nouvelle/",
        views.assessment_create,
        name="assessment-create",
    ),
    path("evaluation/invitations/<str:token>/", views.invitation, name="invitation"),
    path("evaluation/evaluations/<int:pk>/", views.assessment_detail, name="assessment"),
    path("evaluation/evaluations/<int:pk>/repondre/", views.answer, name="answer"),
    path(
        "evaluation/evaluations/<int:pk>/repondre/<int:criterion>/", views.autosave, name="autosave"
    ),
    path("evaluation/evaluations/<int:pk>/consolider/", views.consolidate, name="consolidate"),
    path("evaluation/evaluations/<int:pk>/actions/", views.action_create, name="action-create"),
    path("evaluation/evaluations/<int:pk>/rapport/", views.report, name="report"),
    path("evaluation/evaluations/<int:pk>/rapport.pdf", views.report_pdf, name="report-pdf"),
    path("evaluation/evaluations/<int:pk>/export.csv", views.export_csv, name="export-csv"),
    path("evaluation/actions/<int:pk>/", views.action_update, name="action-update"),
    path("evaluation/campagnes/", views.campaign_list, name="campaigns"),
    path("evaluation/campagnes/<slug:slug>/", views.campaign, name="campaign"),
    path("evaluation/campagnes/<slug:slug>/rejoindre/", views.campaign_join, name="campaign-join"),
    path("donnees/evaluation-agregats.csv", views.aggregates_csv, name="aggregates-csv"),
]
