"""Reads for the organisation and people pages, always within what the user may manage."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from buendnis.accounts.models import Invitation, Membership, Organisation, Pseudonymisation, User
from buendnis.accounts.policy import AnyUser, is_admin, managed_organisation_ids


def organisation_list() -> QuerySet[Organisation]:
    """Every organisation with how many active people it has (the admin's list)."""
    return Organisation.objects.annotate(
        people=Count(
            "memberships__user", filter=Q(memberships__user__is_active=True), distinct=True
        )
    ).order_by("name")


def managed_organisations(*, user: AnyUser) -> QuerySet[Organisation]:
    """The organisations whose people the user manages (all of them for admins)."""
    if is_admin(user):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=managed_organisation_ids(user)).order_by("name")


def people_list(*, user: AnyUser, organisation: Organisation | None = None) -> QuerySet[User]:
    """The people in the organisations the user manages, with their memberships there."""
    organisations = managed_organisations(user=user)
    if organisation is not None:
        organisations = organisations.filter(pk=organisation.pk)
    memberships = Membership.objects.filter(organisation__in=organisations).select_related(
        "organisation"
    )
    people = User.objects.filter(memberships__in=memberships)
    if is_admin(user) and organisation is None:
        people = User.objects.filter(Q(memberships__in=memberships) | Q(is_superuser=True))
    return (
        people.distinct()
        .prefetch_related(
            # All memberships for the policy's question (whom the user manages), the
            # managed ones for the page.
            "memberships",
            Prefetch("memberships", queryset=memberships, to_attr="shown"),
        )
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def open_invitations(
    *, user: AnyUser, organisation: Organisation | None = None
) -> QuerySet[Invitation]:
    """Invitations not yet used, withdrawn or expired, in the organisations the user manages."""
    organisations = managed_organisations(user=user)
    if organisation is not None:
        organisations = organisations.filter(pk=organisation.pk)
    return (
        Invitation.objects.filter(
            organisation__in=organisations,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("organisation", "invited_by")
        .order_by("-created_at")
    )


def person_memberships(*, user: AnyUser, person: User) -> list[Membership]:
    """The person's memberships in the organisations the user manages."""
    memberships = person.memberships.select_related("organisation").order_by(
        "organisation__name", "role"
    )
    if not is_admin(user):
        memberships = memberships.filter(organisation_id__in=managed_organisation_ids(user))
    return list(memberships)


def pseudonymisation_of(person: User) -> Pseudonymisation | None:
    """The record that the person's account was pseudonymised, if it was."""
    return Pseudonymisation.objects.filter(user=person).first()
