"""The agreement list and agreement page."""

import datetime
import re
from typing import Any

from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.tests import conftest as activity_fixtures
from buendnis.agreements.models import Agreement, Goal, Indicator, IndicatorTarget, Paragraph
from buendnis.agreements.services import procedure_approve, procedure_create_version
from buendnis.core import versioned

documenting = activity_fixtures.documenting
make_activity = activity_fixtures.make_activity


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_sends_anonymous_users_to_login(agreement: Agreement) -> None:
    for url in (reverse("agreements:list"), reverse("agreements:detail", args=[agreement.slug])):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_it_lists_only_the_users_agreements(
    agreement: Agreement, other_agreement: Agreement, fachkraft: User
) -> None:
    response = _client(fachkraft).get(reverse("agreements:list"))
    assert response.status_code == 200
    assert "Integration braucht Partner" in response.text
    assert "Identität und Zugehörigkeit" not in response.text


def test_it_denies_other_organisation(agreement: Agreement, outsider: User) -> None:
    response = _client(outsider).get(reverse("agreements:detail", args=[agreement.slug]))
    assert response.status_code == 404


def test_it_shows_paragraphs_goals_and_status(agreement: Agreement, fachkraft: User) -> None:
    agreement.signed_on = datetime.date(2019, 6, 3)
    agreement.save()
    # In Bündnis since then, never evaluated: the first evaluation is long overdue.
    recorded = timezone.make_aware(datetime.datetime(2019, 6, 3, 12))
    Agreement.objects.filter(pk=agreement.pk).update(created_at=recorded)
    seven = Paragraph.objects.create(
        agreement=agreement,
        number=7,
        heading="Dokumentation der Aktivitäten",
        body="Es wird ein Verfahren vereinbart, mit dem die Aktivitäten zeitnah "
        "dokumentiert werden.",
    )
    goal = Goal.objects.create(agreement=agreement, code="Z1", title="Väter reflektieren")
    goal.paragraphs.add(seven)
    indicator = Indicator.objects.create(
        agreement=agreement,
        goal=goal,
        code="Z1.1",
        name="Gruppentreffen",
        unit="Treffen",
        level=1,
        source="activities",
        filter={"metric": "count"},
    )
    IndicatorTarget.objects.create(indicator=indicator, year=2019, value=40)
    procedure = procedure_create_version(
        agreement=agreement, deadline_days=14, required_fields=["title"]
    )
    for partner in agreement.partners.all():
        procedure_approve(
            procedure=procedure,
            organisation=partner.organisation,
            agreed_on=datetime.date(2019, 6, 4),
        )

    page = _client(fachkraft).get(reverse("agreements:detail", args=[agreement.slug])).text

    assert "In Kraft seit 4. Juni 2019" in page
    assert "Dokumentationsverfahren (§ 7) vereinbart am 4. Juni 2019" in page
    assert "fällig seit 4. Juni 2020" in page
    assert "§ 7 Dokumentation der Aktivitäten" in page
    assert "zeitnah dokumentiert" in page
    assert "Z1.1 Gruppentreffen" in page
    assert "40 Treffen" in page


def test_it_shows_when_a_partner_has_not_agreed_yet(
    agreement: Agreement, fachkraft: User, partner_org: object
) -> None:
    procedure = procedure_create_version(agreement=agreement, deadline_days=14, required_fields=[])
    procedure_approve(
        procedure=procedure, organisation=partner_org, agreed_on=datetime.date.today()
    )
    page = _client(fachkraft).get(reverse("agreements:detail", args=[agreement.slug])).text
    assert "Zustimmung steht noch aus von HMSI" in page


def test_it_speaks_english_when_asked(agreement: Agreement, fachkraft: User) -> None:
    client = _client(fachkraft)
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("agreements:detail", args=[agreement.slug])).text
    assert 'lang="en"' in page
    assert "Text of the agreement" in page
    assert "Text der Vereinbarung" not in page


def _add_goals(agreement: Agreement, codes: range) -> None:
    for n in codes:
        goal = Goal.objects.create(agreement=agreement, code=f"Z{n}", title=f"Ziel {n}")
        for m in range(3):
            Indicator.objects.create(
                agreement=agreement,
                goal=goal,
                code=f"Z{n}.{m}",
                name="x",
                unit="x",
                level=2,
                source="manual",
            )


def test_it_needs_the_same_queries_however_many_goals_besides_the_engines_own(
    agreement: Agreement, fachkraft: User
) -> None:
    """The page itself is fixed; the indicator engine asks each manual indicator's value once."""
    client = _client(fachkraft)
    url = reverse("agreements:detail", args=[agreement.slug])
    counts = []
    for codes in (range(1), range(1, 9)):
        _add_goals(agreement, codes)
        versioned.forget()  # both views compute afresh (the figures would be remembered)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    added_indicators = 8 * 3
    assert counts[1] - counts[0] == added_indicators


def test_it_shows_this_years_indicator_values_exactly_inside_and_protected_outside(
    documenting: Agreement, make_activity: Any, fachkraft: User, referentin: User
) -> None:
    year = timezone.localdate().year
    make_activity(starts_at=timezone.make_aware(datetime.datetime(year, 1, 1, 0, 30)))
    goal = Goal.objects.get(agreement=documenting, code="Z1")
    indicator = Indicator.objects.create(
        agreement=documenting, goal=goal, code="Z1.1", name="Väter-Cafés", unit="Treffen",
        level=1, source="activities", filter={"metric": "count"},
    )  # fmt: skip
    IndicatorTarget.objects.create(indicator=indicator, year=year, value=40)
    url = reverse("agreements:detail", args=[documenting.slug])
    inside = _client(fachkraft).get(url).text
    cell = inside.split('data-indicator="Z1.1"', 1)[1].split("</tr>", 1)[0]
    assert 'data-value="actual">1<' in cell and "40 Treffen" in cell
    outside = _client(referentin).get(url).text
    cell = outside.split('data-indicator="Z1.1"', 1)[1].split("</tr>", 1)[0]
    assert 'data-value="actual">1<' not in cell and "40 Treffen" in cell


def test_a_second_view_reads_the_structure_from_the_cache(
    agreement: Agreement, fachkraft: User
) -> None:
    _add_goals(agreement, range(1, 4))
    client = _client(fachkraft)
    url = reverse("agreements:detail", args=[agreement.slug])
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(url).text
    with CaptureQueriesContext(connection) as second:
        second_page = client.get(url).text
    row = 'data-indicator="Z3.2"'
    assert second_page.count(row) == first_page.count(row) == 1
    read = [q["sql"] for q in second.captured_queries]
    assert not any('FROM "agreements_goal"' in sql for sql in read)
    assert len(second) <= len(first) - 8


def test_every_change_to_the_structure_shows_at_once(
    agreement: Agreement, fachkraft: User, partner_org: Any
) -> None:
    """Each table the kept structure is read from moves its version (``structure_version``)."""
    client = _client(fachkraft)
    url = reverse("agreements:detail", args=[agreement.slug])
    paragraph = Paragraph.objects.create(agreement=agreement, number=4, heading="Ziele", body="…")
    assert "§ 4 Ziele" in client.get(url).text  # kept now
    paragraph.heading = "Neue Überschrift"
    paragraph.save()
    goal = Goal.objects.create(agreement=agreement, code="Z8", title="Neues Ziel")
    goal.paragraphs.add(paragraph)
    assert "Neue Überschrift" in client.get(url).text
    page = client.get(url).text
    assert "Z8 Neues Ziel" in page and f'href="#p{paragraph.label}"' in page
    Indicator.objects.create(
        agreement=agreement, goal=goal, code="Z8.1", name="Neuer Indikator", level=2,
        source="manual",
    )  # fmt: skip
    assert "Neuer Indikator" in client.get(url).text
    partner_org.name = "Verband, umbenannt"
    partner_org.save()
    assert "Verband, umbenannt" in client.get(url).text
    procedure = procedure_create_version(agreement=agreement, deadline_days=21, required_fields=[])
    assert "Zustimmung steht noch aus" in client.get(url).text
    for partner in agreement.partners.all():
        procedure_approve(
            procedure=procedure, organisation=partner.organisation, agreed_on=timezone.localdate()
        )
    assert "Frist 21 Tage" in client.get(url).text


def test_a_second_view_renders_the_kept_sections_from_the_cache(
    agreement: Agreement, fachkraft: User
) -> None:
    caches["fragments"].clear()  # an earlier test may have shown the same
    _add_goals(agreement, range(1, 3))
    client = _client(fachkraft)
    url = reverse("agreements:detail", args=[agreement.slug])
    first = client.get(url)
    second = client.get(url)
    table = "agreements/_indicator_table.html"
    assert table in [t.name for t in first.templates]
    assert table not in [t.name for t in second.templates]
    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert unmasked.sub("", second.text) == unmasked.sub("", first.text)


def test_the_kept_sections_follow_this_years_values_and_the_signing(
    documenting: Agreement, make_activity: Any, fachkraft: User
) -> None:
    year = timezone.localdate().year
    goal = Goal.objects.get(agreement=documenting, code="Z1")
    Indicator.objects.create(
        agreement=documenting, goal=goal, code="Z1.1", name="Väter-Cafés", unit="Treffen",
        level=1, source="activities", filter={"metric": "count"},
    )  # fmt: skip
    client = _client(fachkraft)
    url = reverse("agreements:detail", args=[documenting.slug])

    def actual() -> str:
        cell = client.get(url).text.split('data-indicator="Z1.1"', 1)[1].split("</tr>", 1)[0]
        return cell.split('data-value="actual">', 1)[1].split("<", 1)[0]

    assert actual() == "0"
    make_activity(starts_at=timezone.make_aware(datetime.datetime(year, 1, 1, 0, 30)))
    assert actual() == "1"
    documenting.place = "Darmstadt"
    documenting.signed_on = datetime.date(year - 1, 3, 4)
    documenting.save()
    page = client.get(url).text
    assert f"Darmstadt, 4. März {year - 1}" in page
