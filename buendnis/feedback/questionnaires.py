"""Writes for questionnaires: create, translate, add and remove questions, seed.

Answers always stay with the version they answered: an edit changes the current version in
place only while nobody has answered it; otherwise it first copies the version to a new
number and changes the copy.
"""

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from buendnis.accounts.models import User
from buendnis.activities.models import Format
from buendnis.agreements.models import Agreement
from buendnis.audit.recording import record_created
from buendnis.core.locking import claim_version
from buendnis.feedback.models import (
    SOURCE_LANGUAGE,
    FormatQuestionnaire,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)
from buendnis.feedback.selectors import current_version
from buendnis.feedback.texts import FORM_TEXT_KEYS, Language

SEED = Path(__file__).resolve().parent / "seed" / "questionnaires.json"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class QuestionnaireInvalid(Exception):
    """The questionnaire would break a rule; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class _Content:
    """A version's content while it is being checked or changed."""

    languages: list[dict[str, str]]
    texts: dict[str, dict[str, str]]
    questions: list[dict[str, Any]]  # {"key", "kind", "labels", "options"} in order


def _content_of(version: QuestionnaireVersion) -> _Content:
    return _Content(
        languages=copy.deepcopy(version.languages),
        texts=copy.deepcopy(version.texts),
        questions=[
            {
                "key": q.key,
                "kind": q.kind,
                "labels": dict(q.labels),
                "options": copy.deepcopy(q.options),
            }
            for q in version.questions.all()
        ],
    )


def _check(content: _Content) -> None:
    """Every text in German, sound keys and codes; raise ``QuestionnaireInvalid`` if not."""
    problems = []
    codes = [language["code"] for language in content.languages]
    if SOURCE_LANGUAGE not in codes:
        problems.append(_("Deutsch muss als Sprache enthalten sein."))
    if len(set(codes)) != len(codes):
        problems.append(_("Eine Sprache ist doppelt eingetragen."))
    for language in content.languages:
        if (
            not LANGUAGE_CODE.match(language["code"])
            or language.get("dir") not in ("ltr", "rtl")
            or not (language.get("name") or "").strip()
        ):
            problems.append(_("Ungültige Sprache: %(code)s") % {"code": language["code"]})
    german = content.texts.get(SOURCE_LANGUAGE, {})
    if any(not (german.get(key) or "").strip() for key in FORM_TEXT_KEYS):
        problems.append(_("Jeder Text des Formulars braucht eine deutsche Fassung."))
    keys = [question["key"] for question in content.questions]
    if len(set(keys)) != len(keys) or not all(KEY.match(key) for key in keys):
        problems.append(_("Die Kürzel der Fragen müssen eindeutig sein (a–z, 0–9, _)."))
    for question in content.questions:
        if question["kind"] not in Question.Kind.values:
            problems.append(_("Unbekannte Fragenart: %(kind)s") % {"kind": question["kind"]})
        labels = [question["labels"], *(o["labels"] for o in question.get("options", []))]
        if any(not (label.get(SOURCE_LANGUAGE) or "").strip() for label in labels):
            problems.append(_("Frage „%(key)s“ braucht einen deutschen Text.") % question)
        option_keys = [o["key"] for o in question.get("options", [])]
        if question["kind"] == Question.Kind.CHOICE and (
            len(option_keys) < 2 or len(set(option_keys)) != len(option_keys)
        ):
            problems.append(_("Frage „%(key)s“ braucht mindestens zwei Antworten.") % question)
    if problems:
        raise QuestionnaireInvalid(problems)


def _write(
    content: _Content,
    *,
    questionnaire: Questionnaire,
    version: QuestionnaireVersion | None,
    by: User | None,
) -> QuestionnaireVersion:
    """Store the content as the given (unanswered) version, or as a new version."""
    if version is None:
        latest = current_version(questionnaire)
        version = QuestionnaireVersion(
            questionnaire=questionnaire, number=(latest.number + 1) if latest else 1, created_by=by
        )
    version.languages, version.texts = content.languages, content.texts
    version.save()
    version.questions.all().delete()
    created = Question.objects.bulk_create(
        Question(
            version=version,
            key=question["key"],
            kind=question["kind"],
            position=position,
            labels=question["labels"],
            options=question.get("options", []) if question["kind"] == Question.Kind.CHOICE else [],
        )
        for position, question in enumerate(content.questions)
    )
    record_created(created)
    return version


def _lock(questionnaire: Questionnaire, expected_version: int | None) -> QuestionnaireVersion:
    """Claim the next edit version (serialising edits); return the current content version.

    ``expected_version`` is the questionnaire's ``version`` the editor saw; a stale one
    raises ``EditConflict``. Without it (scripts) the edit is based on ``questionnaire``.
    """
    expected = questionnaire.version if expected_version is None else expected_version
    questionnaire.version = claim_version(
        Questionnaire, pk=questionnaire.pk, expected=expected
    ).version
    return current_version(questionnaire)


def _revise(
    questionnaire: Questionnaire,
    current: QuestionnaireVersion,
    content: _Content,
    by: User | None,
) -> QuestionnaireVersion:
    """Save changed content: in place while unanswered, else as the next version."""
    _check(content)
    if _content_of(current) == content:
        return current
    answered = current.responses.exists()
    return _write(
        content, questionnaire=questionnaire, version=None if answered else current, by=by
    )


@transaction.atomic
def questionnaire_create(
    *,
    agreement: Agreement,
    key: str,
    name: str,
    description: str = "",
    languages: list[dict[str, str]],
    texts: dict[str, dict[str, str]],
    questions: list[dict[str, Any]],
    by: User | None = None,
) -> Questionnaire:
    """Create a questionnaire with its first version."""
    content = _Content(languages=languages, texts=texts, questions=questions)
    _check(content)
    questionnaire = Questionnaire.objects.create(
        agreement=agreement, key=key, name=name, description=description
    )
    _write(content, questionnaire=questionnaire, version=None, by=by)
    return questionnaire


@transaction.atomic
def questionnaire_translate(
    *,
    questionnaire: Questionnaire,
    language: Language,
    texts: dict[str, str],
    labels: dict[str, str],
    option_labels: dict[str, dict[str, str]],
    by: User | None = None,
    expected_version: int | None = None,
) -> QuestionnaireVersion:
    """Set (or add) one language's texts; an empty text falls back to German."""
    current = _lock(questionnaire, expected_version)
    content = _content_of(current)
    entry = {"code": language.code, "name": language.name.strip(), "dir": language.dir}
    codes = [item["code"] for item in content.languages]
    if language.code in codes:
        content.languages[codes.index(language.code)] = entry
    else:
        content.languages.append(entry)
    content.texts[language.code] = {k: v.strip() for k, v in texts.items() if v and v.strip()}
    for question in content.questions:
        _set_label(question["labels"], language.code, labels.get(question["key"], ""))
        for option in question["options"]:
            wanted = option_labels.get(question["key"], {}).get(option["key"], "")
            _set_label(option["labels"], language.code, wanted)
    return _revise(questionnaire, current, content, by)


def _set_label(labels: dict[str, str], code: str, text: str) -> None:
    if text and text.strip():
        labels[code] = text.strip()
    else:
        labels.pop(code, None)


@transaction.atomic
def questionnaire_add_question(
    *,
    questionnaire: Questionnaire,
    key: str,
    kind: str,
    label: str,
    options: list[tuple[str, str]] | None = None,
    by: User | None = None,
    expected_version: int | None = None,
) -> QuestionnaireVersion:
    """Add a question (German text; other languages fall back until translated)."""
    current = _lock(questionnaire, expected_version)
    content = _content_of(current)
    content.questions.append(
        {
            "key": key,
            "kind": kind,
            "labels": {SOURCE_LANGUAGE: label},
            "options": [
                {"key": option_key, "labels": {SOURCE_LANGUAGE: option_label}}
                for option_key, option_label in options or []
            ],
        }
    )
    return _revise(questionnaire, current, content, by)


@transaction.atomic
def questionnaire_remove_question(
    *,
    questionnaire: Questionnaire,
    key: str,
    by: User | None = None,
    expected_version: int | None = None,
) -> QuestionnaireVersion:
    """Remove a question from the questionnaire (earlier versions keep it with its answers)."""
    current = _lock(questionnaire, expected_version)
    content = _content_of(current)
    content.questions = [q for q in content.questions if q["key"] != key]
    return _revise(questionnaire, current, content, by)


@transaction.atomic
def questionnaires_seed(
    *, agreement: Agreement, data: dict[str, Any] | None = None
) -> list[Questionnaire]:
    """Load the seeded questionnaires and attach them to the formats; safe to run again.

    Existing questionnaires and format choices are kept as staff left them.
    """
    data = data or json.loads(SEED.read_text(encoding="utf-8"))
    loaded = []
    for item in data["questionnaires"]:
        questionnaire = Questionnaire.objects.filter(agreement=agreement, key=item["key"]).first()
        if questionnaire is None:
            questionnaire = questionnaire_create(
                agreement=agreement,
                key=item["key"],
                name=item["name"],
                description=item.get("description", ""),
                languages=data["languages"],
                texts=data["form_texts"],
                questions=item["questions"],
            )
        for fmt in Format.objects.filter(agreement=agreement, key__in=item.get("formats", [])):
            FormatQuestionnaire.objects.get_or_create(
                format=fmt, defaults={"questionnaire": questionnaire}
            )
        loaded.append(questionnaire)
    return loaded
