"""Writing an imported or corrected agreement text: links, paragraphs kept, versions."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.importer import (
    ParsedAgreement,
    ParsedParagraph,
    ParsedPartner,
    ParsedSignatory,
)
from buendnis.agreements.models import Agreement, AgreementTextVersion, Goal, Signatory
from buendnis.agreements.services import (
    ReasonRequired,
    agreement_correct,
    agreement_create_from_import,
    agreement_slug,
)

TODAY = timezone.localdate()
HMSI = "Hessisches Ministerium für Soziales und Integration"


def _parsed(**changes: object) -> ParsedAgreement:
    parsed = ParsedAgreement(
        title="Ankommen im Quartier",
        topic="Nachbarschaft",
        partners=[
            ParsedPartner("Hessisches Netzwerk Nachbarschaft e.V."),
            ParsedPartner(HMSI),
        ],
        paragraphs=[
            ParsedParagraph(1, "Präambel", "Nachbarschaft zählt."),
            ParsedParagraph(2, "Ziele", "Begegnung stärken."),
            ParsedParagraph(2, "Feste", "Zehn Feste im Jahr.", "a"),
            ParsedParagraph(3, "Schluss", "Tritt am Tage nach der Unterzeichnung in Kraft."),
        ],
        place="Wiesbaden",
        signed_on=None,
        signatories=[
            ParsedSignatory("Dr. Lena Vogt", "Vorsitzende", "Hessisches Netzwerk Nachbarschaft"),
            ParsedSignatory("Heike Hofmann", "Staatsministerin", HMSI),
        ],
    )
    return dataclasses.replace(parsed, **changes)


@pytest.mark.django_db
def test_it_stores_a_draft_without_a_signing_date_and_orders_lettered_paragraphs() -> None:
    agreement = agreement_create_from_import(parsed=_parsed())
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.in_force_on is None
    assert [p.label for p in agreement.paragraphs.all()] == ["1", "2", "2a", "3"]
    signatories = agreement.signatories.select_related("organisation")
    assert [s.organisation.name for s in signatories] == [
        "Hessisches Netzwerk Nachbarschaft e.V.",
        HMSI,
    ]


@pytest.mark.django_db
def test_it_links_a_partner_to_the_organisation_chosen_and_keeps_the_name_as_alias(
    ministry_org: Organisation,
) -> None:
    partners = [
        ParsedPartner("Hessisches Netzwerk Nachbarschaft e.V."),
        ParsedPartner("Sozialministerium Hessen", organisation_id=ministry_org.pk, role="ministry"),
    ]
    agreement = agreement_create_from_import(parsed=_parsed(partners=partners))
    partner = agreement.partners.get(position=1)
    assert (partner.organisation, partner.role) == (ministry_org, "ministry")
    ministry_org.refresh_from_db()
    assert "Sozialministerium Hessen" in ministry_org.aliases
    assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_it_never_makes_the_import_page_a_slug() -> None:
    assert agreement_slug("Neu") == "neu-2"


@pytest.mark.django_db
def test_it_corrects_a_draft_without_a_version_and_keeps_paragraph_rows(admin_user: User) -> None:
    agreement = agreement_create_from_import(parsed=_parsed())
    goal = Goal.objects.create(agreement=agreement, code="Z1", title="Begegnung")
    goal.paragraphs.add(agreement.paragraphs.get(number=2, suffix=""))
    corrected = _parsed(
        paragraphs=[
            ParsedParagraph(1, "Präambel", "Nachbarschaft zählt sehr."),
            ParsedParagraph(2, "Ziele", "Begegnung stärken."),
            ParsedParagraph(3, "Schluss", "Tritt am Tage nach der Unterzeichnung in Kraft."),
        ],
        signed_on=TODAY + datetime.timedelta(days=30),
    )

    assert agreement_correct(agreement=agreement, parsed=corrected, user=admin_user) is None

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE
    assert agreement.in_force_on == TODAY + datetime.timedelta(days=31)
    assert [p.label for p in agreement.paragraphs.all()] == ["1", "2", "3"]
    assert list(goal.paragraphs.values_list("number", flat=True)) == [2]
    assert AgreementTextVersion.objects.count() == 0


@pytest.mark.django_db
def test_it_needs_a_reason_once_in_force_and_keeps_the_text_before(admin_user: User) -> None:
    agreement = agreement_create_from_import(
        parsed=_parsed(signed_on=TODAY - datetime.timedelta(days=30))
    )
    changed = _parsed(signed_on=TODAY - datetime.timedelta(days=30), title="Ankommen im Viertel")

    with pytest.raises(ReasonRequired):
        agreement_correct(agreement=agreement, parsed=changed, user=admin_user, reason="  ")
    agreement.refresh_from_db()
    assert agreement.title == "Ankommen im Quartier"

    first = agreement_correct(
        agreement=agreement, parsed=changed, user=admin_user, reason="Titel berichtigt"
    )
    same = agreement_correct(
        agreement=agreement, parsed=changed, user=admin_user, reason="nichts geändert"
    )
    second = agreement_correct(
        agreement=agreement,
        parsed=dataclasses.replace(changed, place="Kassel"),
        user=admin_user,
        reason="Ort berichtigt",
    )

    assert same is None
    assert first is not None and second is not None
    assert (first.number, second.number) == (1, 2)
    assert first.previous["title"] == "Ankommen im Quartier"
    assert second.previous["title"] == "Ankommen im Viertel"
    assert second.previous["place"] == "Wiesbaden"
    assert [p["suffix"] for p in first.previous["paragraphs"]] == ["", "", "a", ""]
    agreement.refresh_from_db()
    assert (agreement.title, agreement.place) == ("Ankommen im Viertel", "Kassel")


@pytest.mark.django_db
def test_it_writes_nothing_when_a_correction_fails_halfway(
    admin_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreement = agreement_create_from_import(parsed=_parsed())

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Signatory.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        agreement_correct(agreement=agreement, parsed=_parsed(title="Anders"), user=admin_user)
    agreement.refresh_from_db()
    assert agreement.title == "Ankommen im Quartier"
    assert agreement.signatories.count() == 2
