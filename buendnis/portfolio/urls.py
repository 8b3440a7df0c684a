from django.urls import path

from buendnis.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.portfolio_page, name="index"),
    path("export/<str:kind>/", views.portfolio_export, name="export"),
]
