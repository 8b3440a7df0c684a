from django.urls import path

from buendnis.counselling import views

app_name = "counselling"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("neu/<slug:agreement>/", views.contact_create, name="create"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("themen/<slug:agreement>/", views.topic_list, name="topics"),
    path("statistik/<slug:agreement>/", views.statistics, name="statistics"),
    path("statistik/<slug:agreement>/export.<str:fmt>", views.statistics_export, name="export"),
]
