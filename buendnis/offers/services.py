"""Writes for public offers: publish (a whole series at once), withdraw, cancel, contact."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import Activity
from buendnis.core.identifiers import identifier_labels
from buendnis.core.locking import EditConflict, claim_version
from buendnis.offers import cache, selectors
from buendnis.offers.models import TRANSLATION_LANGUAGES, Offer, PublicContact


class OfferInvalid(Exception):
    """The offer cannot be published; ``problems`` maps field names to messages."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class OfferData:
    invitation: str
    translations: dict[str, str] = field(default_factory=dict)
    address: str = ""
    online_link: str = ""
    accessibility: str = ""
    registration: str = Offer.Registration.NONE
    registration_note: str = ""


def _is_a_persons_email(email: str) -> bool:
    return User.objects.annotate(low=Lower("email")).filter(low=email.strip().lower()).exists()


def validate_offer(*, activity: Activity, data: OfferData) -> dict[str, str]:
    problems: dict[str, str] = {}
    if activity.status != Activity.Status.PLANNED:
        problems["activity"] = _("Nur geplante Aktivitäten können veröffentlicht werden.")
    elif activity.starts_at <= timezone.now():
        problems["activity"] = _("Nur künftige Termine können veröffentlicht werden.")
    if not data.invitation.strip():
        problems["invitation"] = _("Bitte schreiben Sie einen kurzen Einladungstext.")
    unknown = set(data.translations) - set(TRANSLATION_LANGUAGES)
    if unknown:
        problems["translations"] = _("Unbekannte Sprache: %(codes)s") % {
            "codes": ", ".join(sorted(unknown))
        }
    # Public texts never name a person: no participant, no staff member's own contact.
    texts = {
        "invitation": data.invitation,
        **{f"invitation_{code}": text for code, text in data.translations.items()},
        "accessibility": data.accessibility,
        "registration_note": data.registration_note,
    }
    for name, text in texts.items():
        if found := identifier_labels(text):
            problems.setdefault(
                name,
                _(
                    "Der Text enthält %(found)s. Öffentliche Einladungen nennen keine Personen; "
                    "angemeldet wird über den öffentlichen Kontakt der Organisation."
                )
                % {"found": _(" und ").join(found)},
            )
    if not activity.online and activity.kreis_id is None:
        problems["address"] = _("Bitte geben Sie der Aktivität einen Kreis oder „online“.")
    if not activity.online and not data.address.strip():
        problems["address"] = _("Bitte geben Sie die Adresse an.")
    if data.registration == Offer.Registration.REQUIRED:
        contact = PublicContact.objects.filter(organisation_id=activity.organisation_id).first()
        if contact is None or not (contact.email or contact.phone or contact.website):
            problems["registration"] = _(
                "Für eine Anmeldung braucht die Organisation zuerst einen öffentlichen Kontakt."
            )
    return problems


def offer_version(offer: Offer | None) -> int:
    """The edit version a publish form carries: 0 before the first publication.

    ``revision`` (the calendar SEQUENCE, 0 when first published) counts every save, so the
    version is one more than it.
    """
    return 0 if offer is None else offer.revision + 1


def _claim_offer(activity: Activity, expected_version: int | None) -> set[int]:
    """Refuse a publish form older than the activity's offer (``EditConflict``).

    Returns the ids of offers whose revision the claim already raised.
    """
    if expected_version is None:
        return set()
    offer = Offer.objects.filter(activity=activity).first()
    if offer is None:
        return set()
    if expected_version == 0:  # the form was loaded before someone published it
        raise EditConflict(offer, expected=0, field="revision")
    claimed = claim_version(Offer, pk=offer.pk, expected=expected_version - 1, field="revision")
    return {claimed.pk}


@transaction.atomic
def offer_publish(
    *,
    activity: Activity,
    data: OfferData,
    whole_series: bool = True,
    expected_version: int | None = None,
) -> list[Offer]:
    """Publish the activity (and, for a series, its later planned sessions) as offers.

    Raises ``OfferInvalid`` without writing anything. An offer published again keeps its id
    (the calendar UID) and raises its revision (the calendar SEQUENCE). With
    ``expected_version`` (``offer_version`` when the form was loaded) a form older than the
    activity's offer raises ``EditConflict``.
    """
    problems = validate_offer(activity=activity, data=data)
    if problems:
        raise OfferInvalid(problems)
    claimed = _claim_offer(activity, expected_version)
    sessions = selectors.series_sessions(activity) if whole_series else [activity]
    translations = {
        code: text.strip() for code, text in data.translations.items() if text and text.strip()
    }
    published = []
    for session in sessions:
        offer = Offer.objects.select_for_update().filter(activity=session).first()
        if offer is None:
            offer = Offer(activity=session)
        elif offer.pk not in claimed:
            offer.revision += 1
        offer.public = True
        offer.invitation = data.invitation.strip()
        offer.translations = translations
        offer.address = "" if session.online else data.address.strip()
        offer.online_link = data.online_link.strip() if session.online else ""
        offer.accessibility = data.accessibility.strip()
        offer.registration = data.registration
        offer.registration_note = data.registration_note.strip()
        offer.save()
        published.append(offer)
    cache.invalidate()
    return published


@transaction.atomic
def offer_withdraw(*, activity: Activity, whole_series: bool = True) -> int:
    """Take the offer (and its series' later ones, cancelled too) off every public page."""
    sessions = (
        selectors.series_sessions(activity, selectors.SHOWN_STATUSES)
        if whole_series
        else [activity]
    )
    count = 0
    for offer in Offer.objects.select_for_update().filter(activity__in=sessions, public=True):
        offer.public = False
        offer.revision += 1
        offer.save(update_fields=["public", "revision", "updated_at"])
        count += 1
    cache.invalidate()
    return count


@transaction.atomic
def offer_cancel(*, activity: Activity) -> Activity:
    """Cancel one planned session: it stays in the feeds with STATUS:CANCELLED."""
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if current.status != Activity.Status.PLANNED:
        raise OfferInvalid({"activity": _("Nur geplante Aktivitäten können abgesagt werden.")})
    current.status = Activity.Status.CANCELLED
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    cache.invalidate()
    return current


@transaction.atomic
def contact_save(
    *, organisation: Organisation, email: str = "", phone: str = "", website: str = ""
) -> PublicContact:
    """Set the organisation's public contact; a person's own e-mail address is refused."""
    if email and _is_a_persons_email(email):
        raise OfferInvalid(
            {
                "email": _(
                    "Das ist die Adresse einer Person. Bitte nehmen Sie die Adresse der "
                    "Organisation (etwa info@…)."
                )
            }
        )
    contact, _created = PublicContact.objects.update_or_create(
        organisation=organisation,
        defaults={"email": email.strip(), "phone": phone.strip(), "website": website.strip()},
    )
    cache.invalidate()
    return contact
