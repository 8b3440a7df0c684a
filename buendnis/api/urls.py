"""``/api/v1/``: the docs page and the API's operations."""

from django.urls import path, re_path

from buendnis.api import views
from buendnis.api.api import url_patterns

app_name = "api"
urlpatterns = [
    path("docs/", views.docs, name="docs"),
    # before ninja's own root, which answers an HTML page
    path("", views.unknown, name="root"),
    *url_patterns(),
    re_path(r"^.+$", views.unknown, name="unknown"),
]
