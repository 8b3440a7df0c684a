"""Agreement services: § 9's in-force date, the versioned § 7 procedure, the portfolio."""

import datetime
import json

import pytest
from django.db import IntegrityError

from buendnis.accounts.models import Organisation
from buendnis.agreements.models import Agreement, DocumentationProcedure, Indicator
from buendnis.agreements.selectors import add_years, agreement_detail, procedure_state
from buendnis.agreements.services import (
    agreement_slug,
    portfolio_load,
    procedure_approve,
    procedure_create_version,
)
from buendnis.core.management.commands.demo import PORTFOLIO


def test_it_puts_the_agreement_in_force_the_day_after_signing(agreement: Agreement) -> None:
    assert agreement.in_force_on is None
    agreement.signed_on = datetime.date(2019, 6, 3)
    assert agreement.in_force_on == datetime.date(2019, 6, 4)
    agreement.in_force_on_override = datetime.date(2019, 7, 1)
    assert agreement.in_force_on == datetime.date(2019, 7, 1)


def test_it_versions_the_procedure_and_keeps_old_versions(
    agreement: Agreement, partner_org: Organisation, ministry_org: Organisation
) -> None:
    first = procedure_create_version(
        agreement=agreement, deadline_days=14, required_fields=["title", "reach"]
    )
    for organisation in (partner_org, ministry_org):
        procedure_approve(
            procedure=first, organisation=organisation, agreed_on=datetime.date(2019, 6, 4)
        )
    second = procedure_create_version(agreement=agreement, deadline_days=10, required_fields=[])

    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.deadline_days == 14
    assert first.required_fields == ["title", "reach"]
    state = procedure_state(agreement=agreement_detail(agreement=agreement))
    assert state.procedure == second
    assert state.agreed_on is None
    assert sorted(state.pending) == ["HMSI", "iaf e.V."]


def test_it_counts_the_procedure_agreed_when_the_last_partner_agrees(
    agreement: Agreement, partner_org: Organisation, ministry_org: Organisation
) -> None:
    procedure = procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    procedure_approve(
        procedure=procedure, organisation=partner_org, agreed_on=datetime.date(2019, 6, 4)
    )
    procedure_approve(
        procedure=procedure, organisation=ministry_org, agreed_on=datetime.date(2019, 6, 20)
    )
    state = procedure_state(agreement=agreement_detail(agreement=agreement))
    assert state.agreed_on == datetime.date(2019, 6, 20)
    assert state.pending == []


def test_it_refuses_approval_by_an_organisation_outside_the_agreement(
    agreement: Agreement, other_org: Organisation
) -> None:
    procedure = procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    with pytest.raises(ValueError, match="not a partner"):
        procedure_approve(
            procedure=procedure, organisation=other_org, agreed_on=datetime.date(2020, 1, 1)
        )
    assert not procedure.approvals.exists()


def test_it_refuses_a_deadline_of_zero_days(agreement: Agreement) -> None:
    with pytest.raises(IntegrityError):
        DocumentationProcedure.objects.create(
            agreement=agreement, version=1, deadline_days=0, required_fields=[]
        )


def test_it_refuses_a_level_outside_the_wirkungstreppe(agreement: Agreement) -> None:
    with pytest.raises(IntegrityError):
        Indicator.objects.create(
            agreement=agreement, code="X", name="x", unit="x", level=8, source="manual"
        )


def test_it_makes_german_slugs_unique(agreement: Agreement) -> None:
    assert agreement_slug("Identität und Zugehörigkeit") == "identitaet-und-zugehoerigkeit"
    assert agreement_slug("Integration braucht Partner") == "integration-braucht-partner-2"


def test_it_moves_29_february_to_28_february() -> None:
    assert add_years(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)


@pytest.mark.django_db
def test_it_loads_the_portfolio_once() -> None:
    data = json.loads(PORTFOLIO.read_text(encoding="utf-8"))
    first = portfolio_load(data=data)
    second = portfolio_load(data=data)
    assert [a.pk for a in first] == [a.pk for a in second]
    assert Agreement.objects.count() == 4
    assert Organisation.objects.count() == 5
    iaf = Agreement.objects.get(slug="integration-braucht-partner")
    assert iaf.in_force_on == datetime.date(2019, 6, 4)
    assert list(iaf.paragraphs.values_list("number", flat=True)) == list(range(1, 10))
    assert iaf.goals.count() >= 5
    assert all(goal.indicators.exists() for goal in iaf.goals.all())
    assert iaf.indicators.filter(goal__isnull=True, source="timeliness").exists()
    assert iaf.indicators.filter(goal__isnull=True, source="evaluation").exists()
    assert iaf.signatories.count() == 2
