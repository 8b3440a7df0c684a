"""Collect what viewers without exact rights can obtain about an agreement, for the audit.

Every output that publishes figures outside the documenting organisation is run the way
its page or export runs it, while ``core.disclosure.record`` notes each figure: the
agreement page's yearly figures, the counselling statistics by month and by quarter (the
page, its CSV and its XLSX read the same selector), the feedback results with the format
comparison and the indicator shares, the REST API's aggregate endpoints
(``api.disclosure``), the open-data package's tables (``opendata.tables``), the § 6
portfolio across the persona's agreements (``portfolio.disclosure``), and the § 8 report's
ministry copy — every table, fact and indicator — for each calendar year, the agreement
years around it, and date ranges that differ by a month. ``core.disclosure.audit`` then
lays all of it side by side.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from buendnis.accounts.models import Membership, User
from buendnis.accounts.policy import AnyUser, Role, sees_exact
from buendnis.activities.selectors import agreement_figures, current_deadline_days
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.core.disclosure.audit import Report, audit
from buendnis.core.disclosure.record import Collection, recording
from buendnis.counselling.models import Contact
from buendnis.counselling.selectors import statistics
from buendnis.evaluation.periods import Period, agreement_year, calendar_year
from buendnis.evaluation.report.data import report_data
from buendnis.evaluation.report.protect import ministry_copy
from buendnis.feedback import published
from buendnis.feedback.models import Response

RANGE = "range"


class AuditScopeInvalid(ValueError):
    """The agreement or year does not exist; the message is German and English."""


@dataclass
class Persona:
    """Someone without exact rights: the label says who, for the report."""

    label: str
    user: AnyUser


def personas(agreement: Agreement) -> list[Persona]:
    """The agreement's ministry officers and other partners' staff (one of each kind)."""
    found = []
    partners = AgreementPartner.objects.filter(agreement=agreement).select_related("organisation")
    for partner in partners:
        membership = (
            Membership.objects.filter(organisation=partner.organisation)
            .exclude(role=Role.ADMIN)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if membership is None:
            continue
        user = membership.user
        if partner.role == AgreementPartner.Role.MINISTRY or not sees_exact(
            user,
            partners.filter(role=AgreementPartner.Role.PARTNER).values_list(
                "organisation_id", flat=True
            ),
        ):
            found.append(Persona(f"{partner.organisation.display_name} ({membership.role})", user))
    admin = (
        User.objects.filter(Q(is_superuser=True) | Q(memberships__role=Role.ADMIN))
        .order_by("id")
        .first()
    )
    if admin is not None:
        found.append(Persona(f"{admin.get_username()} (admin)", admin))
    return found or [Persona("anonym", AnonymousUser())]


def years_with_data(agreement: Agreement) -> list[int]:
    """Every calendar year in which the agreement has activities, contacts or feedback."""
    years = {d.year for d in Contact.objects.filter(agreement=agreement).dates("date", "year")}
    years |= {
        d.year for d in Response.objects.filter(agreement=agreement).dates("submitted_on", "year")
    }
    years |= {
        d.year
        for d in agreement.activities.dates("starts_at", "year")  # type: ignore[attr-defined]
    }
    return sorted(years)


def report_periods(agreement: Agreement, year: int) -> list[Period]:
    """The report periods a viewer can ask for around one calendar year."""
    periods = [calendar_year(year)]
    if agreement.in_force_on is not None:
        for start in (year - 1, year):
            if start >= agreement.in_force_on.year:
                periods.append(agreement_year(agreement, start))
    day = datetime.date
    periods += [
        Period(RANGE, day(year, 1, 1), day(year, 6, 30)),
        Period(RANGE, day(year, 1, 1), day(year, 5, 31)),
        Period(RANGE, day(year, 2, 1), day(year, 6, 30)),
        Period(RANGE, day(year, 3, 15), day(year, 9, 14)),
    ]
    return periods


def collect(
    agreement: Agreement, years: list[int], *, today: datetime.date | None = None
) -> Collection:
    """Run every protected output for every persona and year, recording what it shows.

    Outputs that depend on the viewer run once per persona, and a persona that gets exact
    figures is itself a finding (``Collection.exact``).
    """
    collection = Collection()
    deadline_days = current_deadline_days(agreement)
    per_viewer: list[tuple[str, Callable[[AnyUser], object]]] = []
    shared: list[tuple[str, Callable[[], object]]] = []
    for year in years:
        per_viewer += [
            (
                f"Vereinbarungsseite {year}",
                lambda u, y=year: agreement_figures(
                    agreement=agreement, year=y, user=u, deadline_days=deadline_days
                ),
            ),
            (
                f"Beratungsstatistik {year} nach Monat (Seite, CSV, XLSX)",
                lambda u, y=year: statistics(agreement=agreement, year=y, user=u, period="month"),
            ),
            (
                f"Beratungsstatistik {year} nach Quartal (Seite, CSV, XLSX)",
                lambda u, y=year: statistics(agreement=agreement, year=y, user=u, period="quarter"),
            ),
        ]
        shared.append((f"Rückmeldungen {year}", lambda y=year: _feedback(agreement, y)))
        # REST API (issue 15): the aggregate endpoints, as each persona calls them.
        from buendnis.api.disclosure import api_outputs

        per_viewer += api_outputs(agreement, year)
        # Open data (issue 15): the package's tables, the same for everyone. Collected for
        # every year, published or not, so the audit proves a year safe before it goes out.
        from buendnis.opendata.tables import tables as opendata_tables

        shared.append((f"Offene Daten {year}", lambda y=year: opendata_tables(agreement, y)))
        for period in report_periods(agreement, year):
            shared.append(
                (
                    f"Bericht {period.key} (Ministeriumsfassung)",
                    lambda p=period: ministry_copy(
                        report_data(agreement=agreement, period=p, today=today)
                    ),
                )
            )
    # § 6 portfolio (issue 15): every table across the persona's agreements, as the page,
    # its exports and the API show it.
    from buendnis.portfolio.disclosure import portfolio_outputs

    per_viewer += portfolio_outputs(agreement, years)
    for persona in personas(agreement):
        for name, run in per_viewer:
            with recording(f"{name} – {persona.label}", collection):
                result = run(persona.user)
            if getattr(result, "exact", False):
                collection.exact.append(f"{name} – {persona.label}")
    for name, make in shared:
        with recording(name, collection):
            make()
    return collection


def _feedback(agreement: Agreement, year: int) -> None:
    published.sections(agreement=agreement, year=year)
    published.format_comparison(agreement=agreement, year=year)
    published.indicator_shares(agreement=agreement, year=year)


def run_audit(
    *,
    agreement_slug: str | None = None,
    year: int | None = None,
    today: datetime.date | None = None,
) -> list[tuple[Agreement, Report]]:
    """Audit one agreement (or all) for one year (or every year with data)."""
    agreements = Agreement.objects.order_by("slug")
    if agreement_slug is not None:
        agreements = agreements.filter(slug=agreement_slug)
        if not agreements.exists():
            raise AuditScopeInvalid(
                f"Unbekannte Vereinbarung / unknown agreement: {agreement_slug}"
            )
    results = []
    for agreement in agreements:
        years = years_with_data(agreement)
        if year is not None:
            if year not in years:
                if agreement_slug is not None:
                    raise AuditScopeInvalid(
                        f"Keine Daten für {year} / no data for {year}: {agreement.slug}"
                    )
                continue
            years = [year]
        if not years:
            continue
        collection = collect(agreement, years, today=today)
        report = audit(collection.figures, collection.grids)  # type: ignore[arg-type]
        report.exact_outputs = collection.exact
        results.append((agreement, report))
    return results
