from django.urls import path
from django.views.i18n import set_language

from buendnis.accounts.policy import Action, requires
from buendnis.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("sprache/", requires(Action.PUBLIC)(set_language), name="set_language"),
]
