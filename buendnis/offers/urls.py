from django.urls import path

from buendnis.offers import views, views_public

app_name = "offers"
urlpatterns = [
    path("", views_public.offer_list_page, name="list"),
    path("<int:pk>/", views_public.offer_detail, name="detail"),
    path("<int:pk>.ics", views_public.offer_ics, name="ics"),
    path("organisation/<int:pk>/", views_public.organisation_detail, name="organisation"),
    path("einbetten/<int:pk>/", views_public.embed, name="embed"),
    path("kalender.ics", views_public.calendar_feed, name="calendar"),
    path("neu.atom", views_public.atom_feed, name="atom"),
    path("veroeffentlichen/<int:pk>/", views.publish, name="publish"),
    path("kontakt/<int:pk>/", views.contact, name="contact"),
]
