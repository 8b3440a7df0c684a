"""An agreement text being checked by a person: a plain dict that travels in the form.

The import preview and later corrections keep their state only in the posted form — no
row is written until the person confirms — so this module turns parser results, stored
agreements and posted forms into one draft shape, applies the preview's operations (add,
merge, split) and lists the doubts a person should look at.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from buendnis.agreements.importer import (
    ParsedAgreement,
    ParsedParagraph,
    ParsedPartner,
    ParsedSignatory,
)
from buendnis.agreements.importer.names import best_match

Draft = dict[str, Any]

LABEL = re.compile(r"^\s*(\d{1,3})\s*([a-z]{0,2})\s*$")
_SPLIT_LINE = re.compile(r"^\s*§\s*(\d{1,3}[a-z]{0,2})\b\s*[.:–-]?\s*(.*)$")
SECTIONS = ("partners", "paragraphs", "signatories")
FIELDS = {
    "partners": ("name", "aliases", "role", "organisation"),
    "paragraphs": ("label", "heading", "body"),
    "signatories": ("name", "function", "organisation"),
}
MAIN_FIELDS = ("title", "subtitle", "topic", "place", "signed_on", "reason")


def split_label(label: str) -> tuple[int, str] | None:
    """ "3a" → (3, "a"); None if it is not a § number."""
    match = LABEL.match(label or "")
    return (int(match.group(1)), match.group(2)) if match else None


def _sort_key(paragraph: dict[str, str]) -> tuple[int, int, str]:
    parsed = split_label(paragraph["label"])
    return (0, *parsed) if parsed else (1, 0, "")


def draft_from_parsed(parsed: ParsedAgreement, organisations: dict[str, int]) -> Draft:
    """A draft from the parser's result; partners linked to organisations found by name."""
    return {
        "title": parsed.title,
        "subtitle": parsed.subtitle,
        "topic": parsed.topic,
        "place": parsed.place,
        "signed_on": parsed.signed_on.isoformat() if parsed.signed_on else "",
        "reason": "",
        "partners": [
            {
                "name": p.name,
                "aliases": "\n".join(p.aliases),
                "role": p.role,
                "organisation": str(organisations.get(p.name, "new")),
            }
            for p in parsed.partners
        ],
        "paragraphs": [
            {"label": p.label, "heading": p.heading, "body": p.body} for p in parsed.paragraphs
        ],
        "signatories": [
            {"name": s.name, "function": s.function, "organisation": s.organisation}
            for s in parsed.signatories
        ],
    }


def draft_from_snapshot(snapshot: dict[str, Any], organisation_ids: list[int]) -> Draft:
    """A draft from a stored agreement's snapshot (``services.agreement_text_snapshot``)."""
    return {
        **{key: snapshot.get(key) or "" for key in MAIN_FIELDS},
        "partners": [
            {
                "name": p["name"],
                "aliases": "\n".join(p["aliases"]),
                "role": p["role"],
                "organisation": str(organisation_id),
            }
            for p, organisation_id in zip(snapshot["partners"], organisation_ids, strict=True)
        ],
        "paragraphs": [
            {"label": f"{p['number']}{p['suffix']}", "heading": p["heading"], "body": p["body"]}
            for p in snapshot["paragraphs"]
        ],
        "signatories": [dict(s) for s in snapshot["signatories"]],
    }


def draft_from_post(data: QueryDict, *, keep_removed: bool = False) -> Draft:
    """Read the posted preview as it stands, valid or not; rows ticked for removal go."""
    draft: Draft = {key: data.get(key, "").strip() for key in MAIN_FIELDS}
    for section in SECTIONS:
        try:
            total = min(int(data.get(f"{section}-TOTAL_FORMS", "0")), 500)
        except ValueError:
            total = 0
        rows = []
        for index in range(total):
            prefix = f"{section}-{index}-"
            if data.get(prefix + "DELETE") and not keep_removed:
                continue
            rows.append({name: data.get(prefix + name, "").strip() for name in FIELDS[section]})
        draft[section] = rows
    return draft


def draft_to_parsed(draft: Draft) -> ParsedAgreement:
    """The checked draft as the importer's structure, for the writing service."""
    paragraphs = []
    for row in sorted(draft["paragraphs"], key=_sort_key):
        number, suffix = split_label(row["label"]) or (0, "")
        paragraphs.append(ParsedParagraph(number, row["heading"], row["body"], suffix))
    signed_on = draft["signed_on"]
    return ParsedAgreement(
        title=draft["title"],
        subtitle=draft["subtitle"],
        topic=draft["topic"],
        partners=[
            ParsedPartner(
                name=row["name"],
                aliases=[a.strip() for a in row["aliases"].splitlines() if a.strip()],
                organisation_id=int(row["organisation"]) if row["organisation"].isdigit() else None,
                role=row["role"],
            )
            for row in draft["partners"]
        ],
        paragraphs=paragraphs,
        place=draft["place"],
        signed_on=as_date(signed_on),
        signatories=[
            ParsedSignatory(row["name"], row["function"], row["organisation"])
            for row in draft["signatories"]
        ],
    )


def as_date(value: str | datetime.date | None) -> datetime.date | None:
    if isinstance(value, datetime.date) or not value:
        return value or None
    return datetime.date.fromisoformat(value)


# --- operations of the preview ---------------------------------------------------------


class OperationError(ValueError):
    """An operation that cannot be applied; the message says why (translated)."""


def _next_label(paragraphs: list[dict[str, str]]) -> str:
    numbers = [parsed[0] for p in paragraphs if (parsed := split_label(p["label"]))]
    return str(max(numbers, default=0) + 1)


def apply_operation(draft: Draft, operation: str) -> Draft:
    """Apply "add-partner", "add-paragraph", "add-signatory", "merge-N" or "split-N"."""
    paragraphs = draft["paragraphs"]
    if operation == "add-partner":
        draft["partners"].append({"name": "", "aliases": "", "role": "", "organisation": "new"})
    elif operation == "add-signatory":
        draft["signatories"].append({"name": "", "function": "", "organisation": ""})
    elif operation == "add-paragraph":
        paragraphs.append({"label": _next_label(paragraphs), "heading": "", "body": ""})
    elif match := re.fullmatch(r"(merge|split)-(\d+)", operation):
        index = int(match.group(2))
        if index >= len(paragraphs) or (match.group(1) == "merge" and index == 0):
            raise OperationError(_("Diesen Paragrafen gibt es nicht mehr."))
        if match.group(1) == "merge":
            _merge(paragraphs, index)
        else:
            _split(paragraphs, index)
    elif operation not in ("check", ""):
        raise OperationError(_("Unbekannte Aktion."))
    return draft


def _merge(paragraphs: list[dict[str, str]], index: int) -> None:
    """Append § N to the one before it, its heading line kept as text."""
    previous, current = paragraphs[index - 1], paragraphs.pop(index)
    heading = f"§ {current['label']} {current['heading']}".strip()
    previous["body"] = "\n\n".join(
        part for part in (previous["body"], heading, current["body"]) if part
    )


def _split(paragraphs: list[dict[str, str]], index: int) -> None:
    """Start a new § at the first line of the body written as „§ 4 Überschrift“."""
    current = paragraphs[index]
    lines = current["body"].replace("\r\n", "\n").split("\n")
    for position, line in enumerate(lines):
        match = _SPLIT_LINE.match(line)
        if match:
            current["body"] = "\n".join(lines[:position]).strip()
            paragraphs.insert(
                index + 1,
                {
                    "label": match.group(1),
                    "heading": match.group(2).strip(),
                    "body": "\n".join(lines[position + 1 :]).strip(),
                },
            )
            return
    raise OperationError(
        _(
            "Zum Teilen schreiben Sie „§ Nummer Überschrift“ (etwa „§ 4 Schluss“) in eine "
            "eigene Zeile des Textes, dort wo der neue Paragraf beginnt."
        )
    )


def sort_paragraphs(draft: Draft) -> Draft:
    """Paragraphs in § order (3, 3a, 4); rows without a valid number stay at the end."""
    draft["paragraphs"] = sorted(draft["paragraphs"], key=_sort_key)
    return draft


# --- doubts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Doubt:
    """Something a person should check; ``target`` is the id of the place in the form."""

    target: str
    message: str


def doubts(draft: Draft) -> list[Doubt]:
    """What the parser (or the person) may have got wrong, for the preview to highlight."""
    found: list[Doubt] = []
    partners = [p["name"] for p in draft["partners"] if p["name"]]
    if len(partners) < 2:
        found.append(Doubt("partners", _("Weniger als zwei Bündnispartner gefunden.")))
    found += _numbering_doubts(draft["paragraphs"])
    for index, paragraph in enumerate(draft["paragraphs"]):
        if not paragraph["heading"]:
            found.append(
                Doubt(
                    f"paragraph-{index}",
                    _("§ %(label)s hat keine Überschrift.") % {"label": paragraph["label"]},
                )
            )
        if not paragraph["body"]:
            found.append(
                Doubt(
                    f"paragraph-{index}",
                    _("§ %(label)s hat keinen Text.") % {"label": paragraph["label"]},
                )
            )
    signatories = [s for s in draft["signatories"] if s["name"]]
    if not signatories:
        found.append(Doubt("signatories", _("Keine Unterzeichnenden gefunden.")))
    for index, signatory in enumerate(draft["signatories"]):
        organisation = signatory["organisation"]
        if organisation and best_match(organisation, partners) is None:
            found.append(
                Doubt(
                    f"signatory-{index}",
                    _("%(name)s unterschreibt für „%(organisation)s“, keinen der Bündnispartner.")
                    % {"name": signatory["name"], "organisation": organisation},
                )
            )
        if signatory["name"] and not signatory["function"]:
            found.append(
                Doubt(
                    f"signatory-{index}",
                    _("In welcher Funktion unterschreibt %(name)s?") % {"name": signatory["name"]},
                )
            )
        if not organisation and signatory["name"]:
            found.append(
                Doubt(
                    f"signatory-{index}",
                    _("Für welche Organisation unterschreibt %(name)s?")
                    % {"name": signatory["name"]},
                )
            )
    if signatories:
        signing = [s["organisation"] for s in signatories if s["organisation"]]
        for index, partner in enumerate(draft["partners"]):
            if partner["name"] and all(best_match(o, [partner["name"]]) is None for o in signing):
                found.append(
                    Doubt(
                        f"partner-{index}",
                        _("Für %(partner)s hat niemand unterschrieben.")
                        % {"partner": partner["name"]},
                    )
                )
    if not draft["signed_on"]:
        found.append(
            Doubt(
                "id_signed_on",
                _(
                    "Kein Datum der Unterzeichnung gefunden: Ohne Datum tritt die "
                    "Vereinbarung nicht in Kraft (§ 9)."
                ),
            )
        )
    if not draft["place"]:
        found.append(Doubt("id_place", _("Kein Ort der Unterzeichnung gefunden.")))
    return found


def _numbering_doubts(paragraphs: list[dict[str, str]]) -> list[Doubt]:
    found: list[Doubt] = []
    seen: set[tuple[int, str]] = set()
    previous: tuple[int, str] | None = None
    for index, paragraph in enumerate(paragraphs):
        target = f"paragraph-{index}"
        label = split_label(paragraph["label"])
        if label is None:
            found.append(
                Doubt(
                    target,
                    _("„%(label)s“ ist keine §-Nummer (etwa 3 oder 3a).")
                    % {"label": paragraph["label"]},
                )
            )
            continue
        number, suffix = label
        shown = f"{number}{suffix}"
        if label in seen:
            found.append(Doubt(target, _("§ %(label)s kommt mehrfach vor.") % {"label": shown}))
        seen.add(label)
        if suffix:
            found.append(
                Doubt(
                    target,
                    _(
                        "§ %(label)s ist ein Unterparagraf mit Buchstaben: Gehört er zu "
                        "§ %(number)s, und geht es danach mit § %(next)s weiter?"
                    )
                    % {"label": shown, "number": number, "next": number + 1},
                )
            )
        if previous is not None and not suffix and number > previous[0] + 1:
            found.append(
                Doubt(
                    target,
                    _("Die §-Nummern springen von %(before)s auf %(after)s.")
                    % {"before": f"{previous[0]}{previous[1]}", "after": shown},
                )
            )
        if previous is not None and label < previous:
            found.append(
                Doubt(
                    target,
                    _("§ %(label)s steht nach § %(before)s.")
                    % {"label": shown, "before": f"{previous[0]}{previous[1]}"},
                )
            )
        if previous is None and label != (1, ""):
            found.append(Doubt(target, _("Der erste Paragraf ist nicht § 1.")))
        previous = label
    return found
