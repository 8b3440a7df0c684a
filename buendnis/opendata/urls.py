from django.urls import path

from buendnis.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.download_list, name="list"),
    path("verwalten/", views.manage, name="manage"),
    path("verwalten/<slug:slug>/", views.switch, name="switch"),
    path("<slug:slug>/<int:year>.zip", views.download_zip, name="zip"),
    path("<slug:slug>/<int:year>/<str:filename>", views.download_file, name="file"),
]
