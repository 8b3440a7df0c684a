from django.urls import path

from buendnis.agreements import views, views_text

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("neu/", views_text.agreement_import, name="import"),
    path("neu/vorschau/", views_text.agreement_import_preview, name="import_preview"),
    path("<slug:slug>/", views.agreement_detail, name="detail"),
    path("<slug:slug>/dokumentation/", views.procedure_history, name="procedure_history"),
    path("<slug:slug>/dokumentation/neu/", views.procedure_propose, name="procedure_propose"),
    path("<slug:slug>/bearbeiten/", views_text.agreement_edit, name="edit"),
    path(
        "<slug:slug>/dokumentation/<int:version>/zustimmen/",
        views.procedure_approve_view,
        name="procedure_approve",
    ),
]
