"""Writes for organisations, users, memberships and invitations."""

import datetime
import hashlib
import secrets
from collections.abc import Callable

from axes.models import AccessAttempt
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from buendnis.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Pseudonymisation,
    User,
)
from buendnis.accounts.policy import MANAGING_ROLES, Action, can
from buendnis.accounts.security.models import RecoveryCode
from buendnis.accounts.security.services import sessions_end_all
from buendnis.audit.models import AuditEntry
from buendnis.audit.recording import plain, record


def _name_key(name: str) -> frozenset[str]:
    """Compare organisation names as sets of words, so word order does not matter."""
    return frozenset(name.casefold().replace(",", " ").split())


def organisation_find(*, name: str) -> Organisation | None:
    """Return the organisation known by this name or one of its aliases, in any word order."""
    key = _name_key(name)
    for organisation in Organisation.objects.all().only("id", "name", "aliases"):
        names = [organisation.name, *organisation.aliases]
        if any(_name_key(known) == key for known in names):
            return organisation
    return None


@transaction.atomic
def organisation_resolve(
    *,
    name: str,
    kind: str,
    aliases: list[str] | None = None,
    short_name: str = "",
    sector: str = Organisation.Sector.OTHER,
) -> Organisation:
    """Return the organisation with this name (or alias), creating it if it is new."""
    aliases = aliases or []
    organisation = organisation_find(name=name)
    if organisation is None:
        for alias in aliases:
            organisation = organisation_find(name=alias)
            if organisation:
                break
    if organisation is None:
        return Organisation.objects.create(
            name=name, kind=kind, aliases=aliases, short_name=short_name, sector=sector
        )
    new_aliases = [a for a in aliases if a not in organisation.aliases and a != organisation.name]
    if new_aliases:
        organisation.aliases = [*organisation.aliases, *new_aliases]
        organisation.save(update_fields=["aliases"])
    return organisation


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    organisation: Organisation | None,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a user with one membership (admins may have no organisation)."""
    if role not in Membership.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    if role == Membership.Role.ADMIN and organisation is None:
        user.is_superuser = True
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    elif organisation is None:
        raise ValueError("Only admins may have no organisation")
    else:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


# --- organisations and people (issue 14) ---------------------------------------------


class NotAllowed(Exception):
    """A change the acting person may not make; the message says why, for the page."""


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, short_name: str = "", sector: str = "", aliases: list[str]
) -> Organisation:
    """Create an organisation (the admin's page); names are unique."""
    return Organisation.objects.create(
        name=name,
        kind=kind,
        short_name=short_name,
        sector=sector or Organisation.Sector.OTHER,
        aliases=_clean_aliases(aliases, name),
    )


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    kind: str,
    short_name: str = "",
    sector: str = "",
    aliases: list[str],
) -> Organisation:
    """Change an organisation's names, kind and sector."""
    organisation.name = name
    organisation.kind = kind
    organisation.short_name = short_name
    organisation.sector = sector or Organisation.Sector.OTHER
    organisation.aliases = _clean_aliases(aliases, name)
    organisation.save(update_fields=["name", "kind", "short_name", "sector", "aliases"])
    return organisation


def _clean_aliases(aliases: list[str], name: str) -> list[str]:
    seen: list[str] = []
    for alias in (a.strip() for a in aliases):
        if alias and alias != name and alias not in seen:
            seen.append(alias)
    return seen


def organisation_has_records(*, organisation: Organisation) -> bool:
    """Whether anything at all refers to the organisation (people, agreements, activities …)."""
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many:
            if getattr(organisation, relation.get_accessor_name()).exists():
                return True
        elif model._default_manager.filter(**{relation.field.name: organisation}).exists():
            return True
    return False


@transaction.atomic
def organisation_delete(*, organisation: Organisation) -> None:
    """Delete an organisation nothing refers to; one with records is never deleted."""
    if organisation_has_records(organisation=organisation):
        raise NotAllowed(_("Die Organisation hat Einträge und kann nicht gelöscht werden."))
    organisation.delete()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: User,
    accept_url: Callable[[str], str],
) -> Invitation:
    """Invite someone by e-mail to join the organisation in the role; send the one-time link.

    ``accept_url`` turns the token into the absolute link; only the token's hash is kept. A
    still open invitation to the same address and organisation is replaced.
    """
    if not can(invited_by, Action.ROLE_ASSIGN, Membership(organisation=organisation, role=role)):
        raise NotAllowed(_("Diese Rolle können Sie hier nicht vergeben."))
    now = timezone.now()
    superseded = Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )
    for earlier in superseded:
        record(AuditEntry.Action.UPDATE, obj=earlier, changes={"revoked_at": [None, plain(now)]})
    superseded.update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role,
        token_hash=_token_hash(token),
        invited_by=invited_by,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
    )
    context = {
        "invitation": invitation,
        "url": accept_url(token),
        "inviter": invited_by.get_full_name() or invited_by.get_username(),
        "days": settings.INVITATION_DAYS,
    }
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    EmailMessage(subject=subject, body=body, to=[email]).send()
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    """Withdraw an invitation that has not been used; its link stops working."""
    now = timezone.now()
    if Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=now):
        record(AuditEntry.Action.UPDATE, obj=invitation, changes={"revoked_at": [None, plain(now)]})


def invitation_open(*, token: str) -> Invitation | None:
    """The invitation the link's token belongs to, if it can still be used."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(
            token_hash=_token_hash(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def invitation_accept(
    *, token: str, username: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    """Use the link once: create the account with the invited role, and spend the link."""
    invitation = invitation_open(token=token)
    if invitation is None:
        raise NotAllowed(_("Der Link ist ungültig, abgelaufen oder wurde schon benutzt."))
    # Spend the link first, conditionally, so two submissions cannot both create an account.
    accepted_at = timezone.now()
    spent = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=accepted_at
    )
    if spent != 1:
        raise NotAllowed(_("Der Link ist ungültig, abgelaufen oder wurde schon benutzt."))
    user = user_create(
        username=username,
        password=password,
        organisation=invitation.organisation,
        role=invitation.role,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
    )
    Invitation.objects.filter(pk=invitation.pk).update(accepted_user=user)
    record(
        AuditEntry.Action.UPDATE,
        obj=invitation,
        actor=user,
        changes={"accepted_at": [None, plain(accepted_at)], "accepted_user": [None, user.pk]},
    )
    return user


def _last_manager(*, user: User) -> bool:
    """Whether the user is the last active manager (coordinator, officer) of an organisation."""
    return any(
        _last_manager_of(membership)
        for membership in user.memberships.filter(role__in=list(MANAGING_ROLES))
    )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, changed_by: User) -> Membership:
    """Give the person another role in the same organisation."""
    if role == membership.role:
        return membership
    if not can(
        changed_by, Action.ROLE_ASSIGN, Membership(organisation=membership.organisation, role=role)
    ):
        raise NotAllowed(_("Diese Rolle können Sie hier nicht vergeben."))
    if (
        membership.user_id == changed_by.pk
        and membership.role in MANAGING_ROLES
        and _last_manager_of(membership)
    ):
        raise NotAllowed(
            _(
                "Sie sind die letzte Person mit dieser Rolle in Ihrer Organisation und können "
                "sie nicht abgeben."
            )
        )
    duplicate = Membership.objects.filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id, role=role
    ).first()
    if duplicate is not None:
        membership.delete()
        return duplicate
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def _last_manager_of(membership: Membership) -> bool:
    return (
        not Membership.objects.filter(
            organisation_id=membership.organisation_id,
            role=membership.role,
            user__is_active=True,
        )
        .exclude(user_id=membership.user_id)
        .exists()
    )


def _refuse_closing_the_last_manager(*, user: User, closed_by: User) -> None:
    """The last manager of an organisation, or the last admin, cannot close their own account."""
    if user.pk == closed_by.pk and (
        _last_manager(user=user) or (user.is_superuser and _last_admin(user))
    ):
        raise NotAllowed(
            _(
                "Sie sind die letzte Person, die diese Konten verwaltet, und können Ihr "
                "eigenes Konto nicht deaktivieren."
            )
        )


@transaction.atomic
def user_deactivate(*, user: User, deactivated_by: User) -> User:
    """Close the account: no more sign-in; everything the person recorded stays."""
    _refuse_closing_the_last_manager(user=user, closed_by=deactivated_by)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def _last_admin(user: User) -> bool:
    return not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()


@transaction.atomic
def user_reactivate(*, user: User) -> User:
    """Open a deactivated account again (never a pseudonymised one)."""
    if Pseudonymisation.objects.filter(user=user).exists():
        raise NotAllowed(_("Ein pseudonymisiertes Konto kann nicht wieder aktiviert werden."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, email: str) -> User:
    """Change one's own name and e-mail address."""
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save(update_fields=["first_name", "last_name", "email"])
    return user


# --- departed people: pseudonymisation (GDPR, issue 16) ---------------------------------

# The word for the person's former role, most responsible role first. The pseudonym is
# stored as a name, in German, like the names it replaces.
PSEUDONYM_WORDS = {
    Membership.Role.ADMIN: "ehemalige Administrationskraft",
    Membership.Role.MINISTERIUM: "ehemalige Ministeriumsmitarbeitende",
    Membership.Role.KOORDINATION: "ehemalige Koordinationskraft",
    Membership.Role.FACHKRAFT: "ehemalige Fachkraft",
}


def _former_role(user: User) -> str:
    held = set(user.memberships.values_list("role", flat=True))
    if user.is_superuser:
        held.add(Membership.Role.ADMIN)
    return next((role for role in PSEUDONYM_WORDS if role in held), Membership.Role.FACHKRAFT)


def pseudonym(pseudonymisation: Pseudonymisation) -> str:
    """„ehemalige Fachkraft #7“: the role word and the record's stable number."""
    return f"{PSEUDONYM_WORDS[Membership.Role(pseudonymisation.role)]} #{pseudonymisation.pk}"


@transaction.atomic
def user_pseudonymise(*, user: User, pseudonymised_by: User) -> Pseudonymisation:
    """Deactivate a departed person's account and replace who they were by a pseudonym.

    Irreversible: name, user name and e-mail address (also in invitations to that address)
    become the pseudonym or empty, the password unusable; sessions end, API tokens are
    revoked, the second factor and the failed-sign-in records go. The memberships and every
    record the person made stay, now shown under the pseudonym.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if Pseudonymisation.objects.filter(user=user).exists():
        raise NotAllowed(_("Das Konto ist bereits pseudonymisiert."))
    _refuse_closing_the_last_manager(user=user, closed_by=pseudonymised_by)
    now = timezone.now()
    record = Pseudonymisation.objects.create(
        user=user, role=_former_role(user), pseudonymised_at=now, pseudonymised_by=pseudonymised_by
    )
    old_username, old_email = user.get_username(), user.email
    if old_email:
        Invitation.objects.filter(email__iexact=old_email).update(email="")
    Invitation.objects.filter(accepted_user=user).update(email="")
    AccessAttempt.objects.filter(username=old_username).delete()
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    sessions_end_all(user=user)
    name = pseudonym(record)
    user.username, user.first_name, user.last_name, user.email = name, name, "", ""
    user.is_active = False
    user.set_unusable_password()
    user.save(
        update_fields=["username", "first_name", "last_name", "email", "is_active", "password"]
    )
    return record
