"""Public offers for the demo: a Väter-Café series, an online evening and a family breakfast."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from buendnis.accounts.models import Organisation
from buendnis.activities.models import Activity, Format, Kreis
from buendnis.activities.services import ActivityData, activity_create, activity_next_session
from buendnis.agreements.models import Agreement
from buendnis.offers.models import Offer
from buendnis.offers.services import OfferData, contact_save, offer_publish


@dataclass(frozen=True)
class DemoOffer:
    title: str
    format_key: str
    kreis: str | None
    days: int
    hour: int
    languages: tuple[str, ...]
    sessions: int
    offer: OfferData


DEMO_OFFERS = (
    DemoOffer(
        "Väter-Café Offenbach",
        "vaetergruppe",
        "06413",
        3,
        18,
        ("de", "ar", "tr"),
        4,
        OfferData(
            invitation=(
                "Väter treffen sich bei Tee und Gebäck und reden über das, was sie bewegt: "
                "Erziehung in zwei Kulturen, Schule, Arbeit. Kinder sind willkommen."
            ),
            translations={
                "ar": "يلتقي الآباء على الشاي والحلويات ويتحدثون عما يشغلهم: التربية بين "
                "ثقافتين، المدرسة، العمل. الأطفال مرحب بهم.",
                "tr": "Babalar çay ve kurabiye eşliğinde buluşup onları meşgul eden konuları "
                "konuşuyor: iki kültür arasında eğitim, okul, iş. Çocuklar da gelebilir.",
                "en": "Fathers meet over tea and biscuits to talk about what matters to them: "
                "raising children between two cultures, school, work. Children are welcome.",
            },
            address="Bieberer Straße 12, 63065 Offenbach am Main",
            accessibility="Stufenloser Zugang, Spielecke für Kinder",
        ),
    ),
    DemoOffer(
        "Online-Abend: Vater sein auf Distanz",
        "online",
        None,
        10,
        20,
        ("de", "fa", "en"),
        1,
        OfferData(
            invitation="Ein Abend für Väter, deren Kinder weit weg leben. Online, anonym möglich.",
            translations={
                "fa": "شبی برای پدرانی که فرزندانشان دور از آن‌ها زندگی می‌کنند. آنلاین.",
                "en": "An evening for fathers whose children live far away. Online.",
            },
            online_link="https://meet.example.org/vaeter-abend",
            registration="required",
            registration_note="Den Link schicken wir nach der Anmeldung.",
        ),
    ),
    DemoOffer(
        "Familienfrühstück Kassel",
        "begegnung",
        "06611",
        5,
        10,
        ("de", "ru", "uk"),
        2,
        OfferData(
            invitation="Frühstück für Familien aus aller Welt – wir lernen uns kennen.",
            translations={
                "ru": "Завтрак для семей со всего мира – давайте познакомимся.",
                "uk": "Сніданок для родин з усього світу – знайомимося.",
            },
            address="Friedrich-Ebert-Straße 1, 34117 Kassel",
            accessibility="Aufzug vorhanden",
        ),
    ),
)


@transaction.atomic
def demo_offers_publish(*, agreement: Agreement, organisation: Organisation) -> int:
    """Plan and publish the demo's offers once; return how many sessions are public."""
    if Offer.objects.exists():
        return 0
    contact_save(
        organisation=organisation,
        email="angebote@iaf.example",
        phone="069 1234 5678",
        website="https://www.verband-binationaler.de",
    )
    today = timezone.localdate()
    count = 0
    for demo in DEMO_OFFERS:
        day = today + datetime.timedelta(days=demo.days)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(demo.hour)))
        first = activity_create(
            agreement=agreement,
            organisation=organisation,
            data=ActivityData(
                format=Format.objects.get(agreement=agreement, key=demo.format_key),
                title=demo.title,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                online=demo.kreis is None,
                kreis=Kreis.objects.get(pk=demo.kreis) if demo.kreis else None,
                place_name="" if demo.kreis is None else "Familienzentrum",
                languages=list(demo.languages),
            ),
        )
        session = first
        for _ in range(demo.sessions - 1):
            session = activity_next_session(activity=session)
        first = Activity.objects.get(pk=first.pk)  # now in its series
        count += len(offer_publish(activity=first, data=demo.offer))
    return count
