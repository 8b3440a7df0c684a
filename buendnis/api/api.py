"""The REST API ``/api/v1/`` (django-ninja): every operation asks the one policy.

Each operation is wrapped in ``guard(Action.X)``, which checks actions without an object and
records the action so the URL audit (``accounts/tests/test_policy.py``) finds it on the view;
operations on an object load it through ``_agreement``/``_activity``, which answer 404 when
the policy says no. Figures come from the selectors that already decide exact or protected.
"""

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic_core import to_json

from buendnis.accounts.models import Membership
from buendnis.accounts.policy import (
    OBJECT_ACTIONS,
    Action,
    can,
    organisation_ids,
    visible_agreements,
)
from buendnis.activities import services as activity_services
from buendnis.activities.models import Activity, Format, Kreis, ReachCategory
from buendnis.activities.selectors import activities_visible_to
from buendnis.agreements.models import Agreement, Goal, year_target
from buendnis.api import schemas
from buendnis.api.auth import BrowserSession, TokenAuth, may_write
from buendnis.api.problems import (
    PROBLEM_TYPE,
    Problem,
    bad_parameter,
    forbidden,
    not_found,
    problem_response,
)
from buendnis.api.schemas import has_nul
from buendnis.api.selectors import (
    MAX_LIMIT,
    CursorInvalid,
    activities_out,
    activity_out,
    keyset_page,
    number,
)
from buendnis.core.locking import EditConflict
from buendnis.evaluation import locks
from buendnis.evaluation.periods import PeriodInvalid, parse

DOCUMENTING_ROLES = (Membership.Role.FACHKRAFT, Membership.Role.KOORDINATION)

JSON_TYPE = "application/json; charset=utf-8"
PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]

# operation name (= URL name) -> the policy action it is guarded by
POLICY: dict[str, Action] = {}


class BuendnisAPI(NinjaAPI):
    """Error responses are documented as ``application/problem+json``."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = BuendnisAPI(
    title="Bündnis API",
    version="1",
    description=(
        "Integration agreements: agreements, goals and indicators, activities, counselling and "
        "feedback aggregates, evaluations. Figures outside the documenting organisation are "
        "the protected publication (docs/privacy.md). Errors are RFC 9457 problem details."
    ),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/schema/",
    auth=[TokenAuth(), BrowserSession()],
)

ERRORS = {
    400: schemas.Problem,
    401: schemas.Problem,
    403: schemas.Problem,
    404: schemas.Problem,
    429: schemas.Problem,
}
WRITE_ERRORS = {**ERRORS, 409: schemas.Problem, 422: schemas.Problem}


def guard(action: Action) -> Callable:
    """Ask the policy before the operation (object actions: the operation asks with its object)."""

    def decorator(operation: Callable) -> Callable:
        @wraps(operation)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            for name, values in request.GET.lists():
                if has_nul(name) or has_nul(values):
                    raise bad_parameter(name.replace("\x00", ""), _("enthält ein NUL-Zeichen"))
            for name, value in kwargs.items():
                if has_nul(value):
                    raise bad_parameter(name, _("enthält ein NUL-Zeichen"))
            if action not in OBJECT_ACTIONS and not can(request.user, action):
                raise forbidden()
            return operation(request, *args, **kwargs)

        POLICY[operation.__name__] = action
        return guarded

    return decorator


# --- errors -------------------------------------------------------------------------


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    params = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        name = ".".join(location[1:]) or "body"
        if location and location[0] == "body" and len(location) > 2:
            name = ".".join(location[2:])
        params.append({"name": name, "reason": str(error.get("msg", ""))})
    names = ", ".join(dict.fromkeys(p["name"] for p in params))
    detail = _("Ungültige Angaben in: %(names)s") % {"names": names}
    return problem_response(request, Problem("bad-request", detail, invalid_params=params))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    problem = Problem(
        "unauthenticated",
        _("Bitte mit einem API-Schlüssel (Authorization: Bearer …) oder angemeldet aufrufen."),
        headers={"WWW-Authenticate": 'Bearer realm="buendnis"'},
    )
    return problem_response(request, problem)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    kinds = {400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found"}
    detail = _("CSRF-Prüfung fehlgeschlagen.") if "CSRF" in str(exc) else str(exc)
    return problem_response(request, Problem(kinds.get(exc.status_code, "bad-request"), detail))


@api.exception_handler(Http404)
def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, not_found())


# --- helpers ------------------------------------------------------------------------


def _agreement(request: HttpRequest, slug: str, action: Action) -> Agreement:
    """The agreement if the policy allows the action: 404 when the caller may not even see it
    (another organisation's agreement stays hidden), 403 when they see it but may not act."""
    agreement = Agreement.objects.filter(slug=slug).first()
    if agreement is None or not can(request.user, Action.AGREEMENT_VIEW, agreement):
        raise not_found()
    if not can(request.user, action, agreement):
        raise forbidden()
    return agreement


def _serialised(body: Any, status: int = 200) -> HttpResponse:
    """A body already in JSON's types, written as it is: ninja would validate it item by item
    against the operation's documented schema, which for a page of 50 activities costs more
    than the page's SQL (bench/api.py). ``test_api`` checks the bodies against the schema."""
    return HttpResponse(to_json(body), status=status, content_type=JSON_TYPE)


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


def _require_write(request: HttpRequest) -> None:
    if not may_write(request):
        raise forbidden(_("Dieser API-Schlüssel darf nur lesen."))


# --- agreements, goals, indicators -----------------------------------------------------


@api.get("/agreements/", response={200: list[schemas.AgreementOut], **ERRORS}, tags=["agreements"])
@guard(Action.AGREEMENT_LIST)
def agreement_list(request: HttpRequest) -> Any:
    """The agreements the caller's organisations are party to."""
    agreements = visible_agreements(request.user).order_by("slug")
    return [_agreement_out(a) for a in agreements.prefetch_related("partners__organisation")]


def _agreement_out(agreement: Agreement) -> dict[str, Any]:
    return {
        "slug": agreement.slug,
        "title": agreement.title,
        "subtitle": agreement.subtitle,
        "topic": agreement.topic,
        "status": agreement.status,
        "in_force_on": agreement.in_force_on,
        "partners": [p.organisation.name for p in agreement.partners.all()],
    }


@api.get("/agreements/{slug}/", response={200: schemas.AgreementOut, **ERRORS}, tags=["agreements"])
@guard(Action.AGREEMENT_VIEW)
def agreement_detail(request: HttpRequest, slug: str) -> Any:
    return _agreement_out(_agreement(request, slug, Action.AGREEMENT_VIEW))


@api.get(
    "/agreements/{slug}/goals/",
    response={200: list[schemas.GoalOut], **ERRORS},
    tags=["agreements"],
)
@guard(Action.AGREEMENT_VIEW)
def goal_list(request: HttpRequest, slug: str) -> Any:
    """Goals with their indicators (definitions and this year's targets)."""
    agreement = _agreement(request, slug, Action.AGREEMENT_VIEW)
    goals = (
        Goal.objects.filter(agreement=agreement)
        .prefetch_related("indicators__targets")
        .order_by("code")
    )
    year = timezone.localdate().year
    return [
        {
            "code": goal.code,
            "title": goal.title,
            "description": goal.description,
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name,
                    "unit": i.unit,
                    "level": i.level,
                    "source": i.source,
                    "yearly_target": number(
                        year_target({t.year: t.value for t in i.targets.all()}, year)
                    ),
                }
                for i in sorted(goal.indicators.all(), key=lambda i: i.code)
            ],
        }
        for goal in goals
    ]


@api.get(
    "/agreements/{slug}/indicators/",
    response={200: schemas.IndicatorValuesOut, **ERRORS},
    tags=["agreements"],
)
@guard(Action.INDICATOR_VALUES)
def indicator_values(request: HttpRequest, slug: str, period: str | None = None) -> Any:
    """Every indicator's value for a period (``2026``, ``aj2025`` or ``2026-01-01..2026-06-30``).

    Exact for who may read the internal report, the protected publication for everyone else.
    """
    from buendnis.evaluation.live_cache import live_indicator_rows
    from buendnis.evaluation.report.data import period_dict
    from buendnis.evaluation.report.protect import protected_indicators

    agreement = _agreement(request, slug, Action.INDICATOR_VALUES)
    text = period or str(timezone.localdate().year)
    try:
        chosen = parse(text, agreement)
    except PeriodInvalid as error:
        raise bad_parameter("period", str(error)) from error
    today = timezone.localdate()
    rows = live_indicator_rows(agreement, chosen, today)
    exact = can(request.user, Action.REPORT_INTERNAL, agreement)
    if not exact:
        rows = protected_indicators(
            rows,
            agreement=agreement,
            periods=[period_dict(chosen), period_dict(chosen.previous())],
            today=today,
        )
    return {
        "agreement": agreement.slug,
        "period": text,
        "start": chosen.start,
        "end": chosen.end,
        "exact": exact,
        "indicators": [
            {
                "code": row["code"],
                "name": row["name"],
                "unit": row["unit"],
                "goal_code": row.get("goal_code"),
                "target": _figure(row.get("target")),
                "actual": _figure(row.get("actual")),
                "previous": _figure(row.get("previous")),
                "status": row.get("status") or "",
                "note": row.get("note") or "",
            }
            for row in rows
        ],
    }


def _figure(value: Any) -> Any:
    """A row's figure: numbers stay numbers (as_dict writes Decimals as strings)."""
    from decimal import Decimal, InvalidOperation

    if isinstance(value, str):
        try:
            return number(Decimal(value))
        except InvalidOperation:
            return value
    return number(value)


# --- counselling and feedback aggregates ---------------------------------------------


@api.get(
    "/agreements/{slug}/counselling/",
    response={200: schemas.CounsellingOut, **ERRORS},
    tags=["aggregates"],
)
@guard(Action.COUNSELLING_STATISTICS)
def counselling_statistics(
    request: HttpRequest,
    slug: str,
    year: int | None = Query(None, ge=2000, le=2100),
    period: str = Query("month", pattern="^(month|quarter)$"),
) -> Any:
    """§ 5 counselling contacts by month or quarter: exact for the counselling organisation."""
    from buendnis.counselling.selectors import statistics

    agreement = _agreement(request, slug, Action.COUNSELLING_STATISTICS)
    stats = statistics(agreement=agreement, year=_year(year), user=request.user, period=period)
    tables = []
    for table in stats.tables:
        rows = table.rows(stats.row_labels)
        tables.append(
            {
                "key": table.key,
                "title": str(table.title),
                "columns": [str(label) for _key, label in table.columns],
                "rows": [str(row["label"]) for row in rows],
                "values": [[*row["values"], row["total"]] for row in rows],
            }
        )
    return {
        "agreement": agreement.slug,
        "year": stats.year,
        "period": stats.period,
        "exact": stats.exact,
        "tables": tables,
    }


@api.get(
    "/agreements/{slug}/feedback/",
    response={200: schemas.FeedbackOut, **ERRORS},
    tags=["aggregates"],
)
@guard(Action.FEEDBACK_AGGREGATES)
def feedback_results(
    request: HttpRequest, slug: str, year: int | None = Query(None, ge=2000, le=2100)
) -> Any:
    """Feedback results of a year: aggregates only, never free text."""
    from buendnis.feedback import published, results

    agreement = _agreement(request, slug, Action.FEEDBACK_AGGREGATES)
    chosen = _year(year)
    responses = results.agreement_responses(agreement=agreement, year=chosen)
    exact = results.exact_for(request.user, responses)
    if exact:
        sections = results.sections(responses, free_text=False)
    else:
        sections = published.sections(agreement=agreement, year=chosen)
    return {
        "agreement": agreement.slug,
        "year": chosen,
        "exact": exact,
        "sections": [
            {
                "questionnaire": str(section.questionnaire),
                "responses": number(section.responses),
                "shown": section.shown,
                "questions": [
                    {
                        "key": q.key,
                        "label": str(q.label),
                        "kind": q.kind,
                        "answered": number(q.answered),
                        "shown": q.shown,
                        "bars": [
                            {
                                "label": str(bar.label),
                                "count": number(bar.count),
                                "percent": number(bar.percent),
                            }
                            for bar in q.bars
                        ],
                        "mean": number(q.mean),
                        "share_agree": number(q.share_agree),
                    }
                    for q in section.questions
                ],
            }
            for section in sections
        ],
    }


# --- § 6 portfolio ------------------------------------------------------------------


YEARS_QUERY = Query(None, description="calendar years (default: the last three)")
AGREEMENTS_QUERY = Query(None, description="agreement slugs (default: all of yours)")
BEZIRKE_QUERY = Query(None, description="Regierungsbezirke: Darmstadt, Gießen, Kassel")
KREISE_QUERY = Query(None, description="Kreise by AGS key, e.g. 06435")


@api.get("/portfolio/", response={200: schemas.PortfolioOut, **ERRORS}, tags=["aggregates"])
@guard(Action.PORTFOLIO_VIEW)
def portfolio_tables(
    request: HttpRequest,
    years: list[int] | None = YEARS_QUERY,
    agreements: list[str] | None = AGREEMENTS_QUERY,
    regierungsbezirke: list[str] | None = BEZIRKE_QUERY,
    kreise: list[str] | None = KREISE_QUERY,
    format: str = Query("", max_length=40),
    goal: int | None = Query(None, ge=1, le=2**63 - 1),
) -> Any:
    """The portfolio's tables across the caller's agreements: exact or protected per agreement."""
    from buendnis.portfolio.filters import PortfolioFilterForm
    from buendnis.portfolio.selectors import portfolio, portfolio_agreements

    data = {
        "years": [str(y) for y in years or []],
        "agreements": agreements or [],
        "regierungsbezirke": regierungsbezirke or [],
        "kreise": kreise or [],
        "format": format,
        "goal": "" if goal is None else str(goal),
    }
    form = PortfolioFilterForm(
        data, agreements=portfolio_agreements(request.user), today=timezone.localdate()
    )
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise bad_parameter(name, " ".join(str(e) for e in errors))
    result = portfolio(user=request.user, filters=form.filters())
    return {
        "years": result.filters.years,
        "agreements": [a.slug for a in result.filters.agreements],
        "exact": result.exact,
        "threshold": result.threshold,
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "row_header": table.row_header,
                "columns": table.columns,
                "rows": [row.label for row in table.rows],
                "row_keys": [row.key for row in table.rows],
                "values": [[number(v) for v in row.values] for row in table.rows],
                "note": table.note,
            }
            for table in result.tables
        ],
    }


# --- evaluations --------------------------------------------------------------------


@api.get(
    "/agreements/{slug}/evaluations/",
    response={200: list[schemas.EvaluationOut], **ERRORS},
    tags=["evaluations"],
)
@guard(Action.EVALUATION_VIEW)
def evaluation_list(request: HttpRequest, slug: str) -> Any:
    """§ 8 evaluations with their adjustments."""
    from buendnis.evaluation.selectors import evaluations_of

    agreement = _agreement(request, slug, Action.EVALUATION_VIEW)
    evaluations = evaluations_of(agreement).prefetch_related("adjustments__goal")
    return [
        {
            "id": e.pk,
            "period_kind": e.period_kind,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "status": e.status,
            "agreed_on": e.agreed_on,
            "adjustments": [
                {
                    "id": a.pk,
                    "goal": a.goal.code if a.goal_id else None,
                    "what": a.what,
                    "due_on": a.due_on,
                    "status": a.status,
                    "outcome": a.outcome,
                }
                for a in e.adjustments.all()
            ],
        }
        for e in evaluations
    ]


# --- activities ---------------------------------------------------------------------


@api.get("/activities/", response={200: schemas.ActivityPage, **ERRORS}, tags=["activities"])
@guard(Action.ACTIVITY_LIST)
def activity_list(
    request: HttpRequest,
    agreement: str | None = Query(None, max_length=80),
    year: int | None = Query(None, ge=2000, le=2100),
    status: str | None = Query(None, pattern="^(planned|held|documented|reviewed)$"),
    external_ref: str | None = Query(None, max_length=80),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> Any:
    """The own organisation's activities, newest first, in keyset pages (``next`` cursor)."""
    activities = activities_visible_to(request.user)
    if agreement:
        activities = activities.filter(agreement__slug=agreement)
    if year:
        tz = timezone.get_current_timezone()
        start = datetime.datetime(year, 1, 1, tzinfo=tz)
        activities = activities.filter(
            starts_at__gte=start, starts_at__lt=start.replace(year=year + 1)
        )
    if status:
        activities = activities.filter(status=status)
    if external_ref:
        activities = activities.filter(external_ref=external_ref)
    try:
        rows, following = keyset_page(activities, cursor=cursor, limit=limit)
    except CursorInvalid as error:
        raise bad_parameter("cursor", _("kein gültiger Cursor")) from error
    return _serialised({"results": activities_out(rows), "next": following})


def _activity(request: HttpRequest, pk: int) -> Activity:
    """One of the caller's visible activities; another organisation's answers 404."""
    activity = (
        activities_visible_to(request.user)
        .select_related("agreement", "format")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise not_found()
    return activity


@api.get("/activities/{pk}/", response={200: schemas.ActivityOut, **ERRORS}, tags=["activities"])
@guard(Action.ACTIVITY_LIST)
def activity_detail(request: HttpRequest, pk: PathId) -> Any:
    return _serialised(activity_out(_activity(request, pk)))


def _data(
    agreement: Agreement, payload: schemas.ActivityIn, current: Activity | None = None
) -> activity_services.ActivityData:
    """The payload as the form's data; unknown keys are 422 naming their field.

    What the API does not carry (languages, staff hours, reflection, network partners) is
    kept from ``current`` on an update, so an edit from a partner's system loses nothing.
    """
    problems = []
    fmt = Format.objects.filter(agreement=agreement, key=payload.format).first()
    if fmt is None:
        problems.append({"name": "format", "reason": _("Unbekanntes Format.")})
    kreis = None
    if payload.kreis:
        kreis = Kreis.objects.filter(pk=payload.kreis).first()
        if kreis is None:
            problems.append({"name": "kreis", "reason": _("Unbekannter Kreis.")})
    goals = list(Goal.objects.filter(agreement=agreement, code__in=payload.goals))
    if len(goals) != len(set(payload.goals)):
        problems.append({"name": "goals", "reason": _("Unbekanntes Ziel.")})
    categories = {
        f"{c.dimension}.{c.key}": c.pk for c in ReachCategory.objects.filter(agreement=agreement)
    }
    reach = {}
    for key, count in payload.reach.items():
        if key not in categories:
            problems.append({"name": f"reach.{key}", "reason": _("Unbekannte Kategorie.")})
        elif count < 0:
            problems.append({"name": f"reach.{key}", "reason": _("Nicht negativ.")})
        else:
            reach[categories[key]] = count
    if problems:
        raise Problem("invalid", _("Die Aktivität ist ungültig."), invalid_params=problems)
    return activity_services.ActivityData(
        format=fmt,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        online=payload.online,
        kreis=kreis,
        place_name=payload.place_name,
        goals=goals,
        description=payload.description,
        participants=payload.participants,
        first_timers=payload.first_timers,
        reach=reach,
        **(_kept(current) if current is not None else {}),
    )


def _kept(activity: Activity) -> dict[str, Any]:
    return {
        "languages": list(activity.languages),
        "staff_hours": activity.staff_hours,
        "reflection": activity.reflection,
        "network_partners": list(activity.network_partners.all()),
    }


def _invalid_activity(error: activity_services.ActivityInvalid) -> Problem:
    params = [{"name": p.field, "reason": str(p.message)} for p in error.problems]
    return Problem("invalid", _("Die Aktivität ist ungültig."), invalid_params=params)


def _locked(error: locks.ActivityLocked) -> Problem:
    return Problem("locked", str(error), extra={"evaluation": error.evaluation.pk})


@api.post(
    "/activities/",
    response={200: schemas.ActivityOut, 201: schemas.ActivityOut, **WRITE_ERRORS},
    tags=["activities"],
)
@guard(Action.ACTIVITY_CREATE)
def activity_create(request: HttpRequest, payload: schemas.ActivityIn) -> Any:
    """Create an activity, idempotent by ``external_ref``: a repeat answers 200 with the first."""
    _require_write(request)
    agreement = _agreement(request, payload.agreement, Action.ACTIVITY_CREATE)
    partner = (
        agreement.partners.filter(
            organisation_id__in=organisation_ids(request.user, *DOCUMENTING_ROLES)
        )
        .order_by("position", "pk")
        .first()
    )
    if partner is None:
        raise not_found()
    existing = Activity.objects.filter(
        agreement=agreement,
        organisation_id=partner.organisation_id,
        external_ref=payload.external_ref,
    ).first()
    if existing is not None:
        return _serialised(activity_out(existing))
    data = _data(agreement, payload)
    try:
        with transaction.atomic():
            activity = activity_services.activity_create(
                agreement=agreement,
                organisation=partner.organisation,
                data=data,
                status=Activity.Status.DOCUMENTED if payload.document else Activity.Status.HELD,
                responsible=request.user,
                external_ref=payload.external_ref,
            )
    except activity_services.ActivityInvalid as error:
        raise _invalid_activity(error) from error
    except locks.ActivityLocked as error:
        raise _locked(error) from error
    except IntegrityError:  # a concurrent POST with the same reference won the race
        existing = Activity.objects.get(
            agreement=agreement,
            organisation_id=partner.organisation_id,
            external_ref=payload.external_ref,
        )
        return _serialised(activity_out(existing))
    return _serialised(activity_out(activity), status=201)


@api.put(
    "/activities/{pk}/", response={200: schemas.ActivityOut, **WRITE_ERRORS}, tags=["activities"]
)
@guard(Action.ACTIVITY_EDIT)
def activity_update(request: HttpRequest, pk: PathId, payload: schemas.ActivityUpdate) -> Any:
    """Replace an activity's data; ``version`` must be the one read (else 409)."""
    _require_write(request)
    activity = _activity(request, pk)
    if not can(request.user, Action.ACTIVITY_EDIT, activity):
        raise forbidden()
    if payload.agreement != activity.agreement.slug:
        raise Problem(
            "invalid",
            _("Die Vereinbarung einer Aktivität lässt sich nicht ändern."),
            invalid_params=[{"name": "agreement", "reason": _("unveränderlich")}],
        )
    new_ref = payload.external_ref
    if new_ref is not None and new_ref != activity.external_ref:
        clash = Activity.objects.filter(
            agreement=activity.agreement,
            organisation_id=activity.organisation_id,
            external_ref=new_ref,
        ).exclude(pk=activity.pk)
        if clash.exists():
            raise Problem("conflict", _("Diese Externe Referenz ist schon vergeben."))
    data = _data(activity.agreement, payload, current=activity)
    try:
        with transaction.atomic():
            updated = activity_services.activity_update(
                activity=activity,
                data=data,
                expected_version=payload.version,
                document=payload.document,
            )
            if new_ref is not None and new_ref != updated.external_ref:
                Activity.objects.filter(pk=updated.pk).update(external_ref=new_ref)
                updated.external_ref = new_ref
    except activity_services.ActivityInvalid as error:
        raise _invalid_activity(error) from error
    except EditConflict as error:
        raise Problem(
            "conflict",
            _("Die Aktivität wurde inzwischen geändert (jetzt Version %(version)s).")
            % {"version": error.current.version},
            extra={"current_version": error.current.version},
        ) from error
    except locks.ActivityLocked as error:
        raise _locked(error) from error
    except IntegrityError as error:  # a concurrent write took the reference
        raise Problem("conflict", _("Diese Externe Referenz ist schon vergeben.")) from error
    return _serialised(activity_out(updated))


def url_patterns() -> list:
    """The API's URLs, each view carrying the policy action its operation is guarded by."""
    patterns, _app, _namespace = api.urls
    for pattern in patterns:
        name = pattern.name or ""
        action = POLICY.get(name, Action.PUBLIC if name in {"openapi-json", "api-root"} else None)
        if action is not None:
            pattern.callback.policy_action = action
    return patterns


API_SETTINGS_USED = settings.API_TOKEN_RATE  # fail early when the setting is missing
