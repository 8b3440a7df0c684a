"""The feedback publication grid of one agreement: responses and scale and choice answers.

Time runs in the same segments as the activities grid (calendar and agreement years cut
each other into them), counted by the day an answer was given. Variables per segment:
responses per questionnaire and format; scale answers per questionnaire, format, question
key and point; choice answers per questionnaire, question key and option. Facts: a
question is answered at most once per response. Nodes per calendar and agreement year:
responses per questionnaire, per format, per both, and in all; the answers per point of
each question (per questionnaire and across questionnaires), and the answered and
agreeing (4–5) answers per question, per format and per both — everything the results
page, the format comparison and the § 8 report publish. Shares and means are no nodes:
they are shown only where the nodes determine them.
"""

from collections import defaultdict
from collections.abc import Hashable

from django.db.models import Count, Max, Min

from buendnis.activities.grid import segments_between, time_segments
from buendnis.activities.models import Activity
from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.cache import grid_for
from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.periods import AGREEMENT_YEAR, YEAR, agreement_start_month, bucket
from buendnis.feedback.models import Answer, Question, Response
from buendnis.feedback.texts import SCALE_POINTS
from buendnis.operations.stamps import change_stamp

SOURCE = "feedback"
ALL = "all"
AGREE_POINTS = (4, 5)


def responses_node(questionnaire: Hashable, format_id: Hashable, time: tuple) -> tuple:
    return ("responses", questionnaire, format_id, time)


def point_node(questionnaire: Hashable, key: str, point: Hashable, time: tuple) -> tuple:
    return ("point", questionnaire, key, point, time)


def answered_node(questionnaire: Hashable, format_id: Hashable, key: str, time: tuple) -> tuple:
    return ("answered", questionnaire, format_id, key, time)


def agree_node(questionnaire: Hashable, format_id: Hashable, key: str, time: tuple) -> tuple:
    return ("agree", questionnaire, format_id, key, time)


def feedback_grid(*, agreement: Agreement) -> Grid:
    """The agreement's grid, rebuilt only when responses come in or are deleted."""
    version = (
        agreement.pk,
        agreement.in_force_on,
        change_stamp(Response, agreement.pk),
        change_stamp(Activity, agreement.pk),
    )
    return grid_for(SOURCE, version, lambda: build_feedback_grid(agreement=agreement))


def build_feedback_grid(*, agreement: Agreement) -> Grid:
    """Build the grid from three aggregate queries (see the module)."""
    grid = Grid(f"{SOURCE}:{agreement.pk}")
    start = agreement_start_month(agreement.in_force_on)
    responses = Response.objects.filter(agreement=agreement).order_by()
    span = responses.aggregate(first=Min("submitted_on"), last=Max("submitted_on"))
    if span["first"] is None:
        return grid
    spans = segments_between(
        (span["first"].year, span["first"].month), (span["last"].year, span["last"].month), start
    )
    segments: set = set()
    pairs: set[tuple[int, int]] = set()
    for row in (
        responses.annotate(segment=bucket("submitted_on", spans, dates=True))
        .values("segment", "version__questionnaire", "activity__format")
        .annotate(n=Count("id"))
    ):
        segment = spans[row["segment"]]
        segments.add(segment)
        pair = (row["version__questionnaire"], row["activity__format"])
        pairs.add(pair)
        grid.variable(("r", segment, *pair), row["n"])
    scale_keys: dict[int, set[str]] = defaultdict(set)
    answers = Answer.objects.filter(response__agreement=agreement).annotate(
        segment=bucket("response__submitted_on", spans, dates=True)
    )
    for row in (
        answers.filter(scale__isnull=False)
        .values(
            "segment",
            "response__version__questionnaire",
            "response__activity__format",
            "question__key",
            "scale",
        )
        .annotate(n=Count("id"))
        .order_by()
    ):
        segment = spans[row["segment"]]
        questionnaire = row["response__version__questionnaire"]
        scale_keys[questionnaire].add(row["question__key"])
        grid.variable(
            (
                "s",
                segment,
                questionnaire,
                row["response__activity__format"],
                row["question__key"],
                row["scale"],
            ),
            row["n"],
        )
    choice_options: dict[tuple[int, str], set[str]] = defaultdict(set)
    for row in (
        answers.filter(question__kind=Question.Kind.CHOICE)
        .values("segment", "response__version__questionnaire", "question__key", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        segment = spans[row["segment"]]
        questionnaire = row["response__version__questionnaire"]
        choice_options[(questionnaire, row["question__key"])].add(row["choice"])
        grid.variable(("c", segment, questionnaire, row["question__key"], row["choice"]), row["n"])
    if not segments:
        return grid
    for segment in segments:
        for questionnaire, format_id in pairs:
            index = grid.index(("r", segment, questionnaire, format_id))
            responses = [] if index is None else [index]
            for key in scale_keys[questionnaire]:
                answered = [
                    i
                    for p in SCALE_POINTS
                    if (i := grid.index(("s", segment, questionnaire, format_id, key, p)))
                    is not None
                ]
                if answered:
                    grid.at_most(answered, responses)
    _nodes(grid, segments, start, pairs, scale_keys, choice_options)
    return grid


def _nodes(
    grid: Grid,
    segments: set,
    start: int | None,
    pairs: set[tuple[int, int]],
    scale_keys: dict[int, set[str]],
    choice_options: dict[tuple[int, str], set[str]],
) -> None:
    years = sorted({year for year, _first in segments})
    times = [(YEAR, y) for y in years]
    if start is not None:
        times += [(AGREEMENT_YEAR, y) for y in range(years[0] - 1, years[-1] + 1)]
    questionnaires = sorted({q for q, _f in pairs})
    formats = sorted({f for _q, f in pairs})
    all_keys = sorted(set().union(*scale_keys.values())) if scale_keys else []
    for time in times:
        parts = time_segments(time, start)
        if not any(part in segments for part in parts):
            continue

        def responses(qs: list, fs: list, parts: list = parts) -> list[tuple]:
            return [("r", s, q, f) for s in parts for q in qs for f in fs]

        def scale(qs: list, fs: list, keys: list, points: tuple, parts: list = parts) -> list:
            return [
                ("s", s, q, f, k, p)
                for s in parts
                for q in qs
                for f in fs
                for k in keys
                for p in points
            ]

        grid.node(responses_node(ALL, ALL, time), responses(questionnaires, formats))
        for q in questionnaires:
            grid.node(responses_node(q, ALL, time), responses([q], formats))
        for f in formats:
            grid.node(responses_node(ALL, f, time), responses(questionnaires, [f]))
        for q, f in pairs:
            grid.node(responses_node(q, f, time), responses([q], [f]))
        for q in [*questionnaires, ALL]:
            qs = questionnaires if q == ALL else [q]
            keys = all_keys if q == ALL else sorted(scale_keys[q])
            for key in keys:
                for point in SCALE_POINTS:
                    grid.node(point_node(q, key, point, time), scale(qs, formats, [key], (point,)))
                for f in [*formats, ALL]:
                    fs = formats if f == ALL else [f]
                    grid.node(answered_node(q, f, key, time), scale(qs, fs, [key], SCALE_POINTS))
                    grid.node(agree_node(q, f, key, time), scale(qs, fs, [key], AGREE_POINTS))
            for f in [*formats, ALL]:
                fs = formats if f == ALL else [f]
                grid.node(answered_node(q, f, ALL, time), scale(qs, fs, keys, SCALE_POINTS))
                grid.node(agree_node(q, f, ALL, time), scale(qs, fs, keys, AGREE_POINTS))
        for (q, key), options in choice_options.items():
            for option in sorted(options):
                grid.node(
                    point_node(q, key, option, time),
                    [("c", s, q, key, option) for s in parts],
                )
