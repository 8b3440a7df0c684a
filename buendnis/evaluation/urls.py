from django.urls import path

from buendnis.evaluation import views_report, views_workflow, views_writing

app_name = "evaluation"
P = "<slug:slug>/<str:period>/"
urlpatterns = [
    # Before the "<slug>/<period>/" patterns, which would otherwise take "bericht/<uuid>/".
    path("bericht/<uuid:job>/", views_report.report_job_status, name="report_job"),
    path("bericht/<uuid:job>/datei/", views_report.report_job_download, name="report_download"),
    path("<slug:slug>/", views_workflow.evaluation_list, name="list"),
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
