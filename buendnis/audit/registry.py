"""Which models are audited, where their organisation and agreement are, what stays hidden.

Hidden fields are recorded by name only ("changed"): counselling notes (free text about
people) and large machine-written documents (an evaluation's frozen figures, a framework
version's content — its ``changes`` list says what changed). Excluded fields are never
recorded: password, token and key hashes, and bookkeeping timestamps.

Not audited: feedback responses and answers (participants are never actors, their free
text must not be copied, and an anonymous form must not queue behind the chain's lock),
reminders, report jobs, sessions and worker heartbeats (machine bookkeeping), and the second
factor's devices and recovery codes (secrets; enrolment and reset are recorded as events).
"""

from django.apps import apps

from buendnis.audit.recording import Spec, register

_EVALUATION = "evaluation.agreement_id"

SPECS: dict[str, Spec] = {
    # accounts
    "accounts.Organisation": Spec("organisation", organisation="pk", label="name"),
    "accounts.User": Spec(
        "user",
        label="username",
        excluded=frozenset({"password", "last_login"}),
    ),
    "accounts.Membership": Spec("membership", organisation="organisation_id", label="role"),
    "accounts.Invitation": Spec(
        "invitation",
        organisation="organisation_id",
        label="email",
        excluded=frozenset({"token_hash"}),
    ),
    "api.ApiToken": Spec(
        "api_token", label="name", excluded=frozenset({"key_hash", "last_used_at"})
    ),
    # agreements (§§ 1–9, procedure, results framework)
    "agreements.Agreement": Spec("agreement", agreement="pk", label="title"),
    "agreements.AgreementPartner": Spec(
        "agreement_partner", organisation="organisation_id", agreement="agreement_id", label="role"
    ),
    "agreements.Paragraph": Spec(
        "paragraph", agreement="agreement_id", label=lambda p: f"§ {p.number}{p.suffix} {p.heading}"
    ),
    "agreements.Signatory": Spec("signatory", agreement="agreement_id", label="name"),
    "agreements.AgreementTextVersion": Spec(
        "agreement_text_version",
        agreement="agreement_id",
        label="number",
        hidden=frozenset({"previous"}),
    ),
    "agreements.Goal": Spec("goal", agreement="agreement_id", label="code", m2m=("paragraphs",)),
    "agreements.Commitment": Spec(
        "commitment", organisation="organisation_id", agreement="agreement_id", label="pk"
    ),
    "agreements.Indicator": Spec("indicator", agreement="agreement_id", label="code"),
    "agreements.IndicatorTarget": Spec(
        "indicator_target", agreement="indicator.agreement_id", label="year"
    ),
    "agreements.DocumentationProcedure": Spec(
        "procedure", agreement="agreement_id", label="version"
    ),
    "agreements.ProcedureApproval": Spec(
        "procedure_approval",
        organisation="organisation_id",
        agreement="procedure.agreement_id",
        label="agreed_on",
    ),
    "agreements.FrameworkVersion": Spec(
        "framework_version",
        agreement="agreement_id",
        label="version",
        hidden=frozenset({"content"}),
    ),
    "agreements.FrameworkApproval": Spec(
        "framework_approval",
        organisation="organisation_id",
        agreement="version.agreement_id",
        label="agreed_on",
    ),
    # activities (§§ 4, 5, 7)
    "activities.Format": Spec("format", agreement="agreement_id", label="name"),
    "activities.FormatStatusChange": Spec(
        "format_status_change", agreement="format.agreement_id", label="status"
    ),
    "activities.Series": Spec(
        "series", organisation="organisation_id", agreement="agreement_id", label="title"
    ),
    "activities.Activity": Spec(
        "activity",
        organisation="organisation_id",
        agreement="agreement_id",
        label="title",
        excluded=frozenset({"version"}),
        m2m=("goals", "network_partners"),
    ),
    "activities.NetworkPartner": Spec(
        "network_partner", organisation="organisation_id", label="name"
    ),
    # counselling (§ 5): the note is free text about people, recorded without content
    "counselling.Topic": Spec("counselling_topic", agreement="agreement_id", label="name"),
    "counselling.Contact": Spec(
        "counselling_contact",
        organisation="organisation_id",
        agreement="agreement_id",
        label="date",
        hidden=frozenset({"note"}),
        m2m=("topics",),
    ),
    # feedback: questionnaires and links, never the anonymous responses
    "feedback.Questionnaire": Spec("questionnaire", agreement="agreement_id", label="name"),
    "feedback.QuestionnaireVersion": Spec(
        "questionnaire_version", agreement="questionnaire.agreement_id", label="number"
    ),
    "feedback.Question": Spec(
        "question", agreement="version.questionnaire.agreement_id", label="key"
    ),
    "feedback.FormatQuestionnaire": Spec(
        "format_questionnaire", agreement="format.agreement_id", label="questionnaire_id"
    ),
    "feedback.FeedbackLink": Spec(
        "feedback_link",
        organisation="activity.organisation_id",
        agreement="activity.agreement_id",
        label="code",
    ),
    # evaluation (§ 8)
    "evaluation.Evaluation": Spec(
        "evaluation",
        agreement="agreement_id",
        label=lambda e: f"{e.starts_on:%d.%m.%Y}–{e.ends_on:%d.%m.%Y}",
        hidden=frozenset({"snapshot"}),
    ),
    "evaluation.EvaluationEvent": Spec(
        "evaluation_event", organisation="organisation_id", agreement=_EVALUATION, label="kind"
    ),
    "evaluation.Approval": Spec(
        "evaluation_approval", organisation="organisation_id", agreement=_EVALUATION, label="at"
    ),
    "evaluation.GoalReflection": Spec(
        "reflection", agreement=_EVALUATION, label=lambda r: f"{r.goal_id}"
    ),
    "evaluation.Adjustment": Spec("adjustment", agreement=_EVALUATION, label="what"),
    "evaluation.ManualValue": Spec(
        "manual_value", agreement="indicator.agreement_id", label="value"
    ),
    "evaluation.Reopening": Spec("reopening", agreement=_EVALUATION, label="opened_at"),
    # open data: the ministry's decisions to publish
    "opendata.Decision": Spec("opendata_decision", agreement="agreement_id", label="year"),
    # public offers
    "offers.Offer": Spec(
        "offer",
        organisation="activity.organisation_id",
        agreement="activity.agreement_id",
        label="activity_id",
    ),
    "offers.PublicContact": Spec(
        "public_contact", organisation="organisation_id", label="organisation_id"
    ),
}

# The agreements' workflow: what the ministry sees of the entries of its agreements (§§ 7, 8
# and the results framework), not the partners' documentation.
WORKFLOW_TYPES = frozenset(
    {
        "agreement",
        "agreement_partner",
        "paragraph",
        "signatory",
        "agreement_text_version",
        "goal",
        "commitment",
        "indicator",
        "indicator_target",
        "procedure",
        "procedure_approval",
        "framework_version",
        "framework_approval",
        "evaluation",
        "evaluation_event",
        "evaluation_approval",
        "reflection",
        "adjustment",
        "manual_value",
        "reopening",
        "opendata_decision",
    }
)


def register_all() -> None:
    """Register every audited model (from ``AppConfig.ready``)."""
    for label, spec in SPECS.items():
        register(apps.get_model(label), spec)
