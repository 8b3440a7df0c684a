"""Writes for organisations, users and memberships."""

from django.db import transaction

from buendnis.accounts.models import Membership, Organisation, User


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
