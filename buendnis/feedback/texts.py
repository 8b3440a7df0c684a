"""A questionnaire version in one language: picking the language and falling back to German.

Everything the participant reads comes from the version's data. A text missing in the
chosen language is shown in German, marked with ``lang="de"`` and, for questions, a visible
note – never as an empty label.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation.trans_real import parse_accept_lang_header

from buendnis.feedback.models import SOURCE_LANGUAGE, Question, QuestionnaireVersion

# The form's own texts; a version must have each of them in German.
FORM_TEXT_KEYS = (
    "title",
    "activity",
    "intro",
    "language_picker",
    "scale_1",
    "scale_2",
    "scale_3",
    "scale_4",
    "scale_5",
    "text_hint",
    "submit",
    "thanks",
    "closed",
    "cap_reached",
    "too_many",
    "fallback_note",
    "invalid",
    "empty",
    "invitation",
)
SCALE_POINTS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Language:
    """A language a version offers, named in its own script, with its writing direction."""

    code: str
    name: str
    dir: str = "ltr"


@dataclass(frozen=True)
class Localised:
    """A text and the language it is really in (German when the wanted one is missing)."""

    text: str
    lang: str
    dir: str
    fallback: bool = False

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Option:
    value: str
    label: Localised
    checked: bool = False


@dataclass(frozen=True)
class QuestionView:
    """What the form shows for one question in the chosen language."""

    key: str
    kind: str
    name: str
    label: Localised
    options: list[Option] = field(default_factory=list)
    value: str = ""


def languages(version: QuestionnaireVersion) -> list[Language]:
    return [
        Language(
            code=item["code"], name=item.get("name") or item["code"], dir=item.get("dir", "ltr")
        )
        for item in version.languages
    ]


def choose_language(
    version: QuestionnaireVersion, *, requested: str | None, accept_language: str
) -> Language:
    """The ``?lang=`` choice if offered, else the browser's preference, else German."""
    offered = {language.code: language for language in languages(version)}
    if requested and requested in offered:
        return offered[requested]
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        for candidate in (tag, tag.split("-")[0]):
            if candidate in offered:
                return offered[candidate]
    return offered.get(SOURCE_LANGUAGE) or next(iter(offered.values()))


class Translator:
    """Look up texts of one version in one language, falling back to German."""

    def __init__(self, version: QuestionnaireVersion, language: Language) -> None:
        self.language = language
        directions = {item.code: item.dir for item in languages(version)}
        self._source_dir = directions.get(SOURCE_LANGUAGE, "ltr")
        self._texts = version.texts

    def pick(self, labels: Mapping[str, str]) -> Localised:
        wanted = (labels.get(self.language.code) or "").strip()
        if wanted:
            return Localised(wanted, self.language.code, self.language.dir)
        return Localised(
            labels.get(SOURCE_LANGUAGE, ""), SOURCE_LANGUAGE, self._source_dir, fallback=True
        )

    def text(self, key: str) -> Localised:
        labels = {}
        for code in (self.language.code, SOURCE_LANGUAGE):  # all ``pick`` reads
            texts = self._texts.get(code)
            if isinstance(texts, dict):
                labels[code] = texts.get(key, "")
        return self.pick(labels)

    def shown(self, version: QuestionnaireVersion, questions: list[Question]) -> tuple:
        """All of the version and its questions this translator can show: a fragment's key.

        Only the chosen language's and the German texts (``pick``), not every language's.
        """
        codes = (self.language.code, SOURCE_LANGUAGE)

        def only(labels: Mapping[str, str]) -> tuple:
            return tuple(labels.get(code) for code in codes)

        return (
            version.pk,
            version.languages,
            [self._texts.get(code) for code in codes],
            [
                (q.key, q.kind, only(q.labels), [(o["key"], only(o["labels"])) for o in q.options])
                for q in questions
            ],
        )

    def form_texts(self) -> dict[str, Localised]:
        return {key: self.text(key) for key in FORM_TEXT_KEYS}

    def question(self, question: Question, value: str = "") -> QuestionView:
        if question.kind == Question.Kind.SCALE:
            choices = [(str(point), self.text(f"scale_{point}")) for point in SCALE_POINTS]
        else:
            choices = [(option["key"], self.pick(option["labels"])) for option in question.options]
        return QuestionView(
            key=question.key,
            kind=question.kind,
            name=field_name(question.key),
            label=self.pick(question.labels),
            options=[Option(v, label, checked=(v == value)) for v, label in choices],
            value=value,
        )


def field_name(key: str) -> str:
    return f"q_{key}"


def missing_texts(version: QuestionnaireVersion, questions: list[Question], code: str) -> int:
    """How many form texts, questions and options have no text in this language."""
    texts = version.texts.get(code, {})
    missing = sum(1 for key in FORM_TEXT_KEYS if not (texts.get(key) or "").strip())
    for question in questions:
        missing += not (question.labels.get(code) or "").strip()
        missing += sum(not (o["labels"].get(code) or "").strip() for o in question.options)
    return missing
