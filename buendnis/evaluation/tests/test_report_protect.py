"""The ministry's copy: no count from 1 to 4 anywhere, complements hidden, no free text."""

import copy
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.report.data import report_data
from buendnis.evaluation.report.protect import (
    HIDDEN,
    ministry_copy,
    protect_indicator,
)
from buendnis.evaluation.report.render import render_report
from buendnis.evaluation.report.tables import COUNT, PERCENT, SPECS
from buendnis.evaluation.tests import test_report_data as world

documenting = world.documenting
make_activity = world.make_activity
small_world = world.small_world
Y2025 = calendar_year(2025)
TODAY = world.TODAY
THRESHOLD = 5


def small(value: object) -> bool:
    return isinstance(value, int) and 0 < value < THRESHOLD


def count_cells(data: dict[str, Any]) -> list[tuple[str, str, object]]:
    """Every published count of every table: rows, subtotals and totals."""
    found = []
    for key, table in data["tables"].items():
        columns = [c.key for c in SPECS[key].columns if c.kind == COUNT]
        lines = [row["values"] for row in table["rows"]]
        lines += list(table.get("subtotals", {}).values())
        lines += [table["total"]] if table["total"] is not None else []
        found += [(key, column, values[column]) for values in lines for column in columns]
    return found


class Cells(HTMLParser):
    """Collect the text and ``data-kind`` of every table cell of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str | None, str]] = []
        self._kind: str | None = None
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td":
            self._open, self._kind = True, dict(attrs).get("data-kind")
            self.cells.append((self._kind, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            kind, text = self.cells[-1]
            self.cells[-1] = (kind, text + data)


@pytest.mark.django_db
def test_the_small_dataset_has_small_cells_to_protect(small_world: Agreement) -> None:
    data = report_data(agreement=small_world, period=Y2025, today=TODAY)
    assert any(small(value) for _t, _c, value in count_cells(data))


@pytest.mark.django_db
def test_no_count_from_1_to_4_is_left_in_the_ministry_copy(small_world: Agreement) -> None:
    data = report_data(agreement=small_world, period=Y2025, today=TODAY)
    original = copy.deepcopy(data)
    protected = ministry_copy(data)
    assert data == original  # the snapshot itself stays exact
    leaks = [cell for cell in count_cells(protected) if small(cell[2])]
    assert leaks == []
    for indicator in protected["indicators"]:
        assert "detail" not in indicator and "previous_detail" not in indicator
        for value in (indicator["actual"], indicator["previous"]):
            assert value is None or not re.fullmatch(r"[1-4](\.0+)?", str(value)), indicator
    shown = {i["code"]: (i["actual"], i["previous"]) for i in protected["indicators"]}
    assert shown["Z2.2"] == ("< 5", "< 5")  # 3 and 1 counselling contacts
    assert shown["Z2.1"] == ("24", "0")  # counts of 5 and more stay
    assert shown["Z1.2"] == (HIDDEN, None)  # 4 of 6 agree: numerator small
    assert shown["P7"] == (HIDDEN, HIDDEN)  # 1 of 3, and 1 of 1, within the deadline


@pytest.mark.django_db
def test_percentages_and_means_on_small_counts_are_withheld(small_world: Agreement) -> None:
    protected = ministry_copy(report_data(agreement=small_world, period=Y2025, today=TODAY))
    feedback = protected["tables"]["feedback"]["rows"][0]["values"]
    assert feedback["answered"] == 6
    assert (feedback["share"], feedback["mean"]) == (HIDDEN, HIDDEN)
    assert feedback["agree"] == "< 5"
    timeliness = {f["key"]: f["current"] for f in protected["facts"]["timeliness"]}
    assert timeliness["share_within"] == HIDDEN
    formats = protected["tables"]["formats"]
    assert formats["total"]["share"] == HIDDEN


@pytest.mark.django_db
def test_figures_that_repeat_a_tables_total_show_what_the_table_shows(
    small_world: Agreement,
) -> None:
    protected = ministry_copy(report_data(agreement=small_world, period=Y2025, today=TODAY))
    output = {f["key"]: f["current"] for f in protected["facts"]["output"]}
    totals = protected["tables"]["formats"]["total"]
    assert output["activities"] == totals["activities"] == "< 5"
    assert output["attendances"] == totals["attendances"]


def test_indicator_counts_from_1_to_4_read_less_than_5_and_yes_no_stays() -> None:
    counted = {"code": "Z", "source": "reach", "rate": False, "actual": "3", "previous": "0"}
    protect_indicator(counted, THRESHOLD)
    assert (counted["actual"], counted["previous"]) == ("< 5", "0")
    duty = {"code": "P8", "source": "evaluation", "rate": True, "actual": "1", "previous": "0"}
    protect_indicator({**duty, "detail": {"last_agreed_on": None}}, THRESHOLD)
    assert duty["actual"] == "1"
    rate = {
        "code": "R", "source": "feedback", "rate": True, "actual": "90.0", "previous": "50.0",
        "detail": {"agree": 36, "total": 40}, "previous_detail": {"agree": 10, "total": 20},
    }  # fmt: skip
    protect_indicator(rate, THRESHOLD)
    assert (rate["actual"], rate["previous"]) == (HIDDEN, "50.0")  # 4 disagree is small


def _cells(html: str) -> list[tuple[str | None, str]]:
    parser = Cells()
    parser.feed(html)
    return [(kind, " ".join(text.split())) for kind, text in parser.cells]


@pytest.mark.django_db
def test_no_count_from_1_to_4_and_no_free_text_in_the_ministry_html(
    small_world: Agreement, fachkraft: User
) -> None:
    html = render_report(
        agreement=small_world, period=Y2025, fmt="html", copy="ministry", user=fachkraft,
        today=TODAY,
    ).content.decode()  # fmt: skip
    cells = _cells(html)
    assert all(kind for kind, _text in cells)  # every cell says what it holds
    counts = [text for kind, text in cells if kind == COUNT]
    assert "< 5" in counts and "24" in counts
    assert [text for text in counts if re.fullmatch(r"[1-4]", text)] == []
    percents = [text for kind, text in cells if kind == PERCENT]
    assert "66,7\u00a0%" not in percents
    assert all(free not in html for free in world.FREE_TEXTS)
    assert "Fassung für das Ministerium (Kleinzahlen unterdrückt)" in html


@pytest.mark.django_db
def test_the_internal_copy_is_exact_and_shows_free_text_to_the_running_organisation(
    small_world: Agreement, fachkraft: User
) -> None:
    html = render_report(
        agreement=small_world, period=Y2025, fmt="html", copy="internal", user=fachkraft,
        today=TODAY,
    ).content.decode()  # fmt: skip
    counts = [text for kind, text in _cells(html) if kind == COUNT]
    assert "3" in counts and "< 5" not in counts
    assert "Mehr Zeit für das Gespräch, bitte." in html
    assert "Interne Fassung" in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["nobody", "referentin", "outsider", "other_fachkraft"])
def test_free_text_stays_out_without_the_right_to_it(
    small_world: Agreement, who: str, request: pytest.FixtureRequest, other_org: Any
) -> None:
    from buendnis.accounts.models import Membership
    from buendnis.accounts.services import user_create
    from buendnis.agreements.models import AgreementPartner

    user: User | None = None
    if who in ("referentin", "outsider"):
        user = request.getfixturevalue(who)
    elif who == "other_fachkraft":
        # a partner of the agreement whose organisation did not run the activity
        AgreementPartner.objects.create(
            agreement=small_world, organisation=other_org, role="partner"
        )
        user = user_create(
            username="lena", password="geheim-und-lang-genug", organisation=other_org,
            role=Membership.Role.FACHKRAFT,
        )  # fmt: skip
    html = render_report(
        agreement=small_world, period=Y2025, fmt="html", copy="internal", user=user, today=TODAY
    ).content.decode()
    assert all(free not in html for free in world.FREE_TEXTS)
