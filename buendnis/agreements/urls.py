from django.urls import path

from buendnis.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("<slug:slug>/", views.agreement_detail, name="detail"),
    path("<slug:slug>/dokumentation/", views.procedure_history, name="procedure_history"),
    path("<slug:slug>/dokumentation/neu/", views.procedure_propose, name="procedure_propose"),
    path(
        "<slug:slug>/dokumentation/<int:version>/zustimmen/",
        views.procedure_approve_view,
        name="procedure_approve",
    ),
]
