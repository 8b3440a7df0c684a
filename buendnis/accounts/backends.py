"""The password backend, reading a signed-in user together with what they may see."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from buendnis.accounts.models import User
from buendnis.accounts.policy import GRANT_FIELDS, remember_grants


class GrantsBackend(ModelBackend):
    """Django's ``ModelBackend``; a session's user comes with their roles and agreements.

    Every signed-in request reads its user, and the permission policy then asks which roles
    they hold, which agreements their organisations are party to and in which role. One
    joined read (a row per membership and agreement) answers all of it, where separate
    reads cost twice the processor time. It is still read on every request: a membership
    taken away counts from the next request on.
    """

    def get_user(self, user_id: Any) -> User | None:
        fields = [field.attname for field in User._meta.concrete_fields]
        grant_fields = [f"memberships__{name}" for name in GRANT_FIELDS]
        rows = list(User._default_manager.filter(pk=user_id).values_list(*fields, *grant_fields))
        if not rows:
            return None
        user = User.from_db(User._default_manager.db, fields, rows[0][: len(fields)])
        if not self.user_can_authenticate(user):
            return None
        grants = [row[len(fields) :] for row in rows]
        remember_grants(user, [grant for grant in grants if grant[0] is not None])
        return user
