"""The attacker audit over every protected output: the demo and generated data recover nothing.

Each run collects what the ministry (and anyone else without exact rights) can obtain —
the agreement page per year, the counselling statistics by month and by quarter (page, CSV
and XLSX read the same figures), the feedback results, and the report's ministry copy for
calendar years, agreement years and date ranges a month apart — and asks, for every hidden
figure, whether the rest pins it down.
"""

import datetime
import io

import pytest
from django.core.management import call_command

from buendnis.activities.generate import generate, year_range
from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.audit import audit
from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.publication import Publication, protect
from buendnis.core.disclosure.record import Collection, recording
from buendnis.counselling.generate import contacts_generate
from buendnis.counselling.grid import counselling_grid
from buendnis.evaluation.disclosure import collect, run_audit
from buendnis.evaluation.periods import agreement_year
from buendnis.evaluation.report.context import report_context
from buendnis.feedback.demo import demo_responses_generate

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def demo(demo_of_module: int, db: None) -> Agreement:
    return Agreement.objects.get(pk=demo_of_module)


def test_the_demo_gives_no_hidden_figure_away(demo: Agreement) -> None:
    [(_agreement, report)] = run_audit(agreement_slug=demo.slug)
    assert report.hidden > 100, "the demo has small cells to protect"
    assert {"Beratungsstatistik 2025 nach Monat", "Beratungsstatistik 2025 nach Quartal"} <= {
        output.split(" (")[0] for output in report.outputs
    }
    assert any(output.startswith("Bericht aj2025") for output in report.outputs)
    assert any(output.startswith("Bericht 2025-01-01..2025-05-31") for output in report.outputs)
    assert report.exact_outputs == []
    assert report.pinned == []


@pytest.mark.parametrize("seed", [11, 23, 37])
def test_generated_data_gives_no_hidden_figure_away(demo: Agreement, seed: int) -> None:
    demo.activities.all().delete()
    demo.counselling_contacts.all().delete()
    generate(agreement_slug=demo.slug, years=1, activities_per_year=90, seed=seed, today=TODAY)
    contacts_generate(
        agreement=demo, years=year_range(years=1, today=TODAY), per_year=120, seed=seed
    )
    demo_responses_generate(agreement=demo, seed=seed)
    [(_agreement, report)] = run_audit(agreement_slug=demo.slug, year=2026, today=TODAY)
    assert report.hidden > 20
    assert report.pinned == []


def test_the_audit_of_the_demo_catches_the_old_separate_protection(demo: Agreement) -> None:
    """Control: the month view protected on its own, quarters beside it, pins cells down."""
    grid = counselling_grid(agreement=demo)
    months_only = [key for key in grid.nodes if key[-1][0] != "q"]
    weakened = {key: grid.nodes[key] for key in months_only}
    alone = Grid(grid.name, grid.variables, grid.values, grid.facts, weakened, grid._index)
    marks = protect(alone, 5).marks
    collection = collect(demo, [2025])
    published = Publication(grid, 5, marks)
    attack = Collection()
    for key in grid.nodes:
        with recording("Quartal" if key[-1][0] == "q" else "Monat", attack):
            published.shown(key)
    report = audit(attack.figures, attack.grids)  # type: ignore[arg-type]
    assert report.pinned, "laid side by side, the separately protected views give cells away"
    assert any(set(f.outputs) == {"Monat", "Quartal"} for f in report.pinned)
    assert collection.figures  # the real outputs, protected together, are audited above


def test_an_unknown_agreement_or_year_prints_one_line_and_exits_2(demo: Agreement) -> None:
    for arguments in (
        ["--agreement", "gibt-es-nicht"],
        ["--agreement", demo.slug, "--year", "1999"],
    ):
        err = io.StringIO()
        with pytest.raises(SystemExit) as exit_info:
            call_command("disclosure_audit", *arguments, stdout=io.StringIO(), stderr=err)
        assert exit_info.value.code == 2
        assert len(err.getvalue().strip().splitlines()) == 1


def test_the_command_passes_on_the_demo_and_names_the_narrowest_ranges(demo: Agreement) -> None:
    out = io.StringIO()
    call_command("disclosure_audit", "--agreement", demo.slug, "--year", "2025", stdout=out)
    text = out.getvalue()
    assert "no hidden figure can be recovered" in text
    assert "narrowest range" in text


def test_protected_agreement_years_say_they_run_in_whole_months(demo: Agreement) -> None:
    context = report_context(
        agreement=demo, period=agreement_year(demo, 2025), copy="ministry", today=TODAY
    )
    assert "Juni 2025 bis Mai 2026" in context["report"]["snapped"]
    internal = report_context(
        agreement=demo, period=agreement_year(demo, 2025), copy="internal", today=TODAY
    )
    assert internal["report"]["snapped"] == ""
