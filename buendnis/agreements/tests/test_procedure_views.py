"""The § 7 procedure page: every version readable, partners agree per version."""

import datetime

from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import Organisation, User
from buendnis.activities.selectors import current_deadline_days
from buendnis.activities.services import documentation_setup
from buendnis.agreements.models import Agreement, DocumentationProcedure, ProcedureApproval
from buendnis.agreements.selectors import (
    effective_deadline_days,
    effective_procedure,
    effective_procedures,
)
from buendnis.agreements.services import procedure_approve, procedure_create_version


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(agreement: Agreement, version: int) -> str:
    return reverse("agreements:procedure_approve", args=[agreement.slug, version])


def test_it_shows_every_version(agreement: Agreement, fachkraft: User) -> None:
    procedure_create_version(agreement=agreement, deadline_days=14, required_fields=["title"])
    procedure_create_version(agreement=agreement, deadline_days=10, required_fields=["reach"])
    page = (
        _client(fachkraft).get(reverse("agreements:procedure_history", args=[agreement.slug])).text
    )
    assert "Version 1" in page and "Version 2" in page
    assert "14 Tage nach der Aktivität" in page
    assert "10 Tage nach der Aktivität" in page


def test_it_records_the_coordinators_agreement(
    agreement: Agreement, koordination: User, partner_org: Organisation
) -> None:
    procedure = procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    response = _client(koordination).post(_url(agreement, 1))
    assert response.status_code == 302
    approval = ProcedureApproval.objects.get(procedure=procedure)
    assert approval.organisation == partner_org
    assert approval.agreed_by == koordination


def test_it_offers_the_button_only_to_a_partner_still_pending(
    agreement: Agreement, koordination: User, referentin: User, ministry_org: Organisation
) -> None:
    procedure = procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    procedure_approve(
        procedure=procedure, organisation=ministry_org, agreed_on=datetime.date(2020, 1, 1)
    )
    history = reverse("agreements:procedure_history", args=[agreement.slug])
    assert "Diesem Verfahren zustimmen" in _client(koordination).get(history).text
    assert "Diesem Verfahren zustimmen" not in _client(referentin).get(history).text


def test_it_refuses_a_fachkraft(agreement: Agreement, fachkraft: User) -> None:
    procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    assert _client(fachkraft).post(_url(agreement, 1)).status_code == 404
    assert not ProcedureApproval.objects.exists()


def test_it_denies_other_organisation(agreement: Agreement, outsider: User) -> None:
    procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    client = _client(outsider)
    assert client.post(_url(agreement, 1)).status_code == 404
    history = reverse("agreements:procedure_history", args=[agreement.slug])
    assert client.get(history).status_code == 404
    propose = reverse("agreements:procedure_propose", args=[agreement.slug])
    assert client.get(propose).status_code == 404
    assert client.post(propose, {"deadline_days": "3"}).status_code == 404
    assert not ProcedureApproval.objects.exists()
    assert DocumentationProcedure.objects.count() == 1


def test_it_accepts_agreement_only_by_post(agreement: Agreement, koordination: User) -> None:
    procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    assert _client(koordination).get(_url(agreement, 1)).status_code == 405


# --- new versions (issue 14) ----------------------------------------------------------


def _propose_url(agreement: Agreement) -> str:
    return reverse("agreements:procedure_propose", args=[agreement.slug])


def _history(agreement: Agreement) -> str:
    return reverse("agreements:procedure_history", args=[agreement.slug])


def test_it_shows_required_fields_with_their_german_labels(
    agreement: Agreement, fachkraft: User
) -> None:
    procedure_create_version(
        agreement=agreement,
        deadline_days=14,
        required_fields=["title", "format", "start", "end", "location", "reach", "reflection"],
    )
    page = _client(fachkraft).get(_history(agreement)).text
    shown = page.split("data-required-fields>", 1)[1].split("</dd>", 1)[0]
    assert shown == (
        "Titel, Format, Beginn, Ende, Ort (Kreis), "
        "Reichweite (Teilnehmende nach Kategorien), Reflexion"
    )
    assert "title, format, start" not in page


def test_it_names_every_field_the_activity_form_can_require() -> None:
    from buendnis.activities.forms import REQUIRED_FIELD_MAP

    assert set(DocumentationProcedure.Field.values) == set(REQUIRED_FIELD_MAP)


def test_it_lets_the_coordinator_propose_a_version_with_labels_and_categories(
    agreement: Agreement, koordination: User, partner_org: Organisation
) -> None:
    documentation_setup(agreement=agreement, on=datetime.date(2019, 6, 4))
    first = procedure_create_version(
        agreement=agreement, deadline_days=14, required_fields=["title"]
    )
    for partner in agreement.partners.all():
        procedure_approve(
            procedure=first, organisation=partner.organisation, agreed_on=datetime.date(2020, 1, 1)
        )
    client = _client(koordination)
    form = client.get(_propose_url(agreement)).text
    assert "Reichweite (Teilnehmende nach Kategorien)" in form
    assert 'value="14"' in form  # starts from the version in effect
    response = client.post(
        _propose_url(agreement),
        {
            "deadline_days": "10",
            "required_fields": ["title", "start", "reach"],
            "categories": ["group:fathers", "migration:own"],
            "note": "Kürzere Frist",
        },
    )
    assert response.status_code == 302
    version = DocumentationProcedure.objects.get(agreement=agreement, version=2)
    assert (version.deadline_days, version.required_fields, version.categories) == (
        10,
        ["title", "start", "reach"],
        ["group:fathers", "migration:own"],
    )
    assert version.created_by == koordination
    assert [a.organisation for a in version.approvals.all()] == [partner_org]
    page = client.get(_history(agreement)).text
    assert "Titel, Beginn, Reichweite (Teilnehmende nach Kategorien)" in page
    assert "Väter (Teilnehmende nach Gruppe)" in page
    assert "Version 2 (vorgeschlagen)" in page and "Version 1 (gültig)" in page


def test_it_keeps_the_agreed_version_in_effect_until_every_partner_agreed(
    agreement: Agreement, koordination: User, referentin: User, ministry_org: Organisation
) -> None:
    first = procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    for partner in agreement.partners.all():
        procedure_approve(
            procedure=first, organisation=partner.organisation, agreed_on=datetime.date(2020, 1, 1)
        )
    _client(koordination).post(
        _propose_url(agreement), {"deadline_days": "7", "required_fields": ["title"]}
    )
    assert current_deadline_days(agreement) == 14
    assert "Diesem Verfahren zustimmen" in _client(referentin).get(_history(agreement)).text
    assert _client(referentin).post(_url(agreement, 2)).status_code == 302
    assert current_deadline_days(agreement) == 7
    assert effective_procedure(agreement=agreement).version == 2
    assert "Version 2 (gültig)" in _client(referentin).get(_history(agreement)).text


def test_the_dashboard_annotation_finds_the_same_version_in_effect(
    agreement: Agreement, other_agreement: Agreement
) -> None:
    """Agreed by all beats newer; the newest while none is agreed by all; none without one."""
    first = procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    for partner in agreement.partners.all():
        procedure_approve(
            procedure=first, organisation=partner.organisation, agreed_on=datetime.date(2020, 1, 1)
        )
    procedure_create_version(agreement=agreement, deadline_days=7, required_fields=[])
    procedure_create_version(agreement=other_agreement, deadline_days=21, required_fields=[])
    procedure_create_version(agreement=other_agreement, deadline_days=28, required_fields=[])
    Agreement.objects.create(slug="ohne-verfahren", title="Ohne Verfahren")
    expected = {agreement.pk: 14, other_agreement.pk: 28}

    def annotated() -> dict[int, int]:
        rows = Agreement.objects.annotate(days=effective_deadline_days())
        return {a.pk: a.days for a in rows if a.days is not None}

    def listed() -> dict[int, int]:
        return {pk: p.deadline_days for pk, p in effective_procedures().items()}

    # in both orders: neither way of asking may change the other's answer
    assert annotated() == listed() == annotated() == expected


def test_it_refuses_a_bad_deadline_and_keeps_the_input(
    agreement: Agreement, koordination: User
) -> None:
    response = _client(koordination).post(
        _propose_url(agreement),
        {"deadline_days": "0", "required_fields": ["title", "goals"], "note": "Mein Text"},
    )
    assert response.status_code == 200
    assert "größer oder gleich 1" in response.text
    assert "Mein Text" in response.text
    assert 'value="goals" id="id_required_fields_6" checked' in response.text
    assert not DocumentationProcedure.objects.exists()


def test_it_refuses_an_unknown_field(agreement: Agreement, koordination: User) -> None:
    response = _client(koordination).post(
        _propose_url(agreement), {"deadline_days": "7", "required_fields": ["shoe_size"]}
    )
    assert response.status_code == 200
    assert "shoe_size" in response.text  # Django names the invalid choice
    assert not DocumentationProcedure.objects.exists()


def test_it_lets_no_fachkraft_or_outsider_propose(
    agreement: Agreement, fachkraft: User, outsider: User
) -> None:
    for user in (fachkraft, outsider):
        client = _client(user)
        assert client.get(_propose_url(agreement)).status_code == 404
        assert client.post(_propose_url(agreement), {"deadline_days": "7"}).status_code == 404
    assert not DocumentationProcedure.objects.exists()
