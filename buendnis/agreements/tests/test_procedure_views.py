"""The § 7 procedure page: every version readable, partners agree per version."""

import datetime

from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement, ProcedureApproval
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
    assert not ProcedureApproval.objects.exists()


def test_it_accepts_agreement_only_by_post(agreement: Agreement, koordination: User) -> None:
    procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    assert _client(koordination).get(_url(agreement, 1)).status_code == 405
