"""The one permission policy: may this user do this action on this object?

Pages, the API and commands ask only here. Every view is wrapped in ``@requires(action)``,
which records the action on the view so a test can prove that no URL lacks a rule.
"""

from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from buendnis.accounts.models import Membership, User

Role = Membership.Role
AnyUser = User | AnonymousUser


class Action(StrEnum):
    """Everything a user can be allowed to do."""

    PUBLIC = "public"
    DASHBOARD_VIEW = "dashboard.view"
    AGREEMENT_LIST = "agreement.list"
    AGREEMENT_VIEW = "agreement.view"
    PROCEDURE_VIEW = "procedure.view"
    PROCEDURE_APPROVE = "procedure.approve"
    ACTIVITY_LIST = "activity.list"
    ACTIVITY_CREATE = "activity.create"
    ACTIVITY_EDIT = "activity.edit"
    ACTIVITY_REVIEW = "activity.review"
    ACTIVITY_EXPORT = "activity.export"
    ACTIVITY_IMPORT = "activity.import"
    FORMAT_EDIT = "format.edit"
    NETWORK_VIEW = "network.view"
    NETWORK_EDIT = "network.edit"
    COUNSELLING_LOG = "counselling.log"
    COUNSELLING_VIEW = "counselling.view"
    COUNSELLING_EDIT = "counselling.edit"
    COUNSELLING_TOPICS = "counselling.topics"
    COUNSELLING_STATISTICS = "counselling.statistics"
    FEEDBACK_MANAGE = "feedback.manage"
    FEEDBACK_RESULTS = "feedback.results"
    FEEDBACK_FREE_TEXT = "feedback.free_text"
    FEEDBACK_AGGREGATES = "feedback.aggregates"
    QUESTIONNAIRE_VIEW = "questionnaire.view"
    QUESTIONNAIRE_EDIT = "questionnaire.edit"
    EVALUATION_VIEW = "evaluation.view"
    EVALUATION_PREPARE = "evaluation.prepare"
    EVALUATION_WRITE = "evaluation.write"
    EVALUATION_COMMENT = "evaluation.comment"
    EVALUATION_RETURN = "evaluation.return"
    EVALUATION_APPROVE = "evaluation.approve"
    EVALUATION_REOPEN = "evaluation.reopen"
    REPORT_VIEW = "report.view"
    REPORT_INTERNAL = "report.internal"
    # Issue 14, results framework and § 7 procedure versions (agreements app):
    PROCEDURE_PROPOSE = "procedure.propose"
    FRAMEWORK_VIEW = "framework.view"
    FRAMEWORK_EDIT = "framework.edit"
    FRAMEWORK_APPROVE = "framework.approve"
    # Disclosure: who sees exact figures (every output asks this one question).
    EXACT_FIGURES = "figures.exact"
    # Organisations and people (issue 14)
    ACCOUNT_MANAGE = "account.manage"
    ORGANISATION_MANAGE = "organisation.manage"
    PEOPLE_LIST = "people.list"
    PEOPLE_MANAGE = "people.manage"
    ROLE_ASSIGN = "role.assign"
    # GDPR duties (issue 16): one's own account data; the object is the account's user.
    ACCOUNT_DATA_EXPORT = "account.data_export"
    # REST API (issue 15)
    INDICATOR_VALUES = "indicator.values"
    API_TOKEN_MANAGE = "api.token_manage"  # noqa: S105 (an action name, no secret)
    # Account security (accounts/security): one's own second factor and sessions; admins'
    # unlocking and second-factor reset.
    SECURITY_OWN = "security.own"
    SECURITY_MANAGE = "security.manage"
    # Public offers (issue 18)
    OFFER_PUBLISH = "offer.publish"
    OFFER_CONTACT = "offer.contact"
    # Agreement import and text corrections (issue 14, import)
    AGREEMENT_IMPORT = "agreement.import"
    AGREEMENT_EDIT = "agreement.edit"
    # The audit log (buendnis/audit): coordinators, ministry officers and admins read it.
    AUDIT_VIEW = "audit.view"
    # Open data (issue 15): publishing an agreement's protected yearly figures.
    OPENDATA_MANAGE = "opendata.manage"
    OPENDATA_PUBLISH = "opendata.publish"
    # § 6 portfolio (issue 15): ministry officers across the ministry's agreements,
    # coordinators across their organisation's.
    PORTFOLIO_VIEW = "portfolio.view"


def is_admin(user: AnyUser) -> bool:
    """Installation admins: superusers and holders of the admin role."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or _roles(user).get(Role.ADMIN, set()) != set()


def _roles(user: User) -> dict[str, set[int]]:
    """Map each role the user holds to the ids of its organisations (cached per user)."""
    cached = getattr(user, "_buendnis_roles", None)
    if cached is None:
        cached = {}
        for organisation_id, role in user.memberships.values_list("organisation_id", "role"):
            cached.setdefault(role, set()).add(organisation_id)
        user._buendnis_roles = cached  # type: ignore[union-attr]
    return cached


def organisation_ids(user: AnyUser, *roles: str) -> set[int]:
    """Ids of the organisations where the user holds any of the roles (all roles if none)."""
    if not user.is_authenticated:
        return set()
    held = _roles(user)
    wanted = roles or tuple(held)
    return set().union(*(held.get(role, set()) for role in wanted))


def _agreement_ids_of(user: User) -> QuerySet:
    from buendnis.agreements.models import AgreementPartner

    return AgreementPartner.objects.filter(organisation_id__in=organisation_ids(user)).values(
        "agreement_id"
    )


def visible_agreements(user: AnyUser) -> QuerySet:
    """The agreements the user may see: those their organisations are party to."""
    from buendnis.agreements.models import Agreement

    if not user.is_authenticated:
        return Agreement.objects.none()
    if is_admin(user):
        return Agreement.objects.all()
    known = getattr(user, "_buendnis_agreement_ids", None)  # read with the user, as a rule
    return Agreement.objects.filter(id__in=_agreement_ids_of(user) if known is None else known)


def visible_agreement_ids(user: AnyUser) -> list[int]:
    """Ids of the agreements the user's organisations are party to (cached per user).

    A literal list lets the database read an activity index in order, where a subquery
    makes it sort every row of the organisation first.
    """
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_buendnis_agreement_ids", None)
    if cached is None:
        cached = sorted(set(_agreement_ids_of(user).values_list("agreement_id", flat=True)))
        user._buendnis_agreement_ids = cached  # type: ignore[union-attr]
    return cached


def load_visible_agreements(
    user: AnyUser, annotate: Callable[[QuerySet], QuerySet] | None = None
) -> list:
    """Read the agreements the user may see; ``annotate`` may add columns, never filter.

    Their ids then answer ``visible_agreement_ids`` too: a page that lists the agreements
    anyway needs no second query for the ids.
    """
    agreements = visible_agreements(user)
    rows = list(annotate(agreements) if annotate else agreements)
    # An admin sees every agreement, but ``visible_agreement_ids`` are their partners' only.
    if user.is_authenticated and not is_admin(user):
        user._buendnis_agreement_ids = sorted(a.pk for a in rows)  # type: ignore[union-attr]
    return rows


# What ``remember_grants`` reads of a membership: a row per agreement its organisation is
# party to.
GRANT_FIELDS = (
    "organisation_id",
    "role",
    "organisation__agreement_roles__agreement_id",
    "organisation__agreement_roles__role",
)


def load_grants(user: User) -> None:
    """Read the user's roles and agreements in one query, for a caller that needs both.

    Fills the same per-user caches as ``_roles``, ``visible_agreement_ids`` and
    ``_own_partners``; an API request asks them all, and one round trip less is a tenth of a
    small page's database time.
    """
    remember_grants(user, user.memberships.values_list(*GRANT_FIELDS))


def remember_grants(user: User, grants: Iterable[tuple[int, str, int | None, str | None]]) -> None:
    """Keep the user's roles, agreements and partner roles from the rows of ``GRANT_FIELDS``.

    Each row is a membership's organisation and role with one agreement the organisation is
    party to and its role there (both ``None`` for an organisation party to none).
    """
    roles: dict[str, set[int]] = {}
    partners: dict[int, dict[int, str]] = {}
    for organisation_id, role, agreement_id, partner_role in grants:
        roles.setdefault(role, set()).add(organisation_id)
        if agreement_id is not None:
            partners.setdefault(agreement_id, {})[organisation_id] = partner_role
    user._buendnis_roles = roles  # type: ignore[attr-defined]
    user._buendnis_agreement_ids = sorted(partners)  # type: ignore[attr-defined]
    user._buendnis_every_partner = partners  # type: ignore[attr-defined]


def _own_partners(user: AnyUser, agreement: Any) -> dict[int, str]:
    """The user's organisations that are party to the agreement, with their partner role.

    Read once per user and agreement (a request's pages ask several rules about the same
    agreement), like the user's own roles, unless the grants were read with the user.
    """
    if agreement is None or not user.is_authenticated:
        return {}
    if agreement.pk is None:
        return {}
    every = getattr(user, "_buendnis_every_partner", None)
    if every is not None:
        return every.get(agreement.pk, {})
    cached = getattr(user, "_buendnis_partners", None)
    if cached is None:
        cached = user._buendnis_partners = {}  # type: ignore[union-attr]
    partners = cached.get(agreement.pk)
    if partners is None:
        partners = dict(
            agreement.partners.filter(organisation_id__in=organisation_ids(user))
            .order_by()
            .values_list("organisation_id", "role")
        )
        cached[agreement.pk] = partners
    return partners


def _is_party(user: AnyUser, agreement: Model | None) -> bool:
    if agreement is None or not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    return bool(_own_partners(user, agreement))


def _may_approve_procedure(user: AnyUser, procedure: Any) -> bool:
    """A coordinator or ministry officer of a partner organisation may approve for it."""
    if procedure is None or not user.is_authenticated:
        return False
    return _party_in_role(user, procedure.agreement, Role.KOORDINATION, Role.MINISTERIUM)


def _documents_for(user: AnyUser, agreement: Any) -> bool:
    """Staff and coordinators of a partner organisation document for their agreements."""
    own = organisation_ids(user, Role.FACHKRAFT, Role.KOORDINATION)
    if not own:
        return False
    if agreement is None:
        return True
    return not own.isdisjoint(_own_partners(user, agreement))


def _may_edit_activity(user: AnyUser, activity: Any) -> bool:
    """Only the documenting organisation's staff and coordinators edit its records."""
    if activity is None:
        return False
    return activity.organisation_id in organisation_ids(user, Role.FACHKRAFT, Role.KOORDINATION)


def _coordinates(user: AnyUser, activity: Any) -> bool:
    """Coordinators review and import for their own organisation."""
    own = organisation_ids(user, Role.KOORDINATION)
    if activity is None:
        return bool(own)
    return activity.organisation_id in own


def _coordinates_agreement(user: AnyUser, agreement: Any) -> bool:
    """Coordinators of a partner organisation manage their agreement's format catalogue."""
    return _party_in_role(user, agreement, Role.KOORDINATION)


def _sees_contact(user: AnyUser, contact: Any) -> bool:
    """Individual counselling records stay inside the counselling organisation."""
    if contact is None:
        return False
    return contact.organisation_id in organisation_ids(user, Role.FACHKRAFT, Role.KOORDINATION)


def _may_edit_contact(user: AnyUser, contact: Any) -> bool:
    """Coordinators correct their organisation's records; a Fachkraft only their own, briefly."""
    if contact is None:
        return False
    if contact.organisation_id in organisation_ids(user, Role.KOORDINATION):
        return True
    return (
        contact.organisation_id in organisation_ids(user, Role.FACHKRAFT)
        and contact.counsellor_id == user.pk
        and contact.editable_by_counsellor()
    )


def _ran_activity(user: AnyUser, activity: Any) -> bool:
    """An activity's feedback link, results and free text belong to the organisation that ran it."""
    if activity is None:
        return False
    return activity.organisation_id in organisation_ids(user, Role.FACHKRAFT, Role.KOORDINATION)


def _party_in_role(user: AnyUser, agreement: Any, *roles: str) -> bool:
    """Whether the user holds one of the roles in an organisation party to the agreement."""
    own = organisation_ids(user, *roles)
    if agreement is None or not own:
        return False
    return not own.isdisjoint(_own_partners(user, agreement))


def _speaks_for_partner(user: AnyUser, agreement: Any) -> bool:
    """§ 8: coordinators and ministry officers reflect, agree adjustments and confirm."""
    return _party_in_role(user, agreement, Role.KOORDINATION, Role.MINISTERIUM)


def _sees_exact_figures_of(user: AnyUser, organisation: Any) -> bool:
    """Exact figures of an organisation's records: only its own staff and coordinators.

    The ministry, other partners of the same agreement and the installation admin see the
    protected publication (``core.disclosure``) instead.
    """
    organisation_id = getattr(organisation, "pk", organisation)
    if organisation_id is None:
        return False
    return organisation_id in organisation_ids(user, Role.FACHKRAFT, Role.KOORDINATION)


def exact_scope(user: AnyUser, agreement: Any) -> set[int]:
    """The agreement's partner organisations whose records the user may see exactly.

    Exact figures are only ever the user's own organisations', so the partners among them
    (read once per request, ``_own_partners``) are all that need asking.
    """
    from buendnis.agreements.models import AgreementPartner

    partners = _own_partners(user, agreement)
    return {
        o
        for o, role in partners.items()
        if role == AgreementPartner.Role.PARTNER and can(user, Action.EXACT_FIGURES, o)
    }


def sees_exact(user: AnyUser, organisation_ids: Any) -> bool:
    """Whether the user may see exact figures over the records of all these organisations."""
    ids = set(organisation_ids)
    return bool(ids) and all(can(user, Action.EXACT_FIGURES, o) for o in ids)


def _sees_whole_agreement_exactly(user: AnyUser, agreement: Any) -> bool:
    """The internal (exact) report: only who may see every partner's records exactly."""
    from buendnis.agreements.models import AgreementPartner

    if agreement is None:
        return False
    # through the relation: a page that has prefetched the partners asks no query
    partners = [
        partner.organisation_id
        for partner in agreement.partners.all()
        if partner.role == AgreementPartner.Role.PARTNER
    ]
    return sees_exact(user, partners)


# --- organisations and people (issue 14) ---------------------------------------------

# Who manages whose accounts: a coordinator their organisation's staff, a ministry officer
# the ministry's officers; the roles each of them may hand out there.
MANAGING_ROLES = {
    Role.KOORDINATION: (Role.FACHKRAFT, Role.KOORDINATION),
    Role.MINISTERIUM: (Role.MINISTERIUM,),
}


def managed_organisation_ids(user: AnyUser) -> set[int]:
    """Ids of the organisations whose people the user manages (not for admins: all)."""
    return organisation_ids(user, *MANAGING_ROLES)


def _admin_assignable(organisation: Any) -> tuple[str, ...]:
    """The roles an admin may give in an organisation of this kind."""
    from buendnis.accounts.models import Organisation

    if organisation.kind == Organisation.Kind.MINISTRY:
        return (Role.MINISTERIUM, Role.ADMIN)
    return (Role.FACHKRAFT, Role.KOORDINATION, Role.ADMIN)


def _may_assign_role(user: AnyUser, membership: Any) -> bool:
    """May the user give this (unsaved) membership: this role in this organisation?"""
    if membership is None or not user.is_authenticated:
        return False
    organisation = membership.organisation
    if is_admin(user):
        return membership.role in _admin_assignable(organisation)
    return any(
        organisation.pk in organisation_ids(user, managing) and membership.role in roles
        for managing, roles in MANAGING_ROLES.items()
    )


def assignable_roles(user: AnyUser, organisation: Any) -> list[str]:
    """The roles the user may give in the organisation, in the order of ``Role``."""
    return [
        role
        for role in Role.values
        if _may_assign_role(user, Membership(organisation=organisation, role=role))
    ]


def _may_manage_people(user: AnyUser, target: Any) -> bool:
    """Admins manage everyone; others an organisation they manage and the people wholly in it.

    A person who also works for an organisation the user does not manage, and an admin, are
    someone else's to manage.
    """
    from buendnis.accounts.models import Organisation

    if target is None or not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    managed = managed_organisation_ids(user)
    if isinstance(target, Organisation):
        return target.pk in managed
    if target.is_superuser:
        return False
    held = {(m.organisation_id, m.role) for m in target.memberships.all()}
    if not held or any(role == Role.ADMIN for _, role in held):
        return False
    return all(
        any(
            organisation_id in organisation_ids(user, managing) and role in roles
            for managing, roles in MANAGING_ROLES.items()
        )
        for organisation_id, role in held
    )


RULES: dict[Action, Callable[[AnyUser, Any], bool]] = {
    Action.PUBLIC: lambda user, obj: True,
    Action.DASHBOARD_VIEW: lambda user, obj: user.is_authenticated,
    Action.AGREEMENT_LIST: lambda user, obj: user.is_authenticated,
    Action.AGREEMENT_VIEW: _is_party,
    Action.PROCEDURE_VIEW: lambda user, procedure: _is_party(
        user, procedure.agreement if procedure else None
    ),
    Action.PROCEDURE_APPROVE: _may_approve_procedure,
    Action.ACTIVITY_LIST: lambda user, obj: _documents_for(user, None) or is_admin(user),
    Action.ACTIVITY_CREATE: _documents_for,
    Action.ACTIVITY_EDIT: _may_edit_activity,
    Action.ACTIVITY_REVIEW: _coordinates,
    Action.ACTIVITY_EXPORT: lambda user, obj: _documents_for(user, None) or is_admin(user),
    Action.ACTIVITY_IMPORT: lambda user, obj: _coordinates(user, None),
    Action.FORMAT_EDIT: _coordinates_agreement,
    Action.NETWORK_VIEW: lambda user, obj: _documents_for(user, None),
    Action.NETWORK_EDIT: lambda user, obj: _documents_for(user, None),
    Action.COUNSELLING_LOG: _documents_for,
    Action.COUNSELLING_VIEW: _sees_contact,
    Action.COUNSELLING_EDIT: _may_edit_contact,
    Action.COUNSELLING_TOPICS: _coordinates_agreement,
    Action.COUNSELLING_STATISTICS: _is_party,
    Action.FEEDBACK_MANAGE: _ran_activity,
    Action.FEEDBACK_RESULTS: _ran_activity,
    Action.FEEDBACK_FREE_TEXT: _ran_activity,
    Action.FEEDBACK_AGGREGATES: _is_party,
    Action.QUESTIONNAIRE_VIEW: _is_party,
    Action.QUESTIONNAIRE_EDIT: _coordinates_agreement,
    # The evaluation's objects are the agreement it belongs to.
    Action.EVALUATION_VIEW: _is_party,
    Action.EVALUATION_PREPARE: _coordinates_agreement,
    Action.EVALUATION_WRITE: _speaks_for_partner,
    Action.EVALUATION_COMMENT: lambda user, agreement: _party_in_role(
        user, agreement, Role.MINISTERIUM
    ),
    Action.EVALUATION_RETURN: lambda user, agreement: _party_in_role(
        user, agreement, Role.MINISTERIUM
    ),
    Action.EVALUATION_APPROVE: _speaks_for_partner,
    Action.EVALUATION_REOPEN: _coordinates_agreement,
    Action.REPORT_VIEW: _is_party,
    Action.REPORT_INTERNAL: _sees_whole_agreement_exactly,
    # Disclosure
    Action.EXACT_FIGURES: _sees_exact_figures_of,
    # Issue 14, results framework and § 7 procedure versions: objects are the agreement.
    Action.PROCEDURE_PROPOSE: _speaks_for_partner,
    Action.FRAMEWORK_VIEW: _is_party,
    Action.FRAMEWORK_EDIT: _coordinates_agreement,
    Action.FRAMEWORK_APPROVE: _speaks_for_partner,
    # Organisations and people (issue 14): the objects are an Organisation or a User.
    Action.ACCOUNT_MANAGE: lambda user, obj: user.is_authenticated,
    Action.ORGANISATION_MANAGE: lambda user, obj: is_admin(user),
    Action.PEOPLE_LIST: lambda user, obj: is_admin(user) or bool(managed_organisation_ids(user)),
    Action.PEOPLE_MANAGE: _may_manage_people,
    Action.ROLE_ASSIGN: _may_assign_role,
    # GDPR duties: only the person themself downloads their account data, nobody on their
    # behalf (not an admin either).
    Action.ACCOUNT_DATA_EXPORT: lambda user, subject: (
        user.is_authenticated and subject is not None and subject.pk == user.pk
    ),
    # REST API (issue 15): indicator values per period (exact or protected: the disclosure layer)
    Action.INDICATOR_VALUES: _is_party,
    Action.API_TOKEN_MANAGE: lambda user, obj: user.is_authenticated,
    # Account security: every signed-in user manages their own; admins unlock and reset.
    Action.SECURITY_OWN: lambda user, obj: user.is_authenticated,
    Action.SECURITY_MANAGE: lambda user, obj: is_admin(user),
    # Public offers (issue 18): the objects are an Activity and an Organisation.
    Action.OFFER_PUBLISH: _may_edit_activity,
    Action.OFFER_CONTACT: lambda user, organisation: (
        organisation is not None
        and organisation.pk in organisation_ids(user, Role.FACHKRAFT, Role.KOORDINATION)
    ),
    # Agreement import and text corrections (issue 14, import): the installation admin.
    Action.AGREEMENT_IMPORT: lambda user, obj: is_admin(user),
    Action.AGREEMENT_EDIT: lambda user, agreement: is_admin(user) and agreement is not None,
    # The audit log: what each of them sees is ``audit_scope`` (audit/selectors.py).
    Action.AUDIT_VIEW: lambda user, obj: (
        is_admin(user) or bool(organisation_ids(user, Role.KOORDINATION, Role.MINISTERIUM))
    ),
    # Open data (issue 15): ministry officers for their agreements, and the admin.
    Action.OPENDATA_MANAGE: lambda user, obj: (
        is_admin(user) or bool(organisation_ids(user, Role.MINISTERIUM))
    ),
    Action.OPENDATA_PUBLISH: lambda user, agreement: (
        agreement is not None
        and (is_admin(user) or _party_in_role(user, agreement, Role.MINISTERIUM))
    ),
    # § 6 portfolio: the figures themselves go through the disclosure layer (exact_scope).
    Action.PORTFOLIO_VIEW: lambda user, obj: bool(
        organisation_ids(user, Role.MINISTERIUM, Role.KOORDINATION)
    ),
}

# Actions that need an object: the decorator only checks that the user is logged in, the
# view then loads the object and asks ``can`` (or ``get_object_or_404`` via a helper).
OBJECT_ACTIONS = {
    Action.AGREEMENT_VIEW,
    Action.PROCEDURE_VIEW,
    Action.PROCEDURE_APPROVE,
    Action.ACTIVITY_CREATE,
    Action.ACTIVITY_EDIT,
    Action.ACTIVITY_REVIEW,
    Action.FORMAT_EDIT,
    Action.COUNSELLING_LOG,
    Action.COUNSELLING_VIEW,
    Action.COUNSELLING_EDIT,
    Action.COUNSELLING_TOPICS,
    Action.COUNSELLING_STATISTICS,
    Action.FEEDBACK_MANAGE,
    Action.FEEDBACK_RESULTS,
    Action.FEEDBACK_FREE_TEXT,
    Action.FEEDBACK_AGGREGATES,
    Action.QUESTIONNAIRE_VIEW,
    Action.QUESTIONNAIRE_EDIT,
    Action.EVALUATION_VIEW,
    Action.EVALUATION_PREPARE,
    Action.EVALUATION_WRITE,
    Action.EVALUATION_COMMENT,
    Action.EVALUATION_RETURN,
    Action.EVALUATION_APPROVE,
    Action.EVALUATION_REOPEN,
    Action.REPORT_VIEW,
    Action.REPORT_INTERNAL,
    # Issue 14, results framework and § 7 procedure versions:
    Action.PROCEDURE_PROPOSE,
    Action.FRAMEWORK_VIEW,
    Action.FRAMEWORK_EDIT,
    Action.FRAMEWORK_APPROVE,
    # Disclosure
    Action.EXACT_FIGURES,
    # Organisations and people (issue 14)
    Action.PEOPLE_MANAGE,
    Action.ROLE_ASSIGN,
    Action.ACCOUNT_DATA_EXPORT,
    # Public offers (issue 18)
    Action.OFFER_PUBLISH,
    Action.OFFER_CONTACT,
    # REST API (issue 15)
    Action.INDICATOR_VALUES,
    # Agreement text corrections (issue 14, import)
    Action.AGREEMENT_EDIT,
    # Open data (issue 15)
    Action.OPENDATA_PUBLISH,
}


def can(user: AnyUser, action: Action, obj: Any = None) -> bool:
    """Answer whether the user may do the action (on the object, where it needs one)."""
    return RULES[action](user, obj)


def requires(action: Action) -> Callable:
    """Guard a view with a policy action and record the action for the URL audit test."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if action is not Action.PUBLIC and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if action not in OBJECT_ACTIONS and not can(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.policy_action = action  # type: ignore[attr-defined]
        return guarded

    return decorator
