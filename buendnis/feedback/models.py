"""Anonymous participant feedback: versioned questionnaires, links per activity, responses.

A questionnaire's texts live in the data (per language code), so staff add a language
without a code change. A response row holds nothing about the person who gave it: no
cookie, no address, no browser, no time of day – only the day, the activity and the
questionnaire version it answers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buendnis.activities.models import Activity, Format
from buendnis.agreements.models import Agreement
from buendnis.core.locking import Versioned

SOURCE_LANGUAGE = "de"  # every text exists in German; other languages fall back to it


class Questionnaire(Versioned):
    """A feedback template of one agreement; its content lives in numbered versions.

    ``version`` counts edits for optimistic locking (``core.locking``); the numbered
    ``QuestionnaireVersion`` rows keep the content answers refer to.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="questionnaires"
    )
    key = models.SlugField(_("Kürzel"), max_length=40)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name = _("Fragebogen")
        verbose_name_plural = _("Fragebögen")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="questionnaire_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionnaireVersion(models.Model):
    """The questions and texts of a questionnaire as they were asked; answers keep theirs.

    ``languages`` lists ``{"code", "name", "dir"}`` in the picker's order, the name written
    in the language itself; ``texts`` maps a language code to the form's own texts.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("Version"))
    languages = models.JSONField(_("Sprachen"), default=list)
    texts = models.JSONField(_("Texte"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = _("Fragebogen-Version")
        verbose_name_plural = _("Fragebogen-Versionen")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def language_codes(self) -> list[str]:
        return [language["code"] for language in self.languages]


class Question(models.Model):
    """One question of a version; its ``key`` stays the same across versions."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Zustimmung (1–5)")
        CHOICE = "choice", _("Einfachauswahl")
        TEXT = "text", _("Freitext")

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(_("Kürzel"), max_length=40)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    labels = models.JSONField(_("Fragetext"), default=dict)
    # For single choice: [{"key": "...", "labels": {language code: text}}].
    options = models.JSONField(_("Antwortmöglichkeiten"), default=list, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_unique_key"),
        ]

    def __str__(self) -> str:
        return self.labels.get(SOURCE_LANGUAGE, self.key)

    @property
    def option_keys(self) -> list[str]:
        return [option["key"] for option in self.options]


class FormatQuestionnaire(models.Model):
    """The questionnaire a format's activities use unless an activity overrides it."""

    format = models.OneToOneField(
        Format, on_delete=models.CASCADE, primary_key=True, related_name="feedback_default"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="format_defaults"
    )

    class Meta:
        verbose_name = _("Fragebogen eines Formats")
        verbose_name_plural = _("Fragebögen der Formate")

    def __str__(self) -> str:
        return f"{self.format}: {self.questionnaire}"


class FeedbackLink(models.Model):
    """The short link (and QR code) of one activity, with optional per-activity overrides."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="feedback_link"
    )
    code = models.CharField(_("Code"), max_length=16, unique=True)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Fragebogen (statt dem des Formats)"),
    )
    closes_on = models.DateField(_("Rückmeldung möglich bis"), null=True, blank=True)
    max_responses = models.PositiveIntegerField(
        _("Höchstzahl an Rückmeldungen"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("Rückmelde-Link")
        verbose_name_plural = _("Rückmelde-Links")

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    """One anonymous submission. Deliberately without time of day, address or browser."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="feedback_responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    submitted_on = models.DateField(_("Tag"))

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        indexes = [
            models.Index(fields=["activity", "version"], name="response_activity"),
            models.Index(fields=["agreement", "submitted_on"], name="response_agreement_day"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.submitted_on}"


class Answer(models.Model):
    """The answer to one question: a scale point, an option key or a free text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="answer_scale_1_to_5",
            ),
            models.CheckConstraint(
                condition=(
                    Q(scale__isnull=False, choice="", text="")
                    | (Q(scale__isnull=True, text="") & ~Q(choice=""))
                    | (Q(scale__isnull=True, choice="") & ~Q(text=""))
                ),
                name="answer_exactly_one_value",
            ),
        ]
        indexes = [models.Index(fields=["question", "scale"], name="answer_question_scale")]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.scale or self.choice or '…'}"
