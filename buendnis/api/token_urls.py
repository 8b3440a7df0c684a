"""Personal API tokens on the profile page (``/konto/api-schluessel/``)."""

from django.urls import path

from buendnis.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.token_create, name="create"),
    path("<int:pk>/widerrufen/", views.token_revoke, name="revoke"),
]
