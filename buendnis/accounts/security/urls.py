from django.urls import path

from buendnis.accounts.security import views

app_name = "security"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("zwei-faktor/einrichten/", views.enrol, name="enrol"),
    path("zwei-faktor/code/", views.verify, name="verify"),
    path("zwei-faktor/codes/", views.recovery_codes, name="recovery_codes"),
    path("zwei-faktor/codes/neu/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("zwei-faktor/entfernen/", views.second_factor_remove, name="second_factor_remove"),
    path("sitzungen/<int:session_id>/beenden/", views.session_end, name="session_end"),
    path("sitzungen/alle-beenden/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("verwaltung/", views.manage, name="manage"),
    path("verwaltung/entsperren/", views.unlock, name="unlock"),
    path("verwaltung/zwei-faktor/", views.second_factor_reset, name="second_factor_reset"),
]
