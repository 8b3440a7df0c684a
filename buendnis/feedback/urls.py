"""Feedback URLs: the participants' short link at the site root, staff pages below it."""

from django.urls import path

from buendnis.feedback import views, views_public, views_questionnaires

app_name = "feedback"
urlpatterns = [
    path("r/<str:code>/", views_public.respond, name="respond"),
    path("r/<str:code>/danke/", views_public.thanks, name="thanks"),
    path("rueckmeldungen/aktivitaet/<int:pk>/", views.activity_feedback, name="activity"),
    path("rueckmeldungen/aktivitaet/<int:pk>/qr.<str:fmt>", views.activity_qr, name="qr"),
    path("rueckmeldungen/aktivitaet/<int:pk>/aushang.pdf", views.activity_handout, name="handout"),
    path(
        "rueckmeldungen/aktivitaet/<int:pk>/ergebnisse/",
        views.activity_results,
        name="activity_results",
    ),
    path("rueckmeldungen/<slug:slug>/ergebnisse/", views.agreement_results, name="results"),
    path(
        "rueckmeldungen/<slug:slug>/frageboegen/",
        views_questionnaires.questionnaire_list,
        name="questionnaires",
    ),
    path(
        "rueckmeldungen/fragebogen/<int:pk>/",
        views_questionnaires.questionnaire_detail,
        name="questionnaire",
    ),
    path(
        "rueckmeldungen/fragebogen/<int:pk>/sprache/",
        views_questionnaires.questionnaire_language,
        name="questionnaire_add_language",
    ),
    path(
        "rueckmeldungen/fragebogen/<int:pk>/sprache/<str:code>/",
        views_questionnaires.questionnaire_language,
        name="questionnaire_language",
    ),
    path(
        "rueckmeldungen/fragebogen/<int:pk>/fragen/",
        views_questionnaires.question_add,
        name="question_add",
    ),
    path(
        "rueckmeldungen/fragebogen/<int:pk>/fragen/<slug:key>/entfernen/",
        views_questionnaires.question_remove,
        name="question_remove",
    ),
]
