"""An integration agreement held as structured data, from its paragraphs to its indicators."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buendnis.accounts.models import Organisation


class Agreement(models.Model):
    """An agreement between partner organisations and a ministry (the § structure's root)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        ACTIVE = "active", _("Aktiv")
        ENDED = "ended", _("Beendet")

    slug = models.SlugField(_("Kurzbezeichnung"), max_length=80, unique=True)
    title = models.CharField(_("Titel"), max_length=300)
    subtitle = models.CharField(_("Untertitel"), max_length=300, blank=True)
    topic = models.CharField(_("Thema"), max_length=300, blank=True)
    place = models.CharField(_("Ort"), max_length=120, blank=True)
    signed_on = models.DateField(_("Unterzeichnet am"), null=True, blank=True)
    presented_on = models.DateField(_("Vorgestellt am"), null=True, blank=True)
    in_force_on_override = models.DateField(
        _("In Kraft seit (abweichend)"),
        null=True,
        blank=True,
        help_text=_(
            "Nur angeben, wenn die Vereinbarung nicht am Tag nach der Unterzeichnung "
            "in Kraft getreten ist."
        ),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    note = models.TextField(_("Hinweis"), blank=True)
    # optimistic locking of the results framework (goals, indicators, targets and the
    # proposal under way): every change of it moves this on (core.locking)
    framework_revision = models.PositiveIntegerField(default=1)
    organisations = models.ManyToManyField(
        Organisation, through="AgreementPartner", related_name="agreements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Vereinbarung")
        verbose_name_plural = _("Vereinbarungen")

    def __str__(self) -> str:
        return self.title

    @property
    def in_force_on(self) -> datetime.date | None:
        """§ 9: in force the day after signing, unless a date was set explicitly."""
        if self.in_force_on_override:
            return self.in_force_on_override
        if self.signed_on:
            return self.signed_on + datetime.timedelta(days=1)
        return None


class AgreementPartner(models.Model):
    """An organisation's part in an agreement."""

    class Role(models.TextChoices):
        PARTNER = "partner", _("Bündnispartner")
        MINISTRY = "ministry", _("Ministerium")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreement_roles"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreement_partner_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Signatory(models.Model):
    """A person who signed the agreement for an organisation."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("Name"), max_length=200)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "position"]
        verbose_name = _("Unterzeichner*in")
        verbose_name_plural = _("Unterzeichnende")

    def __str__(self) -> str:
        return self.name


class Paragraph(models.Model):
    """One § of the agreement text."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveSmallIntegerField(_("§"))
    # The letter of a sub-paragraph („§ 3a“ is number 3, suffix "a"); it sorts after § 3.
    suffix = models.CharField(_("Buchstabe"), max_length=2, blank=True, default="")
    heading = models.CharField(_("Überschrift"), max_length=300)
    body = models.TextField(_("Text"))

    class Meta:
        ordering = ["agreement", "number", "suffix"]
        verbose_name = _("Paragraf")
        verbose_name_plural = _("Paragrafen")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number", "suffix"], name="paragraph_unique_label"
            ),
            models.CheckConstraint(
                condition=Q(suffix="") | Q(suffix__regex=r"^[a-z]{1,2}$"),
                name="paragraph_suffix_letters",
            ),
        ]

    def __str__(self) -> str:
        return f"§ {self.label} {self.heading}"

    @property
    def label(self) -> str:
        """The § number as written: "3" or "3a"."""
        return f"{self.number}{self.suffix}"


class Goal(models.Model):
    """A goal of the results framework, derived from the agreement's paragraphs."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("Kürzel"), max_length=20)
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    paragraphs = models.ManyToManyField(Paragraph, blank=True, related_name="goals")

    class Meta:
        ordering = ["agreement", "code"]
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="goal_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Commitment(models.Model):
    """What one partner promised, and from which §."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commitments"
    )
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.SET_NULL, null=True, blank=True, related_name="commitments"
    )
    text = models.TextField(_("Zusage"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "organisation", "position"]
        verbose_name = _("Zusage")
        verbose_name_plural = _("Zusagen")

    def __str__(self) -> str:
        return self.text


def year_target(targets: Mapping[int, Decimal], year: int) -> Decimal | None:
    """A year's own target, else that of the latest earlier year with one; None before."""
    earlier = [y for y in targets if y <= year]
    return Decimal(targets[max(earlier)]) if earlier else None


class Indicator(models.Model):
    """A measurable sign of progress with a declared way its actual value is computed.

    ``source`` names where the actual comes from and ``filter`` narrows it (a ``metric``
    plus optional keys); the indicator engine of the evaluation implements the sources.
    Indicators without a goal measure the agreement's own duties (§ 7, § 8).
    """

    class Source(models.TextChoices):
        ACTIVITIES = "activities", _("Aktivitäten")
        REACH = "reach", _("Reichweite")
        COUNSELLING = "counselling", _("Beratung")
        FEEDBACK = "feedback", _("Rückmeldungen")
        NETWORK = "network", _("Vernetzung")
        TIMELINESS = "timeliness", _("Zeitnahe Dokumentation (§ 7)")
        EVALUATION = "evaluation", _("Jährliche Auswertung (§ 8)")
        MANUAL = "manual", _("Manuell erfasst")

    class Level(models.IntegerChoices):
        """The seven steps of the Wirkungstreppe (PHINEO)."""

        ACTIVITIES = 1, _("1 – Aktivitäten finden wie geplant statt")
        REACHED = 2, _("2 – Zielgruppen werden erreicht")
        ACCEPTED = 3, _("3 – Zielgruppen akzeptieren die Angebote")
        AWARENESS = 4, _("4 – Zielgruppen verändern Bewusstsein bzw. Fähigkeiten")
        ACTION = 5, _("5 – Zielgruppen ändern ihr Handeln")
        SITUATION = 6, _("6 – Lebenslage der Zielgruppen ändert sich")
        SOCIETY = 7, _("7 – Gesellschaft verändert sich")

    class Direction(models.TextChoices):
        """Which way is progress: more (activities, reach) or less (days until documented)."""

        HIGHER = "higher", _("Mehr ist besser")
        LOWER = "lower", _("Weniger ist besser")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    code = models.CharField(_("Kürzel"), max_length=20)
    name = models.CharField(_("Name"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    unit = models.CharField(_("Einheit"), max_length=40)
    level = models.PositiveSmallIntegerField(_("Stufe der Wirkungstreppe"), choices=Level.choices)
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    source = models.CharField(_("Quelle"), max_length=20, choices=Source.choices)
    filter = models.JSONField(_("Filter"), default=dict, blank=True)

    class Meta:
        ordering = ["agreement", "code"]
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=7), name="indicator_level_1_to_7"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def target_by_year(self) -> dict[int, Decimal]:
        """The yearly targets as {year: value} (uses prefetched ``targets`` when present)."""
        return {t.year: t.value for t in self.targets.all()}

    def target_in(self, year: int) -> Decimal | None:
        """The target that holds for a calendar year (see ``year_target``)."""
        return year_target(self.target_by_year(), year)

    def clean(self) -> None:
        if not isinstance(self.filter, dict):
            raise ValidationError({"filter": _("Der Filter muss ein Objekt sein.")})
        if self.source != self.Source.MANUAL and "metric" not in self.filter:
            raise ValidationError({"filter": _("Der Filter muss eine Kennzahl („metric“) nennen.")})
        if self.goal_id and self.goal.agreement_id != self.agreement_id:
            raise ValidationError({"goal": _("Das Ziel gehört zu einer anderen Vereinbarung.")})


class IndicatorTarget(models.Model):
    """The target of an indicator for one calendar year.

    A target holds for its year and every later year that has none of its own; years
    before the first target have no target (see ``evaluation.engine.target_for``).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    value = models.DecimalField(_("Zielwert"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("Jahresziel")
        verbose_name_plural = _("Jahresziele")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="indicator_target_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="indicator_target_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class FrameworkVersion(models.Model):
    """A version of the results framework (goals, indicators, targets), proposed and agreed.

    ``content`` holds the whole framework as JSON (see ``agreements.framework``). A draft is
    edited by a coordinator, then proposed; once every partner has agreed, the content is
    written to ``Goal``, ``Indicator`` and ``IndicatorTarget`` and becomes effective.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PROPOSED = "proposed", _("Zur Zustimmung vorgelegt")
        AGREED = "agreed", _("Vereinbart")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="framework_versions"
    )
    version = models.PositiveIntegerField(_("Version"))
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    content = models.JSONField(_("Inhalt"), default=dict)
    # What the version changed against the framework in effect when it was proposed.
    changes = models.JSONField(_("Änderungen"), default=list, blank=True)
    reason = models.TextField(_("Begründung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed_on = models.DateField(_("Vereinbart am"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "-version"]
        verbose_name = _("Version des Wirkungsrahmens")
        verbose_name_plural = _("Versionen des Wirkungsrahmens")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version"], name="framework_version_unique"
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status__in=["draft", "proposed"]),
                name="framework_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} – Wirkungsrahmen {self.version}"


class FrameworkApproval(models.Model):
    """One partner's agreement to a proposed version of the results framework."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="approvals"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField(_("Zugestimmt am"))
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["version", "agreed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="framework_approval_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.agreed_on:%Y-%m-%d}"


class DocumentationProcedure(models.Model):
    """§ 7: the agreed procedure for documenting activities promptly; one row per version."""

    class Field(models.TextChoices):
        """What the procedure can require of each activity record (the activity form's parts)."""

        TITLE = "title", _("Titel")
        FORMAT = "format", _("Format")
        START = "start", _("Beginn")
        END = "end", _("Ende")
        LOCATION = "location", _("Ort (Kreis)")
        LANGUAGES = "languages", _("Sprachen")
        GOALS = "goals", _("Ziele")
        REACH = "reach", _("Reichweite (Teilnehmende nach Kategorien)")
        STAFF_HOURS = "staff_hours", _("Arbeitsstunden")
        DESCRIPTION = "description", _("Beschreibung")
        REFLECTION = "reflection", _("Reflexion")
        NETWORK_PARTNERS = "network_partners", _("Netzwerkpartner")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="procedures")
    version = models.PositiveIntegerField(_("Version"))
    deadline_days = models.PositiveSmallIntegerField(_("Frist in Tagen nach der Aktivität"))
    required_fields = models.JSONField(_("Pflichtangaben"), default=list)
    categories = models.JSONField(
        _("Kategorien der Reichweite"),
        default=list,
        blank=True,
        help_text=_("Die Kategorien, in denen Teilnehmende gezählt werden („dimension:key“)."),
    )
    note = models.TextField(_("Anmerkung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["agreement", "-version"]
        verbose_name = _("Dokumentationsverfahren")
        verbose_name_plural = _("Dokumentationsverfahren")
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version"], name="procedure_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(deadline_days__gte=1), name="procedure_deadline_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} – Version {self.version}"

    def required_field_labels(self) -> list[str]:
        """The required fields with their labels (an unknown key is shown as it is)."""
        labels = dict(self.Field.choices)
        return [str(labels.get(key, key)) for key in self.required_fields]


class ProcedureApproval(models.Model):
    """One partner's agreement to one version of the documentation procedure."""

    procedure = models.ForeignKey(
        DocumentationProcedure, on_delete=models.CASCADE, related_name="approvals"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField(_("Zugestimmt am"))
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["procedure", "agreed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "organisation"], name="procedure_approval_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.agreed_on:%Y-%m-%d}"


class AgreementTextVersion(models.Model):
    """A correction of an agreement in force: the text before it, the reason, who and when."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="text_versions")
    number = models.PositiveIntegerField(_("Änderung Nr."))
    reason = models.TextField(_("Grund der Änderung"))
    previous = models.JSONField(_("Fassung vor der Änderung"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["agreement", "-number"]
        verbose_name = _("Änderung des Vereinbarungstextes")
        verbose_name_plural = _("Änderungen des Vereinbarungstextes")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_text_version_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="agreement_text_version_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} – {self.number}"
