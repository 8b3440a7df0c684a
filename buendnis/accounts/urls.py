from django.contrib.auth import views as auth_views
from django.urls import path

from buendnis.accounts import views
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
    path("", views.profile, name="profile"),
    path("daten/", views.account_data, name="account_data"),
    path("passwort/", views.password_change, name="password_change"),
    path("passwort-vergessen/", views.password_reset, name="password_reset"),
    path("passwort-vergessen/gesendet/", views.password_reset_done, name="password_reset_done"),
    path(
        "passwort-neu/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("passwort-neu/fertig/", views.password_reset_complete, name="password_reset_complete"),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisationen/", views.organisation_list, name="organisation_list"),
    path("organisationen/neu/", views.organisation_create, name="organisation_create"),
    path("organisationen/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisationen/<int:pk>/loeschen/",
        views.organisation_delete,
        name="organisation_delete",
    ),
    path("personen/", views.people_list, name="people_list"),
    path("personen/einladen/", views.invitation_create, name="invitation_create"),
    path("personen/<int:pk>/", views.person_detail, name="person_detail"),
    path("personen/<int:pk>/rolle/<int:membership>/", views.person_role, name="person_role"),
    path("personen/<int:pk>/deaktivieren/", views.person_deactivate, name="person_deactivate"),
    path("personen/<int:pk>/reaktivieren/", views.person_reactivate, name="person_reactivate"),
    path(
        "personen/<int:pk>/pseudonymisieren/",
        views.person_pseudonymise,
        name="person_pseudonymise",
    ),
    path(
        "einladungen/<int:pk>/zurueckziehen/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
