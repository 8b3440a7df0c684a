"""The portfolio page and its spreadsheet: thin adapters over ``selectors.portfolio``."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.accounts.policy import Action, requires
from buendnis.activities.models import Kreis
from buendnis.portfolio import charts, export
from buendnis.portfolio.filters import PortfolioFilterForm
from buendnis.portfolio.selectors import Portfolio, portfolio, portfolio_agreements

MAP_COLUMN = 1  # attendances: published in more Kreise than the activity counts
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: HttpRequest) -> PortfolioFilterForm:
    return PortfolioFilterForm(
        request.GET or None,
        agreements=portfolio_agreements(request.user),
        today=timezone.localdate(),
    )


def _portfolio(request: HttpRequest, form: PortfolioFilterForm) -> Portfolio | None:
    if form.is_bound and not form.is_valid():
        return None
    if not form.is_bound:
        form.cleaned_data = {}
    return portfolio(user=request.user, filters=form.filters())


def _charts(result: Portfolio) -> dict[str, charts.Svg]:
    kreise = {
        ags: (name, rb)
        for ags, name, rb in Kreis.objects.values_list("ags", "name", "regierungsbezirk")
    }
    by_kreis = result.table("kreise")
    series = result.table("jahre")
    bezirke = result.table("regierungsbezirke")
    latest = result.filters.years[-1]
    last_columns = len(bezirke.columns) - 3
    return {
        "map": charts.tile_map(
            values={row.key: row.values[MAP_COLUMN] for row in by_kreis.rows},
            names={ags: name for ags, (name, _rb) in kreise.items()},
            bezirke={ags: rb for ags, (_name, rb) in kreise.items()},
            label=_(
                "Karte der hessischen Kreise: %(title)s. "
                "Die Tabelle daneben enthält dieselben Zahlen."
            )
            % {"title": f"{by_kreis.columns[MAP_COLUMN]} – {by_kreis.title}"},
        ),
        "series": charts.bar_chart(
            labels=[row.label for row in series.rows if not row.total],
            values=[row.values[0] for row in series.rows if not row.total],
            label=_(
                "Balkendiagramm: Aktivitäten je Jahr. Die Tabelle daneben enthält dieselben Zahlen."
            ),
        ),
        "bezirke": charts.bar_chart(
            labels=[row.label for row in bezirke.rows if not row.total],
            values=[row.values[last_columns] for row in bezirke.rows if not row.total],
            label=_(
                "Balkendiagramm: Aktivitäten %(year)s je Regierungsbezirk. Die Tabelle "
                "darunter enthält dieselben Zahlen."
            )
            % {"year": latest},
        ),
    }


@requires(Action.PORTFOLIO_VIEW)
def portfolio_page(request: HttpRequest) -> HttpResponse:
    """§ 6: the portfolio across the viewer's agreements, filtered by the GET form."""
    form = _form(request)
    result = _portfolio(request, form)
    context = {
        "form": form,
        "portfolio": result,
        "charts": _charts(result) if result is not None else None,
        "query": request.GET.urlencode(),
        "suppression_threshold": settings.SUPPRESSION_THRESHOLD,
    }
    return render(request, "portfolio/portfolio.html", context, status=200 if result else 400)


@requires(Action.PORTFOLIO_VIEW)
def portfolio_export(request: HttpRequest, kind: str) -> HttpResponse:
    """The page's tables as XLSX or as a zip of CSV files, with the page's filters."""
    if kind not in ("xlsx", "csv"):
        raise Http404
    form = _form(request)
    result = _portfolio(request, form)
    if result is None:
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    if kind == "xlsx":
        response = HttpResponse(export.xlsx_bytes(result), content_type=XLSX_TYPE)
        name = f"portfolio-{stamp}.xlsx"
    else:
        response = HttpResponse(export.csv_zip(result), content_type="application/zip")
        name = f"portfolio-{stamp}-csv.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
