"""The Art. 30 record as Markdown for ``docs/privacy.md``, written from ``core.processing``.

The generated part sits between two marker lines; everything around it is written by hand.
"""

from pathlib import Path

from buendnis.core.processing import (
    CATEGORIES,
    CONTROLLER,
    MODELS,
    PROCESSING,
    RETENTION,
)

DOCUMENT = Path(__file__).resolve().parent.parent.parent / "docs" / "privacy.md"
START = (
    "<!-- processing-record:start (written by `buendnis processing-record`; "
    "edit core/processing.py) -->"
)
END = "<!-- processing-record:end -->"


def _category(key: str) -> str:
    category = CATEGORIES[key]
    return category.name + (" (Art. 9)" if category.special else "")


def _activity_section(key: str) -> list[str]:
    processing = PROCESSING[key]
    models = [label for label, stored in MODELS.items() if stored.processing == key]
    used = {c for label in models for c in MODELS[label].fields}
    personal = [c for c in CATEGORIES if c in used and CATEGORIES[c].personal]
    other = [c for c in CATEGORIES if c in used and not CATEGORIES[c].personal]
    retentions = list(dict.fromkeys(MODELS[label].retention for label in models))
    return [
        f"#### {processing.name}",
        "",
        "| | |",
        "|---|---|",
        f"| purpose | {processing.purpose} |",
        f"| legal basis | {processing.legal_basis} |",
        f"| data subjects | {processing.data_subjects} |",
        f"| personal data | {'; '.join(_category(c) for c in personal) or '–'} |",
        f"| other data | {'; '.join(_category(c) for c in other) or '–'} |",
        f"| recipients | {processing.recipients} |",
        f"| retention | {'; '.join(RETENTION[r] for r in retentions)} |",
        f"| models | {', '.join(f'`{label}`' for label in models)} |",
        "",
    ]


def _model_row(label: str) -> str:
    stored = MODELS[label]
    personal = "; ".join(
        f"{key}: {', '.join(f'`{name}`' for name in names.split())}"
        for key, names in stored.fields.items()
        if CATEGORIES[key].personal
    )
    return f"| `{label}` | {stored.processing} | {stored.retention} | {personal or '–'} |"


def render() -> str:
    """The generated part of the record, markers included."""
    lines = [START, "", f"**Controller.** {CONTROLLER}", "", "### Processing activities", ""]
    for key in PROCESSING:
        lines += _activity_section(key)
    lines += [
        "### Personal data by model and field",
        "",
        "Fields not listed hold no personal data (content, keys, states, timestamps); "
        "`core/processing.py` classifies every one of them.",
        "",
        "| model | processing | retention | personal data by category |",
        "|---|---|---|---|",
        *(_model_row(label) for label in MODELS),
        "",
        "| category | meaning | Art. 9 |",
        "|---|---|---|",
        *(
            f"| {key} | {c.name} | {'may be' if c.special else '–'} |"
            for key, c in CATEGORIES.items()
            if c.personal
        ),
        "",
        "| retention | rule |",
        "|---|---|",
        *(f"| {key} | {text} |" for key, text in RETENTION.items()),
        "",
        END,
    ]
    return "\n".join(lines)


def updated(document: str) -> str:
    """The document with its generated part replaced by the current one."""
    before, start, rest = document.partition(START)
    if not start:
        raise ValueError("docs/privacy.md has no processing-record marker")
    _old, end, after = rest.partition(END)
    if not end:
        raise ValueError("docs/privacy.md has no end marker of the processing record")
    return before + render() + after
