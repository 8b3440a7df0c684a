"""The results framework editor: a draft, a proposal, the partners' agreement, the preview."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.activities.tests import conftest as activity_fixtures
from buendnis.agreements.models import (
    Agreement,
    FrameworkApproval,
    FrameworkVersion,
    Goal,
    Indicator,
    IndicatorTarget,
)

documenting = activity_fixtures.documenting
make_activity = activity_fixtures.make_activity
YEAR = timezone.localdate().year


class FreshPageClient(Client):
    """Posts as from a page loaded just now: with the framework's current revision.

    The conflict tests post an explicit (stale) ``version`` instead.
    """

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        data = dict(data or {})
        if "version" not in data:
            slug = path.split("/")[2]
            agreement = Agreement.objects.filter(slug=slug).first()
            if agreement is not None:
                data["version"] = agreement.framework_revision
        return super().post(path, data, *args, **kwargs)


def _client(user: User) -> Client:
    client = FreshPageClient()
    client.force_login(user)
    return client


def _url(agreement: Agreement, name: str = "framework", *args: Any) -> str:
    return reverse(f"evaluation:{name}", args=[agreement.slug, *args])


def _indicator_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "goal": "Z1",
        "code": "Z1.1",
        "name": "Väter-Cafés",
        "description": "Wie viele Väter-Cafés stattfanden.",
        "level": "1",
        "unit": "Treffen",
        "direction": "higher",
        "measure": "activities:count",
        "formats": ["vaetergruppe"],
        f"target_{YEAR}": "40",
        f"target_{YEAR + 1}": "50",
    }
    data.update(overrides)
    return data


def _goal(client: Client, agreement: Agreement, code: str = "Z1", title: str = "Väter") -> None:
    response = client.post(_url(agreement, "framework_goal_create"), {"code": code, "title": title})
    assert response.status_code == 302, response.content


def test_it_builds_a_draft_that_changes_nothing_until_every_partner_agreed(
    documenting: Agreement,
    koordination: User,
    referentin: User,
    partner_org: Organisation,
    ministry_org: Organisation,
) -> None:
    Goal.objects.all().delete()
    coordinator = _client(koordination)
    _goal(coordinator, documenting, "Z1", "Väter reflektieren ihre Rolle")
    _goal(coordinator, documenting, "Z2", "Begegnung ermöglichen")
    response = coordinator.post(_url(documenting, "framework_indicator_create"), _indicator_post())
    assert response.status_code == 302
    response = coordinator.post(
        _url(documenting, "framework_indicator_create"),
        _indicator_post(
            goal="Z2",
            code="Z2.1",
            name="Erreichte Väter",
            measure="reach:unduplicated",
            formats=[],
            groups=["fathers"],
            **{f"target_{YEAR}": "120", f"target_{YEAR + 1}": ""},
        ),
    )
    assert response.status_code == 302
    assert not Goal.objects.filter(agreement=documenting).exists()  # only in the draft
    page = coordinator.get(_url(documenting)).text
    assert "Z2.1 Erreichte Väter" in page and "Entwurf (Version 1)" in page

    draft = FrameworkVersion.objects.get(agreement=documenting)
    response = coordinator.post(
        _url(documenting, "framework_propose", draft.version), {"reason": "Neue Vereinbarung"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PROPOSED
    assert [c["code"] for c in draft.changes] == ["Z1", "Z2", "Z1.1", "Z2.1"]
    assert not Indicator.objects.filter(agreement=documenting).exists()
    assert "Dieser Änderung zustimmen" not in coordinator.get(_url(documenting)).text

    ministry = _client(referentin)
    assert "Dieser Änderung zustimmen" in ministry.get(_url(documenting)).text
    response = ministry.post(_url(documenting, "framework_approve", draft.version))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.AGREED
    assert {a.organisation for a in FrameworkApproval.objects.filter(version=draft)} == {
        partner_org,
        ministry_org,
    }
    z11 = Indicator.objects.get(agreement=documenting, code="Z1.1")
    assert (z11.goal.code, z11.source, z11.filter) == (
        "Z1",
        "activities",
        {"metric": "count", "formats": ["vaetergruppe"]},
    )
    assert z11.target_by_year() == {YEAR: Decimal(40), YEAR + 1: Decimal(50)}
    z21 = Indicator.objects.get(agreement=documenting, code="Z2.1")
    assert z21.filter == {"metric": "unduplicated", "groups": ["fathers"]}
    assert z21.target_by_year() == {YEAR: Decimal(120)}
    assert "Version 1: Vereinbart" in ministry.get(_url(documenting)).text


def test_it_changes_a_target_only_with_the_ministrys_agreement(
    documenting: Agreement, koordination: User, referentin: User
) -> None:
    coordinator = _client(koordination)
    _goal(coordinator, documenting, "Z3", "Qualifizieren")
    coordinator.post(
        _url(documenting, "framework_indicator_create"), _indicator_post(goal="Z3", code="Z3.1")
    )
    version = FrameworkVersion.objects.get()
    coordinator.post(_url(documenting, "framework_propose", 1), {"reason": "Start"})
    _client(referentin).post(_url(documenting, "framework_approve", 1))
    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.AGREED

    response = coordinator.post(
        _url(documenting, "framework_indicator", "Z3.1"),
        _indicator_post(goal="Z3", code="Z3.1", **{f"target_{YEAR}": "45"}),
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="Z3.1")
    assert indicator.target_in(YEAR) == 40  # the draft does not count yet
    coordinator.post(_url(documenting, "framework_propose", 2), {"reason": "Mehr Nachfrage"})
    second = FrameworkVersion.objects.get(version=2)
    assert second.changes == [
        {"kind": "indicator", "code": "Z3.1", "new": False, "fields": ["targets"]}
    ]
    assert indicator.target_in(YEAR) == 40
    _client(referentin).post(_url(documenting, "framework_approve", 2))
    assert indicator.target_in(YEAR) == 45


def test_it_previews_the_value_without_saving(
    documenting: Agreement, koordination: User, make_activity: Any
) -> None:
    make_activity(starts_at=timezone.make_aware(datetime.datetime(YEAR, 1, 1, 0, 30)))
    coordinator = _client(koordination)
    response = coordinator.post(
        _url(documenting, "framework_indicator_create"), {**_indicator_post(), "preview": "1"}
    )
    assert response.status_code == 200
    assert "Vorschau (nicht gespeichert)" in response.text
    this_year = response.text.split('data-preview="2">', 1)[1].split("</dd>", 1)[0]
    assert this_year.startswith("Ist 1 Treffen, Ziel 40 – ")
    assert not FrameworkVersion.objects.exists()
    assert not Indicator.objects.exists()


def test_it_refuses_a_filter_the_source_does_not_read_and_keeps_the_input(
    documenting: Agreement, koordination: User
) -> None:
    coordinator = _client(koordination)
    response = coordinator.post(
        _url(documenting, "framework_indicator_create"),
        _indicator_post(measure="counselling:contacts", name="Mein Titel"),
    )
    assert response.status_code == 200
    assert "Gilt nicht für die gewählte Datenquelle." in response.text
    assert 'value="Mein Titel"' in response.text
    assert not FrameworkVersion.objects.exists()


def test_it_refuses_negative_targets_and_a_feedback_indicator_without_question(
    documenting: Agreement, koordination: User
) -> None:
    coordinator = _client(koordination)
    negative = coordinator.post(
        _url(documenting, "framework_indicator_create"), _indicator_post(**{f"target_{YEAR}": "-3"})
    )
    assert negative.status_code == 200 and "größer oder gleich 0" in negative.text
    no_question = coordinator.post(
        _url(documenting, "framework_indicator_create"),
        _indicator_post(measure="feedback:share_agree", formats=[], unit="%"),
    )
    assert "Bitte die Frage wählen" in no_question.text
    assert not FrameworkVersion.objects.exists()


def test_it_refuses_a_duplicate_code_and_an_empty_proposal(
    documenting: Agreement, koordination: User
) -> None:
    coordinator = _client(koordination)
    _goal(coordinator, documenting, "Z4")
    response = coordinator.post(
        _url(documenting, "framework_goal_create"), {"code": "Z4", "title": "Noch eins"}
    )
    assert "Das Kürzel „Z4“ ist schon vergeben." in response.text
    coordinator.post(_url(documenting, "framework_discard", 1))
    assert not FrameworkVersion.objects.exists()
    # a draft equal to the framework in effect cannot be proposed
    Goal.objects.create(agreement=documenting, code="Z9", title="Bestehend")
    coordinator.post(
        _url(documenting, "framework_goal", "Z9"), {"code": "Z9", "title": "Bestehend"}
    )
    response = coordinator.post(
        _url(documenting, "framework_propose", 1), {"reason": "x"}, follow=True
    )
    assert "ändert nichts" in response.text
    assert FrameworkVersion.objects.get().status == FrameworkVersion.Status.DRAFT


def test_it_lets_the_ministry_send_a_proposal_back_to_draft(
    documenting: Agreement, koordination: User, referentin: User
) -> None:
    coordinator = _client(koordination)
    _goal(coordinator, documenting, "Z7", "Neu")
    coordinator.post(_url(documenting, "framework_propose", 1), {"reason": "Bitte prüfen"})
    blocked = coordinator.post(
        _url(documenting, "framework_goal_create"), {"code": "Z8", "title": "x"}, follow=True
    )
    assert "liegt den Partnern zur Zustimmung vor" in blocked.text
    _client(referentin).post(_url(documenting, "framework_withdraw", 1))
    version = FrameworkVersion.objects.get()
    assert version.status == FrameworkVersion.Status.DRAFT
    assert not version.approvals.exists()
    assert not Goal.objects.filter(code="Z7").exists()


def test_it_denies_other_organisation(
    documenting: Agreement, koordination: User, outsider: User, fachkraft: User, referentin: User
) -> None:
    _goal(_client(koordination), documenting, "Z5", "Vorhaben")
    _client(koordination).post(_url(documenting, "framework_propose", 1), {"reason": "x"})
    outside = _client(outsider)
    assert outside.get(_url(documenting)).status_code == 404
    assert outside.post(_url(documenting, "framework_approve", 1)).status_code == 404
    assert outside.post(_url(documenting, "framework_withdraw", 1)).status_code == 404
    assert outside.get(_url(documenting, "framework_goal_create")).status_code == 404
    # a Fachkraft sees the framework but neither edits nor agrees; the ministry does not edit
    staff = _client(fachkraft)
    assert staff.get(_url(documenting)).status_code == 200
    assert staff.post(_url(documenting, "framework_approve", 1)).status_code == 404
    assert staff.get(_url(documenting, "framework_indicator_create")).status_code == 404
    assert _client(referentin).get(_url(documenting, "framework_goal_create")).status_code == 404
    assert FrameworkVersion.objects.get().status == FrameworkVersion.Status.PROPOSED
    assert not IndicatorTarget.objects.exists()


def test_it_asks_for_a_reason_before_proposing_and_keeps_the_draft(
    documenting: Agreement, koordination: User
) -> None:
    coordinator = _client(koordination)
    _goal(coordinator, documenting, "Z6", "Ehrenamt stärken")
    response = coordinator.post(
        _url(documenting, "framework_propose", 1), {"reason": "  "}, follow=True
    )
    assert "Bitte begründen Sie die Änderung für die Partner." in response.text
    version = FrameworkVersion.objects.get()
    assert version.status == FrameworkVersion.Status.DRAFT
    assert [g["code"] for g in version.content["goals"]] == ["Z1", "Z2", "Z6"]


def test_the_dashboard_asks_each_side_for_what_it_still_owes(
    documenting: Agreement, koordination: User, referentin: User, outsider: User
) -> None:
    coordinator = _client(koordination)
    _goal(coordinator, documenting, "Z6", "Ehrenamt stärken")
    coordinator.post(_url(documenting, "framework_propose", 1), {"reason": "Neu"})
    home = reverse("core:home")
    ministry = _client(referentin).get(home).text
    assert "Integration braucht Partner: Wirkungsrahmen, Version 1" in ministry
    # the fixture's procedure version 1 is agreed by nobody yet: both sides owe it
    assert "Integration braucht Partner: Dokumentationsverfahren (§ 7), Version 1" in ministry
    own = coordinator.get(home).text
    assert "Wirkungsrahmen, Version 1" not in own  # proposing was the coordinator's agreement
    assert "Dokumentationsverfahren (§ 7), Version 1" in own
    assert "Ihre Zustimmung ist erbeten" not in _client(outsider).get(home).text


def test_the_dashboard_follows_each_approval_and_proposal_at_once(
    documenting: Agreement, koordination: User, referentin: User, ministry_org: Organisation
) -> None:
    """What is owed is kept between views (``core.views``), never past a change."""
    from buendnis.agreements.models import DocumentationProcedure
    from buendnis.agreements.services import procedure_approve

    home = reverse("core:home")
    ministry = _client(referentin)
    procedure_owed = "Integration braucht Partner: Dokumentationsverfahren (§ 7), Version 1"
    assert procedure_owed in ministry.get(home).text
    with CaptureQueriesContext(connection) as again:
        assert procedure_owed in ministry.get(home).text
    assert not any(
        'FROM "agreements_procedureapproval"' in q["sql"] for q in again.captured_queries
    )
    procedure_approve(
        procedure=DocumentationProcedure.objects.get(agreement=documenting),
        organisation=ministry_org,
        agreed_on=timezone.localdate(),
    )
    assert procedure_owed not in ministry.get(home).text
    coordinator = _client(koordination)
    _goal(coordinator, documenting, "Z6", "Ehrenamt stärken")
    coordinator.post(_url(documenting, "framework_propose", 1), {"reason": "Neu"})
    assert "Integration braucht Partner: Wirkungsrahmen, Version 1" in ministry.get(home).text


def test_it_previews_only_protected_values_to_a_partner_without_the_others_records(
    documenting: Agreement, outsider: User, other_org: Organisation, make_activity: Any
) -> None:
    """A second partner's coordinator must not sum the first partner's records exactly."""
    from buendnis.agreements.models import AgreementPartner

    AgreementPartner.objects.create(
        agreement=documenting, organisation=other_org, role=AgreementPartner.Role.PARTNER
    )
    make_activity(starts_at=timezone.make_aware(datetime.datetime(YEAR, 1, 1, 0, 30)))
    response = _client(outsider).post(
        _url(documenting, "framework_indicator_create"), {**_indicator_post(), "preview": "1"}
    )
    assert response.status_code == 200
    this_year = response.text.split('data-preview="2">', 1)[1].split("</dd>", 1)[0]
    assert this_year.startswith("Ist &lt; 5 Treffen") or this_year.startswith("Ist • Treffen")
    assert not this_year.startswith("Ist 1 Treffen")
