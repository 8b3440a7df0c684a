from django.urls import path

from buendnis.evaluation import views_framework, views_report, views_workflow, views_writing

app_name = "evaluation"
P = "<slug:slug>/<str:period>/"
W = "<slug:slug>/wirkungsrahmen/"
urlpatterns = [
    # Before the "<slug>/<period>/" patterns, which would otherwise take "bericht/<uuid>/".
    path("bericht/<uuid:job>/", views_report.report_job_status, name="report_job"),
    path("bericht/<uuid:job>/datei/", views_report.report_job_download, name="report_download"),
    path("<slug:slug>/", views_workflow.evaluation_list, name="list"),
    # The results framework, before "<slug>/<period>/" which would take "wirkungsrahmen".
    path(W, views_framework.framework_overview, name="framework"),
    path(W + "ziel/neu/", views_framework.goal_edit, name="framework_goal_create"),
    path(W + "ziel/<str:code>/", views_framework.goal_edit, name="framework_goal"),
    path(W + "indikator/neu/", views_framework.indicator_edit, name="framework_indicator_create"),
    path(W + "indikator/<str:code>/", views_framework.indicator_edit, name="framework_indicator"),
    path(
        W + "<int:version>/vorschlagen/",
        views_framework.framework_propose,
        name="framework_propose",
    ),
    path(
        W + "<int:version>/verwerfen/", views_framework.framework_discard, name="framework_discard"
    ),
    path(
        W + "<int:version>/zustimmen/", views_framework.framework_approve, name="framework_approve"
    ),
    path(
        W + "<int:version>/zurueckziehen/",
        views_framework.framework_withdraw,
        name="framework_withdraw",
    ),
    path("<slug:slug>/neu/", views_workflow.evaluation_create, name="create"),
    path("<slug:slug>/anpassungen/<int:pk>/", views_writing.adjustment_edit, name="adjustment"),
    path(P, views_workflow.evaluation_detail, name="detail"),
    path(P + "einfrieren/", views_workflow.evaluation_freeze, name="freeze"),
    path(P + "zurueckgeben/", views_workflow.evaluation_return, name="return"),
    path(P + "zustimmen/", views_workflow.evaluation_approve, name="approve"),
    path(P + "ziel/<str:goal>/", views_writing.reflection_edit, name="reflection"),
    path(P + "kommentar/<str:goal>/", views_writing.ministry_comment_edit, name="comment"),
    path(P + "gespraech/", views_writing.meeting_edit, name="meeting"),
    path(P + "anpassungen/neu/", views_writing.adjustment_create, name="adjustment_create"),
    path(P + "manuell/<str:code>/", views_writing.manual_value_edit, name="manual_value"),
    path(P + "oeffnen/", views_workflow.evaluation_reopen, name="reopen"),
    path(P + "sperren/", views_workflow.evaluation_relock, name="relock"),
    path(P + "bericht/", views_report.report_page, name="report"),
    path(P + "bericht/erstellen/", views_report.report_job_start, name="report_start"),
]
