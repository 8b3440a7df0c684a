"""Reproducible synthetic counselling contacts for the demo, tests and benchmarks.

Same arguments and seed, same contacts. Weights follow what a binational family
association's counselling looks like: mostly residence and family law, a fifth of the
contacts from professionals of other organisations.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from buendnis.accounts.models import Membership, Organisation
from buendnis.agreements.models import Agreement
from buendnis.counselling.models import Contact
from buendnis.counselling.services import topics_setup

KIND_WEIGHTS = {"legal": 5, "psychosocial": 3, "both": 2}
SOUGHT_BY_WEIGHTS = {"family": 5, "individual": 3, "professional": 2}
CHANNEL_WEIGHTS = {"phone": 5, "in_person": 4, "video": 1, "email": 2, "chat": 1}
LANGUAGE_SETS = [["de"], ["de"], ["de", "ar"], ["de", "tr"], ["de", "en"], ["fa"], ["de", "ru"]]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def contacts_generate(*, agreement: Agreement, years: range, per_year: int, seed: int = 1) -> int:
    """Add ``per_year`` contacts to each year (up to today) for the first counselling partner."""
    partner = (
        agreement.partners.exclude(organisation__kind=Organisation.Kind.MINISTRY)
        .select_related("organisation")
        .first()
    )
    if partner is None:
        return 0
    organisation = partner.organisation
    counsellors = list(
        Membership.objects.filter(
            organisation=organisation, role=Membership.Role.FACHKRAFT
        ).values_list("user_id", flat=True)
    )
    topics = [topic.pk for topic in topics_setup(agreement=agreement)]
    today = timezone.localdate()
    through = Contact.topics.through
    created = 0
    for year in years:
        rng = random.Random(f"{seed}:counselling:{agreement.slug}:{year}")  # noqa: S311
        first_day = datetime.date(year, 1, 1)
        last_day = min(datetime.date(year, 12, 31), today)
        if last_day < first_day:
            continue
        span = (last_day - first_day).days
        contacts = [
            Contact(
                agreement=agreement,
                organisation=organisation,
                counsellor_id=rng.choice(counsellors) if counsellors else None,
                date=first_day + datetime.timedelta(days=rng.randint(0, span)),
                channel=_pick(rng, CHANNEL_WEIGHTS),
                sought_by=_pick(rng, SOUGHT_BY_WEIGHTS),
                kind=_pick(rng, KIND_WEIGHTS),
                languages=rng.choice(LANGUAGE_SETS),
                duration_minutes=rng.choice([15, 20, 30, 30, 45, 45, 60, 90]),
                first_contact=rng.random() < 0.45,
            )
            for _ in range(per_year * span // 364 if year == today.year else per_year)
        ]
        Contact.objects.bulk_create(contacts, batch_size=1000)
        through.objects.bulk_create(
            (
                through(contact_id=contact.pk, topic_id=topic)
                for contact in contacts
                for topic in rng.sample(topics, k=rng.choice([1, 1, 2, 3]))
            ),
            batch_size=2000,
        )
        created += len(contacts)
    return created
