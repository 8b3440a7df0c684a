"""GDPR Art. 30: the record of processing activities, as data checked against the models.

Every field of every model of the project's apps (and of the third-party models that hold
personal data: sessions, login throttling, authenticator apps) is classified here into one
data category; each model belongs to one processing activity and has one retention rule.
``core/tests/test_processing_record.py`` walks the models and fails on any field that is not
classified (or classified but gone), so a new field needs a decision before it is merged.
``buendnis processing-record`` writes the tables of ``docs/privacy.md`` from this module;
the same test fails when the document is out of date.

Models are named by their label only: this module imports no app.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Processing:
    """One processing activity (one entry of the Art. 30 record)."""

    name: str
    purpose: str
    legal_basis: str
    data_subjects: str
    recipients: str


@dataclass(frozen=True)
class Category:
    """A category of data; ``personal`` says whether it relates to identifiable people."""

    name: str
    personal: bool
    special: bool = False  # may reveal GDPR Art. 9 data (origin, religion) in small cells


@dataclass(frozen=True)
class Stored:
    """A model: its processing activity, its retention rule and its fields by category."""

    processing: str
    retention: str
    fields: dict[str, str]  # category → space-separated field names


CONTROLLER = (
    "Each partner organisation and the ministry are controllers for the records they enter; "
    "the operator of the installation processes on their behalf (Art. 28) unless it is one "
    "of them. The legal bases below are the developers' proposal; each controller's data "
    "protection officer confirms them."
)

PROCESSING: dict[str, Processing] = {
    "accounts": Processing(
        name="User accounts and access control",
        purpose="Sign-in, roles per organisation, who may see and change what (Art. 32 "
        "security of processing: throttling, second factor, sessions)",
        legal_basis="Art. 6(1)(b), (c), (e) GDPR; employment context (Art. 88 GDPR)",
        data_subjects="Staff of partner organisations, ministry officers, installation admins",
        recipients="The person themself; coordinators and ministry officers for the people "
        "they manage; the installation admin",
    ),
    "agreements": Processing(
        name="Integration agreements (§§ 1–9)",
        purpose="Hold the agreements' text, partners, signatories, goals, indicators and the "
        "§ 7 documentation procedure",
        legal_basis="Art. 6(1)(e) GDPR, § 14 IntTG (Hessen)",
        data_subjects="Signatories (name and function, as printed in the signed agreement); "
        "staff who proposed or agreed versions",
        recipients="The parties to the agreement; the installation admin",
    ),
    "activities": Processing(
        name="Documentation of activities (§§ 4, 5, 7)",
        purpose="Document activities promptly with their reach as counts; compare formats; "
        "remind of overdue documentation",
        legal_basis="Art. 6(1)(e) GDPR, § 14 IntTG; Art. 9(2)(g) for reach by migration "
        "history (counts only, protected outside the organisation)",
        data_subjects="Staff (responsible, reviewer); participants only as counts",
        recipients="The documenting organisation exactly; the ministry and other partners "
        "as protected aggregates (docs/privacy.md); the public for offers marked public",
    ),
    "counselling": Processing(
        name="Anonymous counselling log (§ 5)",
        purpose="Show how much counselling happens on which topics, never who was counselled",
        legal_basis="Art. 6(1)(e) GDPR; Art. 9(2)(g) for topics that may touch origin or "
        "residence (no identifiers stored, small counts protected)",
        data_subjects="Counsellors; counselling clients only as anonymous contacts",
        recipients="The counselling organisation; others only protected statistics",
    ),
    "feedback": Processing(
        name="Anonymous feedback of participants (§§ 3, 5, 8)",
        purpose="Learn whether activities reach their goals from the participants' view",
        legal_basis="Art. 6(1)(a) GDPR (voluntary, anonymous answers) and (e)",
        data_subjects="Participants (anonymous: no account, no cookie, no address stored)",
        recipients="Free text: only the organisation that ran the activity; figures: "
        "protected outside it",
    ),
    "evaluation": Processing(
        name="Annual evaluation (§ 8)",
        purpose="Reflect on progress with the ministry, agree adjustments, lock the period",
        legal_basis="Art. 6(1)(e) GDPR, § 14 IntTG",
        data_subjects="Staff and ministry officers who reflect, comment, agree or reopen; "
        "people named as responsible for an adjustment",
        recipients="The parties to the agreement; the ministry's files (PDF)",
    ),
    "offers": Processing(
        name="Public offers (issue 18)",
        purpose="Invite the public to activities in their languages",
        legal_basis="Art. 6(1)(e) GDPR; the organisation's public contact by its choice",
        data_subjects="None beyond the organisation's public contact details",
        recipients="Everyone (public pages, calendar feeds)",
    ),
    "opendata": Processing(
        name="Open data (§ 6)",
        purpose="Publish an agreement's protected yearly aggregates as a data package, "
        "when the ministry decides so",
        legal_basis="Art. 6(1)(e) GDPR; the published tables hold no personal data",
        data_subjects="Ministry officers who switch a publication on or off",
        recipients="Everyone (the published package); the decisions: the ministry and the "
        "installation admin",
    ),
    "operations": Processing(
        name="Running the installation",
        purpose="Background tasks, daily schedules, health checks",
        legal_basis="Art. 6(1)(e) GDPR, Art. 32",
        data_subjects="Staff whose requests start a task (by account id only)",
        recipients="The installation admin",
    ),
}

CATEGORIES: dict[str, Category] = {
    "identity": Category("Name, user name, e-mail address of account holders", personal=True),
    "account": Category("Roles, memberships, account state and dates", personal=True),
    "credentials": Category(
        "Password hash, token hashes, authenticator keys, recovery-code digests, session "
        "keys and data",
        personal=True,
    ),
    "usage": Category(
        "Sign-in and session metadata: times, coarse device, failed sign-ins (pseudonymised "
        "address)",
        personal=True,
    ),
    "actor": Category("Who did something, and when (reference to an account)", personal=True),
    "named_person": Category(
        "Names typed by staff: signatories, meeting participants, responsible person",
        personal=True,
    ),
    "work_text": Category(
        "Free text by staff about their work (reflections, comments, reasons, descriptions)",
        personal=True,
    ),
    "counselling": Category(
        "Counselling contact: date, channel, who sought advice, kind, topics, languages, duration",
        personal=True,
        special=True,
    ),
    "counselling_note": Category(
        "Counselling note (refused when it holds identifiers)", personal=True, special=True
    ),
    "reach": Category(
        "Participant counts per category (migration history, sector)",
        personal=False,
        special=True,
    ),
    "feedback": Category("Anonymous answers (scale, choice)", personal=False),
    "feedback_text": Category(
        "Participants' free text (identifiers masked before storing)", personal=True
    ),
    "contact": Category("Public contact details of an organisation", personal=False),
    "content": Category(
        "Domain content without people: agreement text, goals, formats, places, figures",
        personal=False,
    ),
    "technical": Category("Keys, states, versions, timestamps, counters", personal=False),
}

RETENTION: dict[str, str] = {
    "account": "While the person works with Bündnis; on departure deactivated and "
    "pseudonymised („ehemalige Fachkraft #N“), never deleted, so records stay attributable",
    "credentials": "Until replaced, revoked or the account is pseudonymised (then deleted)",
    "session": "Until sign-out, `BUENDNIS_SESSION_IDLE_MINUTES` idle or "
    "`BUENDNIS_SESSION_MAX_HOURS`; expired sessions are deleted daily",
    "throttle": "Until the next successful sign-in of the user name, an admin's unlock or "
    "pseudonymisation",
    "agreement": "For the agreement's lifetime and the funding body's retention of evidence; "
    "no automatic deletion",
    "counselling": "`BUENDNIS_COUNSELLING_RETENTION_MONTHS` (36) months, whole months, "
    "deleted by the daily schedule",
    "feedback": "Answers as long as the agreement; free text "
    "`BUENDNIS_FEEDBACK_FREE_TEXT_RETENTION_DAYS` (730) days, deleted daily",
    "report": "Generated files `BUENDNIS_REPORT_JOBS_KEEP_HOURS` (24) hours, deleted daily",
    "operations": "Task records `BUENDNIS_TASKS_KEEP_DAYS` (14) days; one row per schedule "
    "and worker, overwritten; one change counter per agreement and table, overwritten",
    "public": "Until the organisation changes or withdraws it",
    "audit": "For the installation's lifetime: append-only, never changed or deleted; a "
    "pseudonymised person's entries show the pseudonym (docs/audit.md)",
}


def _m(processing: str, retention: str, **fields: str) -> Stored:
    return Stored(processing=processing, retention=retention, fields=fields)


MODELS: dict[str, Stored] = {
    # --- accounts ---------------------------------------------------------------------
    "accounts.Organisation": _m(
        "accounts", "agreement", content="name short_name kind sector aliases"
    ),
    "accounts.User": _m(
        "accounts",
        "account",
        identity="username first_name last_name email",
        account="is_superuser is_staff is_active date_joined groups user_permissions",
        usage="last_login",
        credentials="password",
    ),
    "accounts.Membership": _m(
        "accounts", "account", account="user organisation role", technical="created_at"
    ),
    "accounts.Invitation": _m(
        "accounts",
        "account",
        identity="email",
        account="organisation role accepted_user",
        actor="invited_by",
        credentials="token_hash",
        technical="created_at expires_at accepted_at revoked_at",
    ),
    "accounts.Pseudonymisation": _m(
        "accounts",
        "account",
        account="user role",
        actor="pseudonymised_by",
        technical="pseudonymised_at",
    ),
    "security.RecoveryCode": _m(
        "accounts",
        "credentials",
        account="user",
        credentials="salt digest",
        technical="created_at used_at",
    ),
    "security.UserSession": _m(
        "accounts",
        "session",
        account="user",
        credentials="session_key",
        usage="device created_at last_seen_at",
    ),
    "api.ApiToken": _m(
        "accounts",
        "credentials",
        account="user name scope",
        credentials="prefix key_hash",
        usage="created_at last_used_at",
        technical="revoked_at",
    ),
    "audit.AuditEntry": _m(
        "accounts",
        "audit",
        actor="actor at",
        work_text="object_label changes",
        technical="sequence organisation agreement action object_type object_id request_id "
        "previous_hash hash",
    ),
    "audit.ChainHead": _m("accounts", "audit", technical="id sequence hash"),
    "sessions.Session": _m(
        "accounts", "session", credentials="session_key session_data", technical="expire_date"
    ),
    "axes.AccessAttempt": _m(
        "accounts",
        "throttle",
        identity="username",
        usage="ip_address user_agent http_accept path_info attempt_time get_data post_data "
        "failures_since_start",
    ),
    "otp_totp.TOTPDevice": _m(
        "accounts",
        "credentials",
        account="user name confirmed",
        credentials="key step t0 digits tolerance drift last_t",
        usage="throttling_failure_timestamp throttling_failure_count created_at last_used_at",
    ),
    # --- agreements -------------------------------------------------------------------
    "agreements.Agreement": _m(
        "agreements",
        "agreement",
        content="slug title subtitle topic place signed_on presented_on in_force_on_override note "
        "organisations",
        technical="status created_at framework_revision",
    ),
    "agreements.AgreementPartner": _m(
        "agreements", "agreement", content="agreement organisation role position"
    ),
    "agreements.Signatory": _m(
        "agreements",
        "agreement",
        named_person="name function",
        content="agreement organisation position",
    ),
    "agreements.Paragraph": _m(
        "agreements", "agreement", content="agreement number suffix heading body"
    ),
    "agreements.Goal": _m(
        "agreements", "agreement", content="agreement code title description paragraphs"
    ),
    "agreements.Commitment": _m(
        "agreements", "agreement", content="agreement organisation paragraph text position"
    ),
    "agreements.Indicator": _m(
        "agreements",
        "agreement",
        content="agreement goal code name description unit level direction source filter",
    ),
    "agreements.IndicatorTarget": _m("agreements", "agreement", content="indicator year value"),
    "agreements.FrameworkVersion": _m(
        "agreements",
        "agreement",
        content="agreement version content changes",
        work_text="reason",
        actor="created_by created_at proposed_at agreed_on",
        technical="status",
    ),
    "agreements.FrameworkApproval": _m(
        "agreements", "agreement", content="version organisation", actor="agreed_on agreed_by"
    ),
    "agreements.DocumentationProcedure": _m(
        "agreements",
        "agreement",
        content="agreement version deadline_days required_fields categories",
        work_text="note",
        actor="created_at created_by",
    ),
    "agreements.ProcedureApproval": _m(
        "agreements", "agreement", content="procedure organisation", actor="agreed_on agreed_by"
    ),
    "agreements.AgreementTextVersion": _m(
        "agreements",
        "agreement",
        content="agreement number previous",
        work_text="reason",
        actor="created_at created_by",
    ),
    # --- activities -------------------------------------------------------------------
    "activities.Kreis": _m("activities", "agreement", content="ags name kind regierungsbezirk"),
    "activities.Format": _m(
        "activities",
        "agreement",
        content="agreement key name description",
        technical="status status_since version",
    ),
    "activities.FormatStatusChange": _m(
        "activities", "agreement", content="format status changed_on", actor="changed_by"
    ),
    "activities.ReachCategory": _m(
        "activities",
        "agreement",
        content="agreement dimension key label position has_sectors",
    ),
    "activities.NetworkPartner": _m(
        "activities", "agreement", content="organisation name sector kreis"
    ),
    "activities.Series": _m("activities", "agreement", content="agreement organisation title"),
    "activities.Activity": _m(
        "activities",
        "agreement",
        content="agreement organisation format series title starts_at ends_at online kreis "
        "place_name languages staff_hours goals network_partners external_ref",
        work_text="description reflection",
        reach="participants first_timers",
        actor="responsible reviewed_by reviewed_at documented_at",
        technical="status version created_at updated_at",
    ),
    "activities.ReachCount": _m("activities", "agreement", reach="activity category count"),
    "activities.ActivityReminder": _m(
        "activities", "agreement", actor="recipient", technical="activity sent_at"
    ),
    # --- counselling ------------------------------------------------------------------
    "counselling.Topic": _m("counselling", "agreement", content="agreement name position active"),
    "counselling.Contact": _m(
        "counselling",
        "counselling",
        content="agreement organisation",
        actor="counsellor",
        counselling="date channel sought_by kind topics languages duration_minutes "
        "first_contact referral",
        counselling_note="note",
        technical="created_at updated_at version",
    ),
    # --- feedback ---------------------------------------------------------------------
    "feedback.Questionnaire": _m(
        "feedback", "agreement", content="agreement key name description", technical="version"
    ),
    "feedback.QuestionnaireVersion": _m(
        "feedback",
        "agreement",
        content="questionnaire number languages texts",
        actor="created_at created_by",
    ),
    "feedback.Question": _m(
        "feedback", "agreement", content="version key kind position labels options"
    ),
    "feedback.FormatQuestionnaire": _m("feedback", "agreement", content="format questionnaire"),
    "feedback.FeedbackLink": _m(
        "feedback",
        "agreement",
        content="activity questionnaire closes_on max_responses",
        technical="code",
    ),
    "feedback.Response": _m(
        "feedback", "feedback", feedback="agreement activity version submitted_on"
    ),
    "feedback.Answer": _m(
        "feedback", "feedback", feedback="response question scale choice", feedback_text="text"
    ),
    # --- evaluation -------------------------------------------------------------------
    "evaluation.Evaluation": _m(
        "evaluation",
        "agreement",
        content="agreement period_kind starts_on ends_on snapshot meeting_on",
        named_person="meeting_participants",
        actor="created_at created_by frozen_at agreed_on",
        technical="status meeting_version",
    ),
    "evaluation.EvaluationEvent": _m(
        "evaluation",
        "agreement",
        content="evaluation kind organisation",
        work_text="comment",
        actor="by at",
    ),
    "evaluation.Approval": _m(
        "evaluation", "agreement", content="evaluation organisation", actor="by at"
    ),
    "evaluation.GoalReflection": _m(
        "evaluation",
        "agreement",
        content="evaluation goal",
        work_text="worked not_worked reasons ministry_comment",
        actor="updated_at updated_by",
        technical="version comment_version",
    ),
    "evaluation.Adjustment": _m(
        "evaluation",
        "agreement",
        content="evaluation goal what responsible due_on",
        named_person="responsible_person",
        work_text="outcome",
        technical="status created_at updated_at version",
    ),
    "evaluation.ManualValue": _m(
        "evaluation",
        "agreement",
        content="indicator starts_on ends_on value",
        work_text="source_note",
        actor="entered_by entered_at",
    ),
    "evaluation.Reopening": _m(
        "evaluation",
        "agreement",
        content="evaluation",
        work_text="reason",
        actor="opened_by opened_at closed_by closed_at",
    ),
    "evaluation.ReportJob": _m(
        "evaluation",
        "report",
        content="agreement evaluation starts_on ends_on period_kind format copy content filename",
        actor="requested_by created_at",
        technical="id status done total step error finished_at task_id attempts",
    ),
    "evaluation.EvaluationReminder": _m(
        "evaluation",
        "agreement",
        actor="recipient",
        technical="agreement adjustment sent_at",
    ),
    # --- public offers ----------------------------------------------------------------
    "offers.PublicContact": _m("offers", "public", contact="organisation email phone website"),
    "offers.Offer": _m(
        "offers",
        "public",
        content="activity public invitation translations address online_link accessibility "
        "registration registration_note",
        technical="revision published_at updated_at",
    ),
    # --- open data --------------------------------------------------------------------
    "opendata.Decision": _m(
        "opendata",
        "agreement",
        content="agreement year published",
        actor="decided_by decided_at",
    ),
    # --- operations -------------------------------------------------------------------
    "operations.WorkerHeartbeat": _m(
        "operations", "operations", technical="worker_id hostname pid started_at seen_at"
    ),
    "operations.ScheduleRun": _m("operations", "operations", technical="name ran_on ran_at"),
    "operations.ChangeStamp": _m(
        "operations", "operations", technical="source agreement_id month changes changed_at"
    ),
}

# Third-party models walked with the project's own, because they hold personal data.
THIRD_PARTY_MODELS = ("sessions.Session", "axes.AccessAttempt", "otp_totp.TOTPDevice")


def classified_fields(label: str) -> dict[str, str]:
    """Field name → category for one model of the table."""
    return {
        name: category for category, names in MODELS[label].fields.items() for name in names.split()
    }
