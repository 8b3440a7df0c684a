"""The attacker audit over every protected output: the demo recovers nothing.

Each run collects what the ministry (and anyone else without exact rights) can obtain —
the agreement page per year, the counselling statistics by month and by quarter (page, CSV
and XLSX read the same figures), the feedback results, and the report's ministry copy for
calendar years, agreement years and date ranges a month apart — and asks, for every hidden
figure, whether the rest pins it down. Generated data and the command are audited in
``test_disclosure_audit_generated`` and ``test_disclosure_audit_command`` (split so that
the long audits spread over the test processes).
"""

import pytest

from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.audit import audit
from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.publication import Publication, protect
from buendnis.core.disclosure.record import Collection, recording
from buendnis.counselling.grid import counselling_grid
from buendnis.evaluation.disclosure import collect, run_audit

pytestmark = pytest.mark.django_db


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
