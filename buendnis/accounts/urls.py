from django.contrib.auth import views as auth_views
from django.urls import path

from buendnis.accounts.policy import Action, requires

app_name = "accounts"
urlpatterns = [
    path(
        "anmelden/",
        requires(Action.PUBLIC)(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html", redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path(
        "abmelden/",
        requires(Action.PUBLIC)(auth_views.LogoutView.as_view()),
        name="logout",
    ),
]
