from django.urls import path

from buendnis.activities import views, views_formats, views_io

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("neu/<slug:agreement>/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/dokumentieren/", views.activity_edit, name="edit"),
    path("<int:pk>/naechster-termin/", views.activity_next_session_view, name="next_session"),
    path("<int:pk>/pruefen/", views.activity_review_view, name="review"),
    path("export.<str:fmt>", views_io.activity_export, name="export"),
    path("import/", views_io.activity_import, name="import"),
    path("netzwerk/", views.network_partner_list, name="network"),
    path("formate/<slug:agreement>/", views.format_list, name="formats"),
    path("formate/<slug:agreement>/neu/", views_formats.format_create, name="format_create"),
    path(
        "formate/<slug:agreement>/<int:pk>/bearbeiten/",
        views_formats.format_edit,
        name="format_edit",
    ),
]
