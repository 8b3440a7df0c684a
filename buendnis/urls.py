"""The URL map: one include per domain area."""

from django.urls import include, path

urlpatterns = [
    path("", include("buendnis.operations.urls")),
    path("", include("buendnis.core.urls")),
    path("konto/", include("buendnis.accounts.urls")),
    path("vereinbarungen/", include("buendnis.agreements.urls")),
    path("aktivitaeten/", include("buendnis.activities.urls")),
    path("beratung/", include("buendnis.counselling.urls")),
    path("auswertung/", include("buendnis.evaluation.urls")),
    path("", include("buendnis.feedback.urls")),
    path("api/v1/", include("buendnis.api.urls")),
    path("konto/api-schluessel/", include("buendnis.api.token_urls")),
    # Account security: second factor, sessions, unlocking (buendnis/accounts/security).
    path("konto/sicherheit/", include("buendnis.accounts.security.urls")),
    path("angebote/", include("buendnis.offers.urls")),
    path("protokoll/", include("buendnis.audit.urls")),
    path("offene-daten/", include("buendnis.opendata.urls")),
    path("portfolio/", include("buendnis.portfolio.urls")),
]
