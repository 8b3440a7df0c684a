"""The counselling publication grid of one agreement (all partners' contacts together).

Variables: contacts per month and category of each breakdown (kind, channel, who sought
advice, first or follow-up), and topic mentions per month and topic. Facts: in every month
the four breakdowns add up to the same number of contacts, and the topic mentions are at
least as many (every contact names a topic). Nodes: each category, the
contacts and the topic mentions of every month, quarter, calendar year and (snapped)
agreement year — everything the statistics page, its exports, the § 8 report and the
portfolio publish about counselling.
"""

from collections.abc import Hashable

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.cache import grid_for
from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.periods import (
    AGREEMENT_YEAR,
    MONTH,
    QUARTER,
    YEAR,
    Month,
    agreement_start_month,
    time_nodes,
)
from buendnis.counselling.models import Contact, Topic
from buendnis.operations.stamps import change_stamp

SOURCE = "counselling"
BREAKDOWNS: tuple[tuple[str, str], ...] = (
    ("kind", "kind"),
    ("channel", "channel"),
    ("sought_by", "sought_by"),
    ("first", "first_contact"),
)
TIME_KINDS = (MONTH, QUARTER, YEAR, AGREEMENT_YEAR)
TOTAL = "total"


def categories() -> dict[str, list[Hashable]]:
    """Each breakdown's categories, in the order the tables show them."""
    return {
        "kind": list(Contact.Kind.values),
        "channel": list(Contact.Channel.values),
        "sought_by": list(Contact.SoughtBy.values),
        "first": [True, False],
    }


def category_node(breakdown: str, category: Hashable, time: tuple) -> tuple:
    return ("c", breakdown, category, time)


def total_node(time: tuple) -> tuple:
    return ("c", TOTAL, time)


def topic_node(topic_id: int | str, time: tuple) -> tuple:
    return ("t", topic_id, time)


def counselling_grid(*, agreement: Agreement) -> Grid:
    """The agreement's grid, rebuilt only when its contacts or topics change."""
    version = (
        agreement.pk,
        agreement.in_force_on,
        change_stamp(Contact, agreement.pk),
        list(Topic.objects.filter(agreement=agreement).values_list("id")),
    )
    return grid_for(SOURCE, version, lambda: build_counselling_grid(agreement=agreement))


def build_counselling_grid(*, agreement: Agreement) -> Grid:
    """Build the grid from two aggregate queries (see the module)."""
    grid = Grid(f"{SOURCE}:{agreement.pk}")
    contacts = Contact.objects.filter(agreement=agreement).order_by()
    combos = (
        contacts.annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values("year", "month", "kind", "channel", "sought_by", "first_contact")
        .annotate(n=Count("id"))
    )
    months: set[Month] = set()
    by_month: dict[Month, dict[str, list[int]]] = {}
    for row in combos:
        month = (row["year"], row["month"])
        months.add(month)
        for breakdown, field in BREAKDOWNS:
            grid.variable((breakdown, month, row[field]), row["n"])
    mentions = (
        Contact.topics.through.objects.filter(contact__agreement=agreement)
        .annotate(year=ExtractYear("contact__date"), month=ExtractMonth("contact__date"))
        .values("year", "month", "topic_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in mentions:
        month = (row["year"], row["month"])
        months.add(month)
        grid.variable(("topic", month, row["topic_id"]), row["n"])
    if not months:
        return grid
    choices = categories()
    topic_ids = list(
        Topic.objects.filter(agreement=agreement)
        .order_by("position", "name")
        .values_list("id", flat=True)
    )
    for month in sorted(months):
        by_month[month] = {
            breakdown: [
                i
                for c in choices[breakdown]
                if (i := grid.index((breakdown, month, c))) is not None
            ]
            for breakdown in choices
        }
        for breakdown in ("channel", "sought_by", "first"):
            grid.same_sum(by_month[month]["kind"], by_month[month][breakdown])
        # Every contact names at least one topic: mentions never fall short of contacts.
        mentioned = [i for t in topic_ids if (i := grid.index(("topic", month, t))) is not None]
        grid.at_most(by_month[month]["kind"], mentioned)
    start = agreement_start_month(agreement.in_force_on)
    for time, covered in time_nodes(
        min(months), max(months), start_month=start, kinds=TIME_KINDS
    ).items():
        for breakdown, values in choices.items():
            for category in values:
                grid.node(
                    category_node(breakdown, category, time),
                    [(breakdown, month, category) for month in covered],
                )
        grid.node(
            total_node(time), [("kind", month, c) for month in covered for c in choices["kind"]]
        )
        for topic_id in topic_ids:
            grid.node(topic_node(topic_id, time), [("topic", month, topic_id) for month in covered])
        grid.node(
            topic_node(TOTAL, time),
            [("topic", month, topic_id) for month in covered for topic_id in topic_ids],
        )
    return grid
