"""The header row and the data rows: columns mapped to keys, rows turned into activities.

A row is read in two steps. The cell readers (``cells.Row``) report what cannot be read at
all: not a number, an unknown Kreis or format, a date in no known form. What is read is
then checked by ``services.validate_activity``, the same rules the form follows (end
before start, Kreis or online, negative hours, reach totals); its problems are put in
the import's columns.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from buendnis.activities.export import columns_for
from buendnis.activities.forms import LANGUAGES
from buendnis.activities.importing.cells import Row, norm
from buendnis.activities.importing.result import ImportProblem
from buendnis.activities.models import Activity, Format, Kreis, ReachCategory
from buendnis.activities.reach import field_name
from buendnis.activities.services import ActivityData, validate_activity
from buendnis.agreements.models import Agreement, Goal

REQUIRED_KEYS = ("external_ref", "title", "starts_at", "ends_at")
# validate_activity's field names that are not the import's column keys; the first key
# is where the problem is shown, any of them already reported silences it.
FIELD_KEYS = {"kreis": ("kreis_ags", "kreis_name")}


# --- the header ----------------------------------------------------------------------


def header_keys(categories: Sequence[ReachCategory]) -> dict[str, str]:
    """Map every accepted header (normalised) to its column key."""
    keys: dict[str, str] = {}
    languages = {code for code, _name in settings.LANGUAGES} | {translation.get_language()}
    for language in sorted(filter(None, languages)):
        with translation.override(language):
            for column in columns_for(categories):
                keys[norm(column.header)] = column.key
    for column in columns_for(categories):
        keys.setdefault(norm(column.key), column.key)
    return keys


def map_header(
    cells: list[Any], categories: Sequence[ReachCategory]
) -> tuple[dict[int, str], dict[str, str], list[ImportProblem]]:
    """Map column positions to keys; report unknown, doubled and missing columns."""
    accepted = header_keys(categories)
    positions: dict[int, str] = {}
    names: dict[str, str] = {}
    problems = []
    for position, cell in enumerate(cells):
        name = " ".join(str(cell or "").split())
        if not name:
            problems.append(
                ImportProblem(1, "", _("Spalte %(n)s hat keine Überschrift.") % {"n": position + 1})
            )
            continue
        key = accepted.get(norm(name))
        if key is None:
            problems.append(ImportProblem(1, name, _("Diese Spalte ist unbekannt.")))
        elif key in names:
            problems.append(ImportProblem(1, name, _("Diese Spalte kommt zweimal vor.")))
        else:
            positions[position] = key
            names[key] = name
    labels = {c.key: c.header for c in columns_for(categories)}
    for key in REQUIRED_KEYS:
        if key not in names:
            problems.append(ImportProblem(1, labels[key], _("Diese Spalte fehlt.")))
    if "format" not in names and "format_key" not in names:
        problems.append(ImportProblem(1, labels["format"], _("Diese Spalte fehlt.")))
    return positions, names, problems


# --- the rows ------------------------------------------------------------------------


@dataclass
class Lookups:
    """Everything rows refer to, loaded once per import."""

    agreement: Agreement
    categories: list[ReachCategory]
    formats_by_key: dict[str, Format]
    formats_by_name: dict[str, Format]
    kreise: dict[str, Kreis]
    kreise_by_name: dict[str, Kreis]
    goals: dict[str, Goal]
    statuses: dict[str, str]
    languages: dict[str, str]

    @classmethod
    def load(cls, agreement: Agreement) -> "Lookups":
        formats = list(Format.objects.filter(agreement=agreement))
        kreise = list(Kreis.objects.all())
        statuses: dict[str, str] = {}
        for language in ("de", "en", translation.get_language() or "de"):
            with translation.override(language):
                for value, label in Activity.Status.choices:
                    statuses[norm(label)] = value
                    statuses[norm(value)] = value
        languages = {norm(code): code for code, _name in LANGUAGES}
        languages.update({norm(name): code for code, name in LANGUAGES})
        return cls(
            agreement=agreement,
            categories=list(ReachCategory.objects.filter(agreement=agreement)),
            formats_by_key={norm(f.key): f for f in formats},
            formats_by_name={norm(f.name): f for f in formats},
            kreise={k.ags: k for k in kreise},
            kreise_by_name={norm(k.name): k for k in kreise},
            goals={norm(g.code): g for g in Goal.objects.filter(agreement=agreement)},
            statuses=statuses,
            languages=languages,
        )


@dataclass
class Parsed:
    """A row that passed every check, ready to be written."""

    row: int
    external_ref: str
    data: ActivityData
    status: str
    documented_at: datetime.datetime | None


def _format(row: Row, lookups: Lookups) -> Format | None:
    """The format by key or by name; a problem if neither names one of the agreement's."""
    format_key = row.text("format_key", max_length=120)
    format_name = row.text("format", max_length=120)
    if format_key:
        fmt = lookups.formats_by_key.get(norm(format_key))
        if fmt is None:
            row.problem(
                "format_key",
                _("Das Format-Kürzel „%(value)s“ gibt es in dieser Vereinbarung nicht.")
                % {"value": format_key},
            )
        return fmt
    if format_name:
        fmt = lookups.formats_by_key.get(norm(format_name)) or lookups.formats_by_name.get(
            norm(format_name)
        )
        if fmt is None:
            row.problem(
                "format",
                _("Das Format „%(value)s“ gibt es in dieser Vereinbarung nicht.")
                % {"value": format_name},
            )
        return fmt
    row.problem("format", _("Bitte ein Format angeben."))
    return None


def _kreis(row: Row, lookups: Lookups) -> Kreis | None:
    """The Kreis by key (AGS) or name; a blank cell is left to ``validate_activity``."""
    ags = row.text("kreis_ags", max_length=20)
    kreis_name = row.text("kreis_name", max_length=200)
    if ags:
        ags = ags.zfill(5) if ags.isdigit() else ags  # Excel drops the leading zero
        kreis = lookups.kreise.get(ags)
        if kreis is None:
            row.problem(
                "kreis_ags", _("Der Kreis-Schlüssel %(value)s ist unbekannt.") % {"value": ags}
            )
        return kreis
    if kreis_name:
        kreis = lookups.kreise_by_name.get(norm(kreis_name))
        if kreis is None:
            row.problem(
                "kreis_name", _("Den Kreis „%(value)s“ gibt es nicht.") % {"value": kreis_name}
            )
        return kreis
    return None


def _languages_and_goals(row: Row, lookups: Lookups) -> tuple[list[str], list[Goal]]:
    languages: list[str] = []
    for word in row.words("languages"):
        code = lookups.languages.get(norm(word))
        if code is None:
            row.problem("languages", _("Die Sprache „%(value)s“ ist unbekannt.") % {"value": word})
        elif code not in languages:
            languages.append(code)
    goals: list[Goal] = []
    for word in row.words("goals"):
        goal = lookups.goals.get(norm(word))
        if goal is None:
            row.problem(
                "goals",
                _("Das Ziel „%(value)s“ gibt es in dieser Vereinbarung nicht.") % {"value": word},
            )
        elif goal not in goals:
            goals.append(goal)
    return languages, goals


def parse_row(row: Row, lookups: Lookups) -> Parsed | None:
    """Turn one row into an activity's data; ``None`` (with problems) if anything is off."""
    external_ref = row.text("external_ref", max_length=80, required=True)
    agreement_slug = row.text("agreement", max_length=200)
    if agreement_slug and agreement_slug != lookups.agreement.slug:
        row.problem(
            "agreement",
            _("Die Zeile gehört zur Vereinbarung „%(other)s“, nicht zu „%(this)s“.")
            % {"other": agreement_slug, "this": lookups.agreement.slug},
        )
    title = row.text("title", max_length=200, required=True)
    fmt = _format(row, lookups)
    starts_at = row.moment("starts_at", required=True)
    ends_at = row.moment("ends_at", required=True)

    status = Activity.Status.DOCUMENTED
    status_text = row.text("status", max_length=40)
    if status_text:
        found = lookups.statuses.get(norm(status_text))
        if found is None:
            row.problem(
                "status", _("Den Status „%(value)s“ gibt es nicht.") % {"value": status_text}
            )
        else:
            status = found

    online = row.boolean("online")
    kreis = _kreis(row, lookups)
    languages, goals = _languages_and_goals(row, lookups)
    participants = row.integer("participants")
    first_timers = row.integer("first_timers")
    reach = {c.pk: row.integer(field_name(c)) for c in lookups.categories}
    staff_hours = row.decimal("staff_hours")
    place_name = row.text("place_name", max_length=120)
    description = row.text("description", max_length=100_000)
    reflection = row.text("reflection", max_length=100_000)
    documented_at = row.moment("documented_at")

    # Stand-ins where a cell could not be read, so the rules still check everything else;
    # such a row has a problem already and is never written. Counts that could not be
    # read are left out, else every total would look wrong.
    counted = (
        participants is not None
        and first_timers is not None
        and all(n is not None for n in reach.values())
    )
    moment = starts_at or ends_at or timezone.now()
    data = ActivityData(
        format=fmt or Format(agreement=lookups.agreement),
        title=title,
        starts_at=starts_at or moment,
        ends_at=ends_at or moment,
        online=online,
        kreis=None if online else kreis,
        place_name=place_name,
        languages=languages,
        goals=goals,
        staff_hours=staff_hours,
        description=description,
        reflection=reflection,
        participants=(participants or 0) if counted else 0,
        first_timers=(first_timers or 0) if counted else 0,
        reach={pk: n for pk, n in reach.items() if n} if counted else {},
    )
    _validate(row, lookups, data, lookups.categories if counted else [])

    if row.problems or fmt is None or starts_at is None or ends_at is None:
        return None
    if status not in (Activity.Status.DOCUMENTED, Activity.Status.REVIEWED):
        documented_at = None
    return Parsed(row.number, external_ref, data, status, documented_at)


def _validate(
    row: Row, lookups: Lookups, data: ActivityData, categories: Sequence[ReachCategory]
) -> None:
    """The service's rules, each problem in its import column unless that was read wrong."""
    unreadable = set(row.keys_with_problems)
    for problem in validate_activity(agreement=lookups.agreement, data=data, categories=categories):
        keys = FIELD_KEYS.get(problem.field, (problem.field,))
        if not unreadable.intersection(keys):
            row.problem(keys[0], problem.message)
